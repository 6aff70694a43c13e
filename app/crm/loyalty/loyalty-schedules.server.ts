// The daily loyalty pass of each shop (expiry, tier period ends, birthdays, balance check): a
// BullMQ job scheduler at 04:00 in the shop's own time zone, after the 03:00 analytics run, so
// the merchant's morning starts with expiries and tier changes already applied.
import type { JobQueues } from "../../jobs/job-queues.server";

export const DAILY_LOYALTY_PATTERN = "0 4 * * *";
export const loyaltySchedulerId = (shopDomain: string) => `loyalty-${shopDomain}-daily`;

/** Upserts the shop's daily pass in its zone; upserting with another zone moves it. */
export async function scheduleShopLoyalty(jobs: JobQueues, shopDomain: string, tz: string) {
  await jobs.queue("loyalty").upsertJobScheduler(
    loyaltySchedulerId(shopDomain),
    { pattern: DAILY_LOYALTY_PATTERN, tz },
    // `day` is fixed in a scheduler's template; the pass dates itself from the clock.
    { name: "daily-shop", data: { shopDomain, day: "scheduled" } },
  );
}

export async function unscheduleShopLoyalty(jobs: JobQueues, shopDomain: string) {
  await jobs.queue("loyalty").removeJobScheduler(loyaltySchedulerId(shopDomain));
}
