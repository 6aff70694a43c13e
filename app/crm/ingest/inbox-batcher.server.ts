// Micro-batches the webhook inbox: deliveries verified within the same turn of the event
// loop (or while earlier batches are still being written) are stored with ONE insert and
// enqueued with ONE addBulk per queue. Each caller is answered only once both are done, so
// a 200 still means "durable in the inbox". Two round trips a batch instead of two a
// delivery is what keeps CPU per delivery, and so the p99, low on a small machine.
import type pg from "pg";

import type { JobQueues } from "../../jobs/job-queues.server";
import type { Logger } from "../../lib/logger.server";
import { createMicroBatcher } from "../../lib/micro-batcher";
import { enqueueDeliveries } from "../data-health/enqueue-delivery.server";
import { inboxKey, recordReceivedDeliveries, type ReceivedDelivery } from "./webhook-inbox.repository.server";

/** "stored": new in the inbox and enqueued; "duplicate": that shop's webhook id was already there. */
export type InboxReceipt = "stored" | "duplicate";

export interface InboxBatcherDeps {
  pool: pg.Pool;
  jobs: JobQueues;
  logger: Logger;
}

export interface InboxBatcherOptions {
  /** Deliveries per INSERT at most. */
  maxBatchSize?: number;
  /**
   * Batches being written at once; later arrivals wait and form the next batch. One keeps
   * batches largest and CPU per delivery lowest, which is what a 2-core machine runs out of
   * first (measured against 2 and 4).
   */
  maxConcurrentBatches?: number;
}

export interface InboxBatcher {
  record(delivery: ReceivedDelivery): Promise<InboxReceipt>;
}

export function createInboxBatcher(deps: InboxBatcherDeps, options: InboxBatcherOptions = {}): InboxBatcher {
  const batcher = createMicroBatcher<ReceivedDelivery, InboxReceipt>((batch) => recordBatch(deps, batch), options);
  return { record: batcher.add };
}

async function recordBatch(
  deps: InboxBatcherDeps,
  batch: ReceivedDelivery[],
): Promise<PromiseSettledResult<InboxReceipt>[]> {
  // A delivery repeated within the batch is written once; its first request gets "stored".
  const byKey = new Map<string, number[]>();
  batch.forEach((delivery, index) => {
    const key = inboxKey(delivery);
    const same = byKey.get(key);
    if (same) same.push(index);
    else byKey.set(key, [index]);
  });
  const unique = [...byKey.values()].map((same) => batch[same[0]!]!);
  let ids: Map<string, bigint>;
  try {
    ids = await recordReceivedDeliveries(deps.pool, unique);
  } catch (error) {
    // One delivery PostgreSQL refuses (a \u0000 in a string, say) must not fail the others
    // with it: write them one by one, so only that one is answered with an error.
    if (byKey.size === 1) return batch.map(() => ({ status: "rejected", reason: error }));
    const results: PromiseSettledResult<InboxReceipt>[] = new Array(batch.length);
    await Promise.all(
      [...byKey.values()].map(async (same) => {
        const settled = await recordBatch(
          deps,
          same.map((index) => batch[index]!),
        );
        same.forEach((index, i) => (results[index] = settled[i]!));
      }),
    );
    return results;
  }
  const stored = unique.flatMap((delivery) => {
    const id = ids.get(inboxKey(delivery));
    return id === undefined ? [] : [{ id, shopDomain: delivery.shopDomain, topic: delivery.topic, attempts: 0 }];
  });
  if (stored.length > 0) {
    try {
      await enqueueDeliveries(deps.jobs, stored);
    } catch (error) {
      // The deliveries are safe in the inbox; the inbox sweeper enqueues them once Redis is back.
      deps.logger.error({ count: stored.length, err: (error as Error).message }, "webhooks stored but not enqueued");
    }
  }
  const results: PromiseSettledResult<InboxReceipt>[] = new Array(batch.length);
  for (const [key, same] of byKey) {
    same.forEach(
      (index, i) => (results[index] = { status: "fulfilled", value: i === 0 && ids.has(key) ? "stored" : "duplicate" }),
    );
  }
  return results;
}
