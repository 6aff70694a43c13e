// The inbox sweeper. PostgreSQL's inbox is the source of truth; Redis only carries the
// work. A delivery still `received` a few minutes after it arrived lost its job (Redis was
// down when the webhook came in, or lost its data), or its job failed for good without the
// dead letter being written (the worker died first, or the job stalled too often). Every
// minute the sweeper looks at all such deliveries, within a time budget: missing jobs are
// enqueued again in bulk under the same deterministic ids; a job that failed for good is
// recorded as a dead letter; a job still waiting, delayed or running is left alone. Running it
// twice changes nothing.
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import type { Logger } from "../../lib/logger.server";
import { recordDeadLetter } from "./dead-letter.server";
import { findStrandedDeliveries, type StrandedCursor } from "./delivery-health.repository.server";
import { deliveryJobId, deliveryJobTarget } from "./delivery-jobs";
import { enqueueDeliveries } from "./enqueue-delivery.server";
import { lookUpDeliveryJobs, strandedDeliveryAction } from "./stranded-delivery-jobs.server";

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

/** Deliveries read, and their jobs looked up in one batch, at a time. */
const SWEEP_PAGE_SIZE = 500;
/**
 * Well under INBOX_SWEEP_EVERY_MS, so a sweep is over before the next one starts; what a sweep
 * leaves (a backlog of hundreds of thousands) is the next one's.
 */
export const INBOX_SWEEP_BUDGET_MS = 20_000;

export interface SweepResult {
  enqueued: number;
  deadLettered: number;
  inFlight: number;
  /** False when the time budget ran out before the last stranded delivery was looked at. */
  complete: boolean;
}

type StrandedDelivery = Awaited<ReturnType<typeof findStrandedDeliveries>>[number];
type SweepDeps = { db: PrismaClient; jobs: JobQueues; logger: Logger };

/**
 * Looks at every stranded delivery, page by page, within the time budget: after Redis lost its
 * data one sweep re-enqueues the whole backlog, not a page of it a minute.
 */
export async function sweepInbox(
  deps: SweepDeps,
  options: { strandedAfterMs?: number; now?: Date; budgetMs?: number; pageSize?: number } = {},
): Promise<SweepResult> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const olderThan = new Date(now.getTime() - (options.strandedAfterMs ?? STRANDED_AFTER_MS));
  const pageSize = options.pageSize ?? SWEEP_PAGE_SIZE;
  const result: SweepResult = { enqueued: 0, deadLettered: 0, inFlight: 0, complete: true };
  let after: StrandedCursor | null = null;
  for (;;) {
    const page = await findStrandedDeliveries(deps.db, olderThan, { after, limit: pageSize });
    await sweepPage(deps, page, result);
    const last = page[page.length - 1];
    if (!last || page.length < pageSize) break;
    after = { receivedAt: last.receivedAt, id: last.id };
    if (performance.now() - started >= (options.budgetMs ?? INBOX_SWEEP_BUDGET_MS)) {
      result.complete = false;
      break;
    }
  }
  if (result.enqueued || result.deadLettered || !result.complete) deps.logger.info({ ...result }, "inbox swept");
  return result;
}

async function sweepPage(deps: SweepDeps, page: StrandedDelivery[], result: SweepResult) {
  const facts = await lookUpDeliveryJobs(deps.jobs, page);
  const actions = facts.map(strandedDeliveryAction);
  const missing = page.filter((_, index) => actions[index] === "enqueue");
  // Under the same deterministic ids as the webhook's own enqueue: a job added meanwhile stays one.
  await enqueueDeliveries(deps.jobs, missing);
  result.enqueued += missing.length;
  result.inFlight += actions.filter((action) => action === "leave").length;
  // Failed jobs are few (each becomes a dead letter once): only they are read whole, for their payload.
  const failed = page.filter((_, index) => actions[index] === "dead-letter");
  const failedJobs = await Promise.all(
    failed.map((delivery) =>
      deps.jobs.queue(deliveryJobTarget(delivery.topic).queue).getJob(deliveryJobId(delivery.id, delivery.attempts)),
    ),
  );
  for (const job of failedJobs) {
    // Removed since the lookup: the next sweep finds it missing and enqueues it again.
    if (!job) {
      result.inFlight += 1;
      continue;
    }
    const error = Object.assign(new Error(job.failedReason || "Job failed"), { name: "UnrecoverableError" });
    if (await recordDeadLetter(deps, job.queueName, job, error)) result.deadLettered += 1;
  }
}
