// Starts one BullMQ worker per queue family and stops them cleanly.
import { Worker, type Processor } from "bullmq";
import type { Redis } from "ioredis";

import type { PrismaClient } from "../app/db.server";
import type { JobQueues } from "../app/jobs/job-queues.server";
import type { QueueName } from "../app/jobs/queues";
import type { Logger } from "../app/lib/logger.server";
import { createIngestProcessor } from "./processors/ingest.processor";
import { createPrivacyProcessor } from "./processors/privacy.processor";

export interface WorkerDeps {
  db: PrismaClient;
  logger: Logger;
  jobs: JobQueues;
  connection: Redis;
  prefix: string;
  /** Replaces processors by queue (tests hand in their own). */
  processors?: Partial<Record<QueueName, Processor>>;
}

export interface RunningWorkers {
  workers: Worker[];
  /**
   * Waits for current jobs up to `graceMs`, then closes anyway: a job cut short keeps its
   * lock until it expires, then BullMQ's stalled-job check puts it back for another worker.
   */
  stop(graceMs?: number): Promise<void>;
}

const CONCURRENCY: Partial<Record<QueueName, number>> = { ingest: 8, privacy: 2 };

export function startWorkers(deps: WorkerDeps): RunningWorkers {
  const processors: Partial<Record<QueueName, Processor>> = {
    ingest: createIngestProcessor(deps),
    privacy: createPrivacyProcessor(deps),
    ...deps.processors,
  };
  const workers = Object.entries(processors).map(([name, processor]) => {
    const worker = new Worker(name, processor, {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: CONCURRENCY[name as QueueName] ?? 1,
    });
    worker.on("failed", (job, error) =>
      deps.logger.warn({ queue: name, jobId: job?.id, attempt: job?.attemptsMade, err: error.message }, "job failed"),
    );
    worker.on("error", (error) => deps.logger.error({ queue: name, err: error.message }, "worker error"));
    return worker;
  });
  return {
    workers,
    async stop(graceMs = 10_000) {
      let timer: NodeJS.Timeout | undefined;
      const graceful = Promise.all(workers.map((worker) => worker.close())).then(() => true);
      const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
      const finished = await Promise.race([graceful, timeout]);
      clearTimeout(timer);
      if (!finished) await Promise.all(workers.map((worker) => worker.close(true)));
    },
  };
}
