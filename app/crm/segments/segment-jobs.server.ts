// The segments queue's jobs, one at a time per shop: BullMQ's deduplication with
// keepLastIfActive keeps at most one running and one waiting job per shop and kind, so a request
// made while a job runs is never lost (it runs after) and never runs beside it.
import type { JobQueues } from "../../jobs/job-queues.server";

export async function requestSegmentRecompute(jobs: JobQueues, shopId: number): Promise<void> {
  await jobs.add(
    "segments",
    "recompute-segments",
    { shopId },
    { deduplication: { id: `segments-recompute-${shopId}`, keepLastIfActive: true } },
  );
}

export async function requestSegmentSync(jobs: JobQueues, shopId: number, delayMs = 0): Promise<void> {
  await jobs.add(
    "segments",
    "sync-segments",
    { shopId },
    { deduplication: { id: `segments-sync-${shopId}`, keepLastIfActive: true }, delay: delayMs },
  );
}

export async function requestSegmentPush(
  jobs: JobQueues,
  input: { shopId: number; segmentId: number; afterCustomerId?: bigint },
  delayMs = 0,
): Promise<void> {
  const after = input.afterCustomerId?.toString();
  await jobs.add(
    "segments",
    "push-segment",
    { shopId: input.shopId, segmentId: input.segmentId, ...(after ? { afterCustomerId: after } : {}) },
    {
      deduplication: { id: `segments-push-${input.segmentId}-${after ?? "start"}`, keepLastIfActive: true },
      delay: delayMs,
    },
  );
}
