// Reads and erases one customer's rows in the profile tables (customers, orders and their
// lines and refunds), always within one shop.
import { Prisma, type PrismaClient } from "@prisma/client";

import type { CustomerDataSubject } from "./customer-data-document";

const ordersOf = (subject: CustomerDataSubject) => Prisma.sql`
  o.shop_id = ${subject.shopId}
  AND (o.customer_shopify_id = ${subject.customerShopifyId}
       OR o.shopify_id = ANY (${subject.orderShopifyIds}::bigint[])
       OR (o.email IS NOT NULL AND lower(o.email) = ANY (${subject.emails}::text[])))`;

/** The customer's stored e-mail, lower-cased, when there is one (guest orders carry it). */
export async function findCustomerEmail(db: PrismaClient, shopId: number, customerShopifyId: bigint) {
  const customer = await db.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: customerShopifyId } },
    select: { email: true },
  });
  return customer?.email?.toLowerCase() ?? null;
}

/** Shopify ids of the orders that belong to the subject: by customer id, by request, or by e-mail. */
export async function findSubjectOrderIds(db: PrismaClient, subject: CustomerDataSubject): Promise<bigint[]> {
  const rows = await db.$queryRaw<{ shopify_id: bigint }[]>`
    SELECT o.shopify_id FROM orders AS o WHERE ${ordersOf(subject)} ORDER BY o.shopify_id`;
  return rows.map((row) => row.shopify_id);
}

export async function findCustomerProfile(db: PrismaClient, subject: CustomerDataSubject) {
  return db.customer.findUnique({
    where: { shopId_shopifyId: { shopId: subject.shopId, shopifyId: subject.customerShopifyId } },
  });
}

export async function findSubjectOrders(db: PrismaClient, subject: CustomerDataSubject) {
  const ids = await findSubjectOrderIds(db, subject);
  if (ids.length === 0) return [];
  return db.order.findMany({
    where: { shopId: subject.shopId, shopifyId: { in: ids } },
    include: {
      lineItems: { orderBy: { shopifyId: "asc" } },
      refunds: { orderBy: { refundedAt: "asc" } },
    },
    orderBy: { processedAt: "asc" },
  });
}

/**
 * Erases the profile's personal fields and keeps its anonymous figures (order count, spend,
 * dates, channels, top products) so the shop's analytics still add up. The row stays, with
 * Shopify's opaque id and redacted_at, as the tombstone that stops a later customers/update
 * from writing the data back (the profile upsert skips redacted rows). A customer never seen
 * gets a tombstone too, marked deleted so it counts nowhere.
 */
export async function redactCustomerProfile(db: PrismaClient, subject: CustomerDataSubject, at: Date) {
  const when = at.toISOString();
  await db.$executeRaw`
    INSERT INTO customers AS c (shop_id, shopify_id, shopify_created_at, shopify_updated_at, deleted_at,
                                redacted_at, updated_at)
    VALUES (${subject.shopId}, ${subject.customerShopifyId}, ${when}::timestamptz, ${when}::timestamptz,
            ${when}::timestamptz, ${when}::timestamptz, now())
    ON CONFLICT (shop_id, shopify_id) DO UPDATE SET
      first_name = NULL, last_name = NULL, email = NULL, country_code = NULL, tags = '{}',
      redacted_at = COALESCE(c.redacted_at, EXCLUDED.redacted_at), updated_at = now()
    WHERE c.redacted_at IS NULL
       OR (c.first_name, c.last_name, c.email, c.country_code) IS DISTINCT FROM (NULL, NULL, NULL, NULL)
       OR c.tags <> '{}'`;
}

/** The e-mail is the only personal field an order row holds; its amounts and dates stay. */
export async function redactSubjectOrders(db: PrismaClient, subject: CustomerDataSubject) {
  await db.$executeRaw`
    UPDATE orders AS o SET email = NULL, updated_at = now()
    WHERE ${ordersOf(subject)} AND o.email IS NOT NULL`;
}
