// Micro-batches the webhook inbox: deliveries verified within the same turn of the event
// loop (or while earlier batches are still being written) are stored with ONE insert and
// enqueued with ONE addBulk per queue. Each caller is answered only once both are done, so
// a 200 still means "durable in the inbox". Two round trips a batch instead of two a
// delivery is what keeps CPU per delivery, and so the p99, low on a small machine.
import type pg from "pg";

import type { JobQueues } from "../../jobs/job-queues.server";
import type { Logger } from "../../lib/logger.server";
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

interface Waiting {
  delivery: ReceivedDelivery;
  resolve: (receipt: InboxReceipt) => void;
  reject: (error: unknown) => void;
}

export interface InboxBatcher {
  record(delivery: ReceivedDelivery): Promise<InboxReceipt>;
}

export function createInboxBatcher(deps: InboxBatcherDeps, options: InboxBatcherOptions = {}): InboxBatcher {
  const maxBatchSize = options.maxBatchSize ?? 200;
  const maxConcurrentBatches = options.maxConcurrentBatches ?? 1;
  let waiting: Waiting[] = [];
  let scheduled = false;
  let writing = 0;

  function schedule() {
    if (scheduled || writing >= maxConcurrentBatches || waiting.length === 0) return;
    scheduled = true;
    // setImmediate runs after the I/O callbacks of this loop turn: every request whose body
    // arrived in the same turn joins the batch, and a lone request waits no timer.
    setImmediate(startBatch);
  }

  function startBatch() {
    scheduled = false;
    const batch = waiting.slice(0, maxBatchSize);
    waiting = waiting.slice(batch.length);
    writing++;
    void writeBatch(deps, batch).finally(() => {
      writing--;
      schedule();
    });
    schedule();
  }

  return {
    record(delivery) {
      return new Promise<InboxReceipt>((resolve, reject) => {
        waiting.push({ delivery, resolve, reject });
        schedule();
      });
    },
  };
}

async function writeBatch(deps: InboxBatcherDeps, batch: Waiting[]): Promise<void> {
  // A delivery repeated within the batch is written once; its first request gets "stored".
  const byKey = new Map<string, Waiting[]>();
  for (const entry of batch) {
    const key = inboxKey(entry.delivery);
    const same = byKey.get(key);
    if (same) same.push(entry);
    else byKey.set(key, [entry]);
  }
  const unique = [...byKey.values()].map((same) => same[0]!.delivery);
  let ids: Map<string, bigint>;
  try {
    ids = await recordReceivedDeliveries(deps.pool, unique);
  } catch (error) {
    // One delivery PostgreSQL refuses (a \u0000 in a string, say) must not fail the others
    // with it: write them one by one, so only that one is answered with an error.
    if (byKey.size > 1) {
      await Promise.all([...byKey.values()].map((same) => writeBatch(deps, same)));
    } else {
      for (const entry of batch) entry.reject(error);
    }
    return;
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
  for (const [key, same] of byKey) {
    same.forEach((entry, index) => entry.resolve(index === 0 && ids.has(key) ? "stored" : "duplicate"));
  }
}
