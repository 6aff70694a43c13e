// The recurring jobs of an installed shop: the daily reconciliation (a BullMQ job
// scheduler per shop, so each shop's run is independent and survives restarts), and the
// history import enqueued on install.
import type { JobQueues } from "../../jobs/job-queues.server";
import { scheduleShopAnalytics, unscheduleShopAnalytics } from "../analytics/analytics-schedules.server";
import { scheduleShopLoyalty, unscheduleShopLoyalty } from "../loyalty/loyalty-schedules.server";

const DAY_MS = 24 * 3600 * 1000;

export const reconcileSchedulerId = (shopDomain: string) => `reconcile-${shopDomain}`;

export async function scheduleShopJobs(jobs: JobQueues, shopDomain: string) {
  await jobs.queue("sync").upsertJobScheduler(
    reconcileSchedulerId(shopDomain),
    { every: DAY_MS },
    // `day` is fixed in a scheduler's template; the processor dates each run itself.
    { name: "reconcile-shop", data: { shopDomain, day: "scheduled" } },
  );
}

export async function unscheduleShopJobs(jobs: JobQueues, shopDomain: string) {
  await jobs.queue("sync").removeJobScheduler(reconcileSchedulerId(shopDomain));
  await unscheduleShopAnalytics(jobs, shopDomain);
  await unscheduleShopLoyalty(jobs, shopDomain);
}

/** For afterAuth: import the shop's history (once per install) and schedule its jobs. */
export async function onShopInstalled(jobs: JobQueues, shopDomain: string) {
  await jobs.add(
    "backfill",
    "import-history",
    { shopDomain, reason: "install" },
    { jobId: `history-${shopDomain}-install` },
  );
  await scheduleShopJobs(jobs, shopDomain);
  await scheduleShopAnalytics(jobs, shopDomain);
  await scheduleShopLoyalty(jobs, shopDomain);
}

/** The merchant's "Re-import history": one request per minute at most becomes a job. */
export async function requestHistoryReimport(jobs: JobQueues, shopDomain: string, now = new Date()) {
  const minute = now.toISOString().slice(0, 16).replace(/\D/g, "");
  await jobs.add(
    "backfill",
    "import-history",
    { shopDomain, reason: "merchant" },
    { jobId: `history-${shopDomain}-merchant-${minute}` },
  );
}
