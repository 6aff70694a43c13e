// The enqueue side of analytics: the merchant's "Recalculate" and the re-score after an order.
import type { JobQueues } from "../../jobs/job-queues.server";

/** One merchant run per shop at a time: while one waits or runs, asking again changes nothing. */
export const recalculationJobId = (shopDomain: string) => `analytics-${shopDomain}-merchant`;
export const rescoreJobId = (shopId: number, key: string) => `rescore-${shopId}-${key}`;

// Finished and failed jobs go at once, so that their deterministic ids are free for the next
// request; the analytics_runs row keeps what happened.
const FREE_ID_WHEN_DONE = { removeOnComplete: true, removeOnFail: true } as const;

/**
 * The admin's "Recalculate": enqueues a run unless one is already waiting or running for the
 * shop (the job id is the shop's). Returns the job id, for the progress bar.
 */
export async function requestRecalculation(jobs: JobQueues, shopDomain: string) {
  const jobId = recalculationJobId(shopDomain);
  await jobs.add("analytics", "compute-shop", { shopDomain, trigger: "merchant" }, { jobId, ...FREE_ID_WHEN_DONE });
  return jobId;
}

/** Orders often come in bursts (create, paid, updated): a short delay lets a job carry more of them. */
const RESCORE_DELAY_MS = 2_000;

/**
 * One job re-scores the customers an ingest batch touched (`key`, the batch's last delivery id:
 * the same batch enqueued twice is one job). One job per customer cost a queue round and a
 * transaction per order webhook; a customer in two batches is re-scored twice, which is harmless.
 */
export async function enqueueCustomerRescores(
  jobs: JobQueues,
  shopId: number,
  customerIds: readonly bigint[],
  key: string,
) {
  if (customerIds.length === 0) return;
  await jobs.add(
    "analytics",
    "rescore-customers",
    { shopId, customerIds: [...new Set(customerIds)].map(String) },
    { jobId: rescoreJobId(shopId, key), delay: RESCORE_DELAY_MS, attempts: 3, ...FREE_ID_WHEN_DONE },
  );
}
