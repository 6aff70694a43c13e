// The retention job: once a day (a global BullMQ job scheduler on the `privacy` queue), every
// shop in turn loses what is past its period (app/crm/privacy/retention-periods.ts). Running it
// twice, or after a crash half-way, changes nothing more: each step deletes by date.
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import type { Logger } from "../../lib/logger.server";
import { eraseCustomerData } from "./privacy-webhooks.server";
import { retentionCutoffs } from "./retention-periods";
import {
  clearOldPrivacyDocuments,
  deleteOldAnalyticsRuns,
  deleteOldDeliveries,
  deleteOldSyncRuns,
  findDeletedCustomersToErase,
  listShopsForRetention,
} from "./retention.repository.server";

export const RETENTION_SCHEDULER_ID = "privacy-retention";
/** 02:30 UTC: before the shops' nightly analytics (03:00 in their zone) for most of the world. */
export const RETENTION_PATTERN = "30 2 * * *";

export async function scheduleRetention(jobs: JobQueues) {
  await jobs
    .queue("privacy")
    .upsertJobScheduler(
      RETENTION_SCHEDULER_ID,
      { pattern: RETENTION_PATTERN, tz: "UTC" },
      { name: "apply-retention", data: {}, opts: { removeOnComplete: { count: 30 }, removeOnFail: { count: 30 } } },
    );
}

type Shop = Awaited<ReturnType<typeof listShopsForRetention>>[number];

export interface RetentionResult {
  deliveries: number;
  privacyDocuments: number;
  erasedCustomers: number;
  syncRuns: number;
  analyticsRuns: number;
}

export async function applyShopRetention(db: PrismaClient, shop: Shop, now: Date): Promise<RetentionResult> {
  const cutoff = retentionCutoffs(now);
  const deliveries = await deleteOldDeliveries(
    db,
    shop.domain,
    cutoff.processedWebhookDeliveries,
    cutoff.failedWebhookDeliveries,
  );
  const privacyDocuments = await clearOldPrivacyDocuments(db, shop.domain, cutoff.privacyRequestDocuments);
  // A bounded batch a day per shop; the rest follows the next day.
  const customers = await findDeletedCustomersToErase(db, shop.id, cutoff.deletedCustomerPersonalFields);
  for (const customerShopifyId of customers) {
    await eraseCustomerData(db, shop, { customerShopifyId, email: null, orderShopifyIds: [], requestId: null }, now);
  }
  const syncRuns = await deleteOldSyncRuns(db, shop.id, cutoff.syncRuns);
  const analyticsRuns = await deleteOldAnalyticsRuns(db, shop.id, cutoff.analyticsRuns);
  return { deliveries, privacyDocuments, erasedCustomers: customers.length, syncRuns, analyticsRuns };
}

/** The daily job: every shop, one after the other; counts only in the log, never personal data. */
export async function applyRetention(deps: { db: PrismaClient; logger: Logger }, now = new Date()) {
  for (const shop of await listShopsForRetention(deps.db)) {
    const result = await applyShopRetention(deps.db, shop, now);
    if (Object.values(result).some((count) => count > 0))
      deps.logger.info({ shop: shop.domain, ...result }, "retention applied");
  }
}
