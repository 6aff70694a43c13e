// The recommendations' jobs: the mining chained after a shop's analytics run (its own job, so
// the run's phase times stay the run's), then the metafield batch a page at a time.
import type { JobQueues } from "../../jobs/job-queues.server";
import { FREE_ID_WHEN_DONE, type JobPayloads } from "../../jobs/queues";
import type { AdminClientFactory } from "../shopify-admin/admin-client-for-shop.server";
import { mineShopRecommendations, type MiningDeps } from "./mine-recommendations.server";
import { writeRecommendationMetafieldsPage } from "./recommendation-metafields.server";

/** After a successful analytics run: one mining per run (the run id makes retries collapse). */
export async function requestRecommendationMining(jobs: JobQueues, shopId: number, runId: number) {
  await jobs.add(
    "analytics",
    "mine-recommendations",
    { shopId },
    { jobId: `recommendations-${shopId}-${runId}`, ...FREE_ID_WHEN_DONE },
  );
}

async function requestMetafieldsPage(jobs: JobQueues, shopId: number, afterCustomerId: bigint) {
  await jobs.add(
    "sync",
    "recommendation-metafields",
    { shopId, afterCustomerId: afterCustomerId.toString() },
    { jobId: `recommendation-metafields-${shopId}-${afterCustomerId}`, ...FREE_ID_WHEN_DONE },
  );
}

export async function runRecommendationMining(deps: MiningDeps & { jobs: JobQueues }, shopId: number) {
  const figures = await mineShopRecommendations(deps, shopId);
  await requestMetafieldsPage(deps.jobs, shopId, 0n);
  return figures;
}

export async function runRecommendationMetafields(
  deps: MiningDeps & { jobs: JobQueues; adminFor: AdminClientFactory },
  payload: JobPayloads["sync"]["recommendation-metafields"],
) {
  const outcome = await writeRecommendationMetafieldsPage(deps, payload.shopId, BigInt(payload.afterCustomerId ?? "0"));
  if (outcome.next !== null) await requestMetafieldsPage(deps.jobs, payload.shopId, outcome.next);
  return { written: outcome.written, unchanged: outcome.unchanged, next: outcome.next?.toString() ?? null };
}
