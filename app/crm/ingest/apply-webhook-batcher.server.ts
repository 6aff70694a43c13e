// Gathers the jobs a worker is running at the same time into one batch: with N jobs active,
// about N share each set of statements. Each job is answered with its own result, only once
// its batch is written, so a job that completes is applied; a worker killed mid-batch leaves
// its jobs active, and BullMQ's stalled-job check runs them again (every write is idempotent).
import type { DeliveryOutcome } from "./delivery-batch-handler";
import { applyWebhookDeliveries, type ApplyWebhookDeps } from "./apply-webhook.server";

export interface MicroBatcherOptions {
  maxBatchSize?: number;
  /**
   * Batches run at once. One keeps batches largest and rules out two batches locking the
   * same rows in opposite orders (a deadlock, then a retry).
   */
  maxConcurrentBatches?: number;
}

interface Waiting<I, O> {
  item: I;
  resolve: (outcome: O) => void;
  reject: (error: unknown) => void;
}

/** Runs items in batches with `run`, which returns one settled result per item, in order. */
export function createMicroBatcher<I, O>(
  run: (items: I[]) => Promise<PromiseSettledResult<O>[]>,
  options: MicroBatcherOptions = {},
) {
  const maxBatchSize = options.maxBatchSize ?? 200;
  const maxConcurrentBatches = options.maxConcurrentBatches ?? 1;
  let waiting: Waiting<I, O>[] = [];
  let scheduled = false;
  let running = 0;

  function schedule() {
    if (scheduled || running >= maxConcurrentBatches || waiting.length === 0) return;
    scheduled = true;
    // After this loop turn's I/O callbacks: every job BullMQ handed over meanwhile joins.
    setImmediate(startBatch);
  }

  function startBatch() {
    scheduled = false;
    const batch = waiting.slice(0, maxBatchSize);
    waiting = waiting.slice(batch.length);
    running++;
    void runBatch(batch).finally(() => {
      running--;
      schedule();
    });
    schedule();
  }

  async function runBatch(batch: Waiting<I, O>[]) {
    try {
      const results = await run(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, i) => {
        const result = results[i]!;
        if (result.status === "fulfilled") waiting.resolve(result.value);
        else waiting.reject(result.reason);
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }

  return {
    add(item: I): Promise<O> {
      return new Promise((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        schedule();
      });
    },
  };
}

export function createApplyWebhookBatcher(deps: ApplyWebhookDeps, options: MicroBatcherOptions = {}) {
  const batcher = createMicroBatcher<bigint, DeliveryOutcome>((ids) => applyWebhookDeliveries(deps, ids), options);
  return { apply: batcher.add };
}
