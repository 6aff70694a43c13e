// The nightly analytics run of each shop: a BullMQ job scheduler at 03:00 in the shop's own time
// zone, so figures are fresh each morning wherever the merchant is.
import { db } from "../../db.server";
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import { findShopByDomain } from "../shop/shop.repository.server";

export const NIGHTLY_ANALYTICS_PATTERN = "0 3 * * *";
export const analyticsSchedulerId = (shopDomain: string) => `analytics-${shopDomain}-nightly`;

/**
 * Upserts the shop's nightly run. Without `timeZone`, the recorded shop's zone (UTC if the shop
 * is not recorded yet); calling it again after a zone change moves the schedule.
 */
export async function scheduleShopAnalytics(
  jobs: JobQueues,
  shopDomain: string,
  timeZone?: string,
  database: () => PrismaClient = db,
) {
  const tz = timeZone ?? (await findShopByDomain(database(), shopDomain))?.ianaTimezone ?? "UTC";
  await jobs
    .queue("analytics")
    .upsertJobScheduler(
      analyticsSchedulerId(shopDomain),
      { pattern: NIGHTLY_ANALYTICS_PATTERN, tz },
      { name: "compute-shop", data: { shopDomain, trigger: "nightly" } },
    );
}

export async function unscheduleShopAnalytics(jobs: JobQueues, shopDomain: string) {
  await jobs.queue("analytics").removeJobScheduler(analyticsSchedulerId(shopDomain));
}
