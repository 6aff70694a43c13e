// Starts one BullMQ worker per queue family and stops them cleanly.
import { Worker, type Processor } from "bullmq";
import type { Redis } from "ioredis";

import type { PrismaClient } from "../app/db.server";
import type { JobQueues } from "../app/jobs/job-queues.server";
import type { QueueName } from "../app/jobs/queues";
import type { Logger } from "../app/lib/logger.server";
import { recordDeadLetter } from "../app/crm/data-health/dead-letter.server";
import { createInboxSweeperProcessor } from "./processors/inbox-sweeper.processor";
import {
  type AdminClientFactory,
  createOfflineAdminClientFactory,
} from "../app/crm/shopify-admin/admin-client-for-shop.server";
import { createAnalyticsProcessor } from "./processors/analytics.processor";
import { createAutomationsProcessor } from "./processors/automations.processor";
import { createBackfillProcessor } from "./processors/backfill.processor";
import { createIngestProcessor } from "./processors/ingest.processor";
import { createLoyaltyProcessor } from "./processors/loyalty.processor";
import { createPrivacyProcessor } from "./processors/privacy.processor";
import { createSegmentsProcessor } from "./processors/segments.processor";
import { createShopifyCallsProcessor } from "./processors/shopify-calls.processor";
import { createSyncProcessor } from "./processors/sync.processor";

export interface WorkerDeps {
  db: PrismaClient;
  logger: Logger;
  jobs: JobQueues;
  connection: Redis;
  prefix: string;
  /** Admin API clients for background jobs (default: the shop's offline session). */
  adminFor?: AdminClientFactory;
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

// Automations: real-time order events must not queue behind a night's runs. Shopify calls: their
// own slots, so jobs waiting on a throttled shop hold these and not loyalty's evaluations; 32
// lets a full metafieldsSet batch of survey links (25) gather while the previous one is in flight.
const CONCURRENCY: Partial<Record<QueueName, number>> = {
  ingest: 64,
  privacy: 2,
  loyalty: 64,
  "shopify-calls": 32,
  automations: 16,
};

export function startWorkers(deps: WorkerDeps): RunningWorkers {
  const historyDeps = {
    ...deps,
    adminFor: deps.adminFor ?? createOfflineAdminClientFactory(deps.connection, deps.prefix),
  };
  const applyWebhook = createIngestProcessor(deps);
  const sweepInbox = createInboxSweeperProcessor(deps);
  const shopifyCalls = createShopifyCallsProcessor(historyDeps);
  const processors: Partial<Record<QueueName, Processor>> = {
    ingest: (job) => (job.name === "sweep-inbox" ? sweepInbox() : applyWebhook(job)),
    privacy: createPrivacyProcessor(deps),
    backfill: createBackfillProcessor(historyDeps),
    sync: createSyncProcessor(historyDeps),
    analytics: createAnalyticsProcessor(deps) as Processor,
    loyalty: createLoyaltyProcessor(historyDeps, shopifyCalls) as Processor,
    "shopify-calls": shopifyCalls as Processor,
    segments: createSegmentsProcessor(historyDeps) as Processor,
    automations: createAutomationsProcessor(historyDeps) as Processor,
    ...deps.processors,
  };
  const workers = Object.entries(processors).map(([name, processor]) => {
    const worker = new Worker(name, processor, {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: CONCURRENCY[name as QueueName] ?? 1,
    });
    worker.on("failed", (job, error) => {
      deps.logger.warn({ queue: name, jobId: job?.id, attempt: job?.attemptsMade, err: error.message }, "job failed");
      // Dead letter on the final failed attempt (or an unrecoverable error), here rather than
      // in each processor: this event sees every way a job fails while running, including a
      // processor that throws before reaching any try/catch of ours. It fires once BullMQ has
      // moved the job to the failed set; if the process dies in between, the inbox sweeper
      // finds the delivery still `received` with its job failed and records it then.
      if (job) {
        recordDeadLetter(deps, name, job, error).catch((failure: Error) =>
          deps.logger.error({ queue: name, jobId: job.id, err: failure.message }, "dead letter not recorded"),
        );
      }
    });
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
