// The recurring jobs of an installed shop: the daily reconciliation (a BullMQ job
// scheduler per shop, so each shop's run is independent and survives restarts), and the
// history import enqueued on install.
import type { JobQueues } from "../../jobs/job-queues.server";
import { scheduleShopAnalytics, unscheduleShopAnalytics } from "../analytics/analytics-schedules.server";
import { scheduleShopLoyalty, unscheduleShopLoyalty } from "../loyalty/loyalty-schedules.server";

const DAY_MS = 24 * 3600 * 1000;

export const reconcileSchedulerId = (shopDomain: string) => `reconcile-${shopDomain}`;

/**
 * The shop's daily reconciliation. An `every` scheduler runs its first job at once: `firstRunAt`
 * puts it later (after an install the history import has just read everything; a reconciliation
 * beside it would only fetch the same day again, and show as the page's last sync).
 */
export async function scheduleShopJobs(jobs: JobQueues, shopDomain: string, firstRunAt?: Date) {
  await jobs.queue("sync").upsertJobScheduler(
    reconcileSchedulerId(shopDomain),
    { every: DAY_MS, ...(firstRunAt && { startDate: firstRunAt }) },
    // `day` is fixed in a scheduler's template; the processor dates each run itself.
    { name: "reconcile-shop", data: { shopDomain, day: "scheduled" } },
  );
}

export async function unscheduleShopJobs(jobs: JobQueues, shopDomain: string) {
  await jobs.queue("sync").removeJobScheduler(reconcileSchedulerId(shopDomain));
  await unscheduleShopAnalytics(jobs, shopDomain);
  await unscheduleShopLoyalty(jobs, shopDomain);
}

/** The jobs that run at a local hour; upserting them again with a new zone moves them. */
export async function scheduleShopLocalTimeJobs(jobs: JobQueues, shopDomain: string, timeZone: string) {
  await scheduleShopAnalytics(jobs, shopDomain, timeZone);
  await scheduleShopLoyalty(jobs, shopDomain, timeZone);
}

/** Import the shop's history (once per install) and schedule its jobs in its time zone. */
export async function onShopInstalled(jobs: JobQueues, shopDomain: string, timeZone: string) {
  await jobs.add(
    "backfill",
    "import-history",
    { shopDomain, reason: "install" },
    { jobId: `history-${shopDomain}-install` },
  );
  // Written once per install: upserting it at every authentication would move its next run.
  if (!(await jobs.queue("sync").getJobScheduler(reconcileSchedulerId(shopDomain)))) {
    await scheduleShopJobs(jobs, shopDomain, new Date(Date.now() + DAY_MS));
  }
  await scheduleShopLocalTimeJobs(jobs, shopDomain, timeZone);
}

export interface RecordedShop {
  shop: { domain: string; ianaTimezone: string };
  /** The zone before this auth recorded the shop; null on a first install. */
  previousTimeZone: string | null;
}

/**
 * For afterAuth, after the shop was (re-)recorded. Every step is idempotent, so it runs on each
 * auth (a shop installed before a job family existed gets it then); the comparison says whether
 * the merchant moved the shop to another zone, whose 03:00 and 04:00 jobs just moved with it.
 */
export async function onShopAuthenticated(jobs: JobQueues, recorded: RecordedShop) {
  const { domain, ianaTimezone } = recorded.shop;
  await onShopInstalled(jobs, domain, ianaTimezone);
  const movedFrom =
    recorded.previousTimeZone !== null && recorded.previousTimeZone !== ianaTimezone ? recorded.previousTimeZone : null;
  return { timeZoneMovedFrom: movedFrom };
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
