// Recomputes a shop's stale segments (never computed, rule changed, or computed before the
// latest analytics run), one transaction per segment, then asks for the Shopify sync.
import type { SegmentDeps } from "./segment-deps";
import { requestSegmentSync } from "./segment-jobs.server";
import {
  latestSucceededRunId,
  recomputeSegmentMembers,
  type RecomputeOutcome,
  staleSegmentIds,
} from "./segment-membership.repository.server";
import { findSegment, shopOfSegments } from "./segments.repository.server";

export async function recomputeShopSegments(deps: SegmentDeps, shopId: number): Promise<RecomputeOutcome[]> {
  const shop = await shopOfSegments(deps.db, shopId);
  if (!shop) return [];
  const runId = await latestSucceededRunId(deps.db, shopId);
  const outcomes: RecomputeOutcome[] = [];
  for (const segmentId of await staleSegmentIds(deps.db, shopId)) {
    const segment = await findSegment(deps.db, shopId, segmentId);
    if (!segment) continue;
    const startedAt = performance.now();
    const outcome = await recomputeSegmentMembers(deps.db, segment, {
      timeZone: shop.ianaTimezone,
      runId,
      now: deps.now?.() ?? new Date(),
    });
    if (!outcome) continue;
    outcomes.push(outcome);
    deps.logger.info({ shopId, ...outcome, ms: Math.round(performance.now() - startedAt) }, "segment recomputed");
  }
  if (outcomes.some((outcome) => outcome.entered + outcome.left > 0)) await requestSegmentSync(deps.jobs, shopId);
  return outcomes;
}
