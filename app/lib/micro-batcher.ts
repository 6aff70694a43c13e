// Gathers the calls made while a batch is pending into one batch: requests whose bodies arrive
// in the same event-loop turn (the webhook inbox), or jobs a worker runs at the same time
// (ingest, loyalty), so N of them share one set of statements. Each caller gets its own
// result, and only once its batch is done.
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
    // After this loop turn's I/O callbacks: everything handed over meanwhile joins, and a
    // lone call waits no timer.
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
