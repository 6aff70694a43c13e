// The inbox sweeper. PostgreSQL's inbox is the source of truth; Redis only carries the
// work. A delivery still `received` a few minutes after it arrived lost its job (Redis was
// down when the webhook came in, or lost its data), or its job failed for good without the
// dead letter being written (the worker died first, or the job stalled too often). Every
// minute the sweeper looks at such deliveries: a missing job is enqueued again under the
// same deterministic id; a job that failed for good is recorded as a dead letter; a job
// still waiting, delayed or running is left alone. Running it twice changes nothing.
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import type { Logger } from "../../lib/logger.server";
import { recordDeadLetter } from "./dead-letter.server";
import { findStrandedDeliveries } from "./delivery-health.repository.server";
import { deliveryJobId, deliveryJobTarget } from "./delivery-jobs";
import { enqueueDelivery } from "./enqueue-delivery.server";

export const INBOX_SWEEPER_ID = "inbox-sweeper";
export const INBOX_SWEEP_EVERY_MS = 60_000;
/** Longer than a normal enqueue-and-apply takes, shorter than a merchant's patience. */
export const STRANDED_AFTER_MS = 5 * 60_000;

export async function scheduleInboxSweeper(jobs: JobQueues) {
  await jobs.queue("ingest").upsertJobScheduler(
    INBOX_SWEEPER_ID,
    { every: INBOX_SWEEP_EVERY_MS },
    // The next run comes in a minute: no retries, and no pile of finished runs.
    { name: "sweep-inbox", data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 100 } } },
  );
}

export interface SweepResult {
  enqueued: number;
  deadLettered: number;
  inFlight: number;
}

export async function sweepInbox(
  deps: { db: PrismaClient; jobs: JobQueues; logger: Logger },
  options: { strandedAfterMs?: number; now?: Date } = {},
): Promise<SweepResult> {
  const now = options.now ?? new Date();
  const olderThan = new Date(now.getTime() - (options.strandedAfterMs ?? STRANDED_AFTER_MS));
  const result: SweepResult = { enqueued: 0, deadLettered: 0, inFlight: 0 };
  for (const delivery of await findStrandedDeliveries(deps.db, olderThan)) {
    const queue = deps.jobs.queue(deliveryJobTarget(delivery.topic).queue);
    const job = await queue.getJob(deliveryJobId(delivery.id, delivery.attempts));
    if (!job) {
      await enqueueDelivery(deps.jobs, delivery);
      result.enqueued += 1;
      continue;
    }
    if ((await job.getState()) === "failed") {
      const error = Object.assign(new Error(job.failedReason || "Job failed"), { name: "UnrecoverableError" });
      if (await recordDeadLetter(deps, queue.name, job, error)) result.deadLettered += 1;
      continue;
    }
    result.inFlight += 1;
  }
  if (result.enqueued || result.deadLettered) deps.logger.info({ ...result }, "inbox swept");
  return result;
}
