import { UnrecoverableError, type Job } from "bullmq";

import { recomputeShopSegments } from "../../app/crm/segments/recompute-segments.server";
import type { SegmentDeps } from "../../app/crm/segments/segment-deps";
import { requestSegmentPush, requestSegmentSync } from "../../app/crm/segments/segment-jobs.server";
import { pushSegmentMembership, syncSegmentChanges } from "../../app/crm/segments/segment-shopify-sync.server";
import { requestShopEvaluation } from "../../app/crm/automations/automation-jobs.server";
import type { JobPayloads } from "../../app/jobs/queues";
import { createJobScopes, shopIdOfJob } from "./job-shop";

type SegmentsJob =
  | Job<JobPayloads["segments"]["recompute-segments"], unknown, "recompute-segments">
  | Job<JobPayloads["segments"]["sync-segments"], unknown, "sync-segments">
  | Job<JobPayloads["segments"]["push-segment"], unknown, "push-segment">;

// Between two slices of a long sync, other shops' jobs get their turn.
const CONTINUE_AFTER_MS = 1_000;

export function createSegmentsProcessor(segmentDeps: SegmentDeps) {
  const scopes = createJobScopes(segmentDeps);
  return async (job: SegmentsJob) => {
    const deps = scopes.byId(shopIdOfJob(job));
    if (job.name === "recompute-segments") {
      const segments = await recomputeShopSegments(deps, job.data.shopId);
      // Automations follow the night's scores and memberships (entered/left, stage, churn).
      await requestShopEvaluation(deps.jobs, job.data.shopId);
      return { segments };
    }
    if (job.name === "sync-segments") {
      const outcome = await syncSegmentChanges(deps, job.data.shopId);
      if (outcome.more) await requestSegmentSync(deps.jobs, job.data.shopId, CONTINUE_AFTER_MS);
      return outcome;
    }
    if (job.name === "push-segment") {
      const { shopId, segmentId, afterCustomerId } = job.data;
      const outcome = await pushSegmentMembership(deps, {
        shopId,
        segmentId,
        afterCustomerId: afterCustomerId ? BigInt(afterCustomerId) : null,
      });
      if (outcome.next !== null)
        await requestSegmentPush(deps.jobs, { shopId, segmentId, afterCustomerId: outcome.next }, CONTINUE_AFTER_MS);
      return { pushed: outcome.pushed, next: outcome.next?.toString() ?? null };
    }
    throw new UnrecoverableError(`Unknown segments job ${String((job as Job).name)}`);
  };
}
