// The retention job's deletions, one shop at a time and in batches (short transactions, no
// long lock on a busy inbox). Each returns how many rows it removed or erased.
import type { PrismaClient } from "../../db.server";

const BATCH = 5_000;

async function repeatUntilDone(step: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await step();
    total += done;
    if (done < BATCH) return total;
  }
}

/**
 * Applied or ignored deliveries processed before `processedBefore`, and failed ones received
 * before `failedBefore`. `received` ones are never touched (the sweeper still owes them), nor
 * shop/redact deliveries (ids only; they make a replayed erasure a no-op, see eraseShop).
 */
export async function deleteOldDeliveries(
  db: PrismaClient,
  shopDomain: string,
  processedBefore: Date,
  failedBefore: Date,
) {
  const deleted = await repeatUntilDone(
    () => db.$executeRaw`
      DELETE FROM webhook_deliveries WHERE id IN (
        SELECT id FROM webhook_deliveries
        WHERE shop_domain = ${shopDomain} AND topic <> 'shop/redact'
          AND ((status IN ('applied', 'ignored') AND processed_at < ${processedBefore})
            OR (status = 'failed' AND received_at < ${failedBefore}))
        LIMIT ${BATCH})`,
  );
  // The inbox's hourly counts of hours whose deliveries are gone (the card reads the last 7 days).
  await db.$executeRaw`DELETE FROM webhook_delivery_hours WHERE shop_domain = ${shopDomain} AND hour < ${failedBefore}`;
  return deleted;
}

/** The downloadable documents of data requests completed before `completedBefore`; the record stays. */
export function clearOldPrivacyDocuments(db: PrismaClient, shopDomain: string, completedBefore: Date) {
  return db.$executeRaw`
    UPDATE privacy_requests SET document = NULL
    WHERE shop_domain = ${shopDomain} AND document IS NOT NULL AND completed_at < ${completedBefore}`;
}

/** Shopify ids of the shop's customers deleted in Shopify before `deletedBefore` and not yet erased. */
export async function findDeletedCustomersToErase(db: PrismaClient, shopId: number, deletedBefore: Date) {
  const rows = await db.customer.findMany({
    where: { shopId, redactedAt: null, deletedAt: { lt: deletedBefore } },
    select: { shopifyId: true },
    orderBy: { id: "asc" },
    take: BATCH,
  });
  return rows.map((row) => row.shopifyId);
}

/** Finished sync runs started before `startedBefore`, except the latest run of each kind. */
export function deleteOldSyncRuns(db: PrismaClient, shopId: number, startedBefore: Date) {
  return db.$executeRaw`
    DELETE FROM sync_runs s
    WHERE s.shop_id = ${shopId} AND s.status <> 'running' AND s.started_at < ${startedBefore}
      AND s.id <> (SELECT max(l.id) FROM sync_runs l WHERE l.shop_id = s.shop_id AND l.kind = s.kind)`;
}

/** Finished analytics runs (and their summaries) started before `startedBefore`, except the latest succeeded one. */
export function deleteOldAnalyticsRuns(db: PrismaClient, shopId: number, startedBefore: Date) {
  return db.$executeRaw`
    DELETE FROM analytics_runs r
    WHERE r.shop_id = ${shopId} AND r.status <> 'running' AND r.started_at < ${startedBefore}
      AND r.id IS DISTINCT FROM (
        SELECT max(l.id) FROM analytics_runs l WHERE l.shop_id = r.shop_id AND l.status = 'succeeded')`;
}

export function listShopsForRetention(db: PrismaClient) {
  return db.shop.findMany({ orderBy: { id: "asc" } });
}
