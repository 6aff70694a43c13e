// Job schedulers live in Redis. A Redis that lost its data (restarted without persistence, as
// here and in many deployments) loses them all: the inbox sweeper, and every shop's nightly
// analytics, daily loyalty pass and reconciliation would silently never run again (they are
// otherwise written only when a merchant authenticates). The workers call this each time their
// Redis connection becomes ready again after a loss of connection. Only missing schedulers are
// written: upserting an existing one could move its next run.
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import type { Logger } from "../../lib/logger.server";
import { analyticsSchedulerId } from "../analytics/analytics-schedules.server";
import { reconcileSchedulerId, scheduleShopJobs, scheduleShopLocalTimeJobs } from "../history/shop-schedules.server";
import { scheduleRetention } from "../privacy/retention.server";
import { requestLoyaltyEvaluations } from "../loyalty/loyalty-webhook-hooks.server";
import { listInstalledShops } from "../shop/shop.repository.server";
import { findAppliedDeliveriesSince } from "./delivery-health.repository.server";
import { INBOX_SWEEPER_ID, scheduleInboxSweeper } from "./inbox-sweeper.server";

/** Restores the schedulers when Redis lost them (the inbox sweeper's is the witness). */
export async function restoreLostJobSchedulers(deps: { db: PrismaClient; jobs: JobQueues; logger: Logger }) {
  if (await deps.jobs.queue("ingest").getJobScheduler(INBOX_SWEEPER_ID)) return { restored: false, shops: 0 };
  await scheduleInboxSweeper(deps.jobs);
  await scheduleRetention(deps.jobs);
  let shops = 0;
  for (const shop of await listInstalledShops(deps.db)) {
    if (!(await deps.jobs.queue("sync").getJobScheduler(reconcileSchedulerId(shop.domain)))) {
      await scheduleShopJobs(deps.jobs, shop.domain);
    }
    if (!(await deps.jobs.queue("analytics").getJobScheduler(analyticsSchedulerId(shop.domain)))) {
      await scheduleShopLocalTimeJobs(deps.jobs, shop.domain, shop.ianaTimezone);
    }
    shops++;
  }
  const evaluations = await requeueLoyaltyEvaluations(deps, new Date(Date.now() - LOYALTY_REPLAY_WINDOW_MS));
  deps.logger.warn({ shops, evaluations }, "Redis had lost its job schedulers; restored");
  return { restored: true, shops, evaluations };
}

/**
 * Longer than a loyalty evaluation waits in the queue even behind a backlog. A delivery is
 * marked applied once its evaluation job is queued, so the inbox sweeper never sees one whose
 * job Redis lost afterwards.
 */
export const LOYALTY_REPLAY_WINDOW_MS = 30 * 60_000;

/**
 * Queues again the loyalty evaluation of every delivery applied in the window. Evaluations
 * are idempotent (each ledger entry has its key), so one that had already run adds nothing.
 */
export async function requeueLoyaltyEvaluations(
  deps: { db: PrismaClient; jobs: JobQueues; logger: Logger },
  since: Date,
): Promise<number> {
  let afterId = 0n;
  let count = 0;
  for (;;) {
    const rows = await findAppliedDeliveriesSince(deps.db, since, afterId);
    if (rows.length === 0) return count;
    const deliveries = rows.map((row) => ({ ...row, occurredAt: row.triggeredAt ?? row.receivedAt }));
    await requestLoyaltyEvaluations(deps, deliveries);
    count += rows.length;
    afterId = rows.at(-1)!.id;
  }
}
