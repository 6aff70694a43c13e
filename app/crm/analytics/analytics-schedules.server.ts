// The nightly analytics run of each shop: a BullMQ job scheduler at 03:00 in the shop's own time
// zone, so figures are fresh each morning wherever the merchant is.
import type { JobQueues } from "../../jobs/job-queues.server";

export const NIGHTLY_ANALYTICS_PATTERN = "0 3 * * *";
export const analyticsSchedulerId = (shopDomain: string) => `analytics-${shopDomain}-nightly`;

/**
 * Upserts the shop's nightly run in `timeZone` (the shop's IANA zone, passed in by the caller
 * that recorded the shop); calling it again with a new zone moves the schedule.
 */
export async function scheduleShopAnalytics(jobs: JobQueues, shopDomain: string, timeZone: string) {
  await jobs
    .queue("analytics")
    .upsertJobScheduler(
      analyticsSchedulerId(shopDomain),
      { pattern: NIGHTLY_ANALYTICS_PATTERN, tz: timeZone },
      { name: "compute-shop", data: { shopDomain, trigger: "nightly" } },
    );
}

export async function unscheduleShopAnalytics(jobs: JobQueues, shopDomain: string) {
  await jobs.queue("analytics").removeJobScheduler(analyticsSchedulerId(shopDomain));
}
