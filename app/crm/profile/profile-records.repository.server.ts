// Writes customer and order records in batches, idempotently and in any order:
// - a row changes only when the incoming version is at least as new (`shopify_updated_at`),
//   so an older delivery never overwrites newer data and a replay writes nothing;
// - refunds are immutable in Shopify: inserted once by id, even before their order arrives;
// - an order's refunded total and its lines' refunded quantities are derived from the refunds
//   we hold, never taken from a payload, so they stay exact whatever the arrival order.
// Rows travel as one array per column and are unpacked with UNNEST: a few bind parameters per
// batch however many rows it holds.
import { Prisma, type PrismaClient } from "@prisma/client";

import type { CustomerRecord, OrderRecord, RefundRecord } from "./profile-records";

export const WRITE_BATCH_SIZE = 1_000;

export function inBatches<T>(items: readonly T[], size = WRITE_BATCH_SIZE): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);
// Tags travel comma-joined, as Shopify keeps them (a Shopify tag cannot contain a comma).
const joinedTags = (tags: string[]) => tags.join(",");

/** Upserts customers; returns the Shopify ids whose row was written. Redacted customers stay redacted. */
export async function upsertCustomerRecords(
  db: PrismaClient,
  shopId: number,
  customers: readonly CustomerRecord[],
): Promise<bigint[]> {
  const written: bigint[] = [];
  for (const batch of inBatches(customers)) {
    const rows = await db.$queryRaw<{ shopify_id: bigint }[]>`
      INSERT INTO customers AS c (
        shop_id, shopify_id, first_name, last_name, email, phone, city, province, country_code, tags,
        email_consent, sms_consent, shopify_created_at, shopify_updated_at, updated_at
      )
      SELECT ${shopId}, u.shopify_id, u.first_name, u.last_name, u.email, u.phone, u.city, u.province,
             u.country_code, COALESCE(string_to_array(NULLIF(u.tags, ''), ','), '{}'::text[]),
             u.email_consent, u.sms_consent, u.shopify_created_at, u.shopify_updated_at, now()
      FROM UNNEST(
        ${batch.map((c) => c.shopifyId)}::bigint[],
        ${batch.map((c) => c.firstName)}::text[],
        ${batch.map((c) => c.lastName)}::text[],
        ${batch.map((c) => c.email)}::text[],
        ${batch.map((c) => c.phone)}::text[],
        ${batch.map((c) => c.city)}::text[],
        ${batch.map((c) => c.province)}::text[],
        ${batch.map((c) => c.countryCode)}::text[],
        ${batch.map((c) => joinedTags(c.tags))}::text[],
        ${batch.map((c) => c.emailConsent)}::text[],
        ${batch.map((c) => c.smsConsent)}::text[],
        ${batch.map((c) => iso(c.shopifyCreatedAt))}::timestamptz[],
        ${batch.map((c) => iso(c.shopifyUpdatedAt))}::timestamptz[]
      ) AS u(shopify_id, first_name, last_name, email, phone, city, province, country_code, tags,
             email_consent, sms_consent, shopify_created_at, shopify_updated_at)
      ON CONFLICT (shop_id, shopify_id) DO UPDATE SET
        first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, email = EXCLUDED.email,
        phone = EXCLUDED.phone, city = EXCLUDED.city, province = EXCLUDED.province,
        country_code = EXCLUDED.country_code, tags = EXCLUDED.tags, email_consent = EXCLUDED.email_consent,
        sms_consent = EXCLUDED.sms_consent, shopify_created_at = EXCLUDED.shopify_created_at,
        shopify_updated_at = EXCLUDED.shopify_updated_at, updated_at = now()
      WHERE c.redacted_at IS NULL
        AND c.shopify_updated_at <= EXCLUDED.shopify_updated_at
        AND (c.first_name, c.last_name, c.email, c.phone, c.city, c.province, c.country_code, c.tags,
             c.email_consent, c.sms_consent, c.shopify_created_at, c.shopify_updated_at)
          IS DISTINCT FROM
            (EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.email, EXCLUDED.phone, EXCLUDED.city,
             EXCLUDED.province, EXCLUDED.country_code, EXCLUDED.tags, EXCLUDED.email_consent,
             EXCLUDED.sms_consent, EXCLUDED.shopify_created_at, EXCLUDED.shopify_updated_at)
      RETURNING c.shopify_id`;
    written.push(...rows.map((row) => row.shopify_id));
  }
  return written;
}

/**
 * Upserts orders with their line items and refunds, then re-derives refund figures for
 * them. Lines are replaced only from the version of the order that is now stored.
 */
export async function upsertOrderRecords(db: PrismaClient, shopId: number, orders: readonly OrderRecord[]) {
  for (const batch of inBatches(orders)) {
    await db.$executeRaw`
      INSERT INTO orders AS o (
        shop_id, shopify_id, customer_shopify_id, customer_id, name, email, currency_code, source_name,
        financial_status, processed_at, shopify_created_at, shopify_updated_at, cancelled_at,
        subtotal_minor, total_discounts_minor, shipping_minor, tax_minor, total_minor, updated_at
      )
      SELECT ${shopId}, u.shopify_id, u.customer_shopify_id, c.id, u.name,
             -- An erased customer's e-mail never comes back on their orders.
             CASE WHEN c.redacted_at IS NULL THEN u.email END, u.currency_code, u.source_name,
             u.financial_status, u.processed_at, u.shopify_created_at, u.shopify_updated_at, u.cancelled_at,
             u.subtotal_minor, u.total_discounts_minor, u.shipping_minor, u.tax_minor, u.total_minor, now()
      FROM UNNEST(
        ${batch.map((o) => o.shopifyId)}::bigint[],
        ${batch.map((o) => o.customerShopifyId)}::bigint[],
        ${batch.map((o) => o.name)}::text[],
        ${batch.map((o) => o.email)}::text[],
        ${batch.map((o) => o.currencyCode)}::text[],
        ${batch.map((o) => o.sourceName)}::text[],
        ${batch.map((o) => o.financialStatus)}::text[],
        ${batch.map((o) => iso(o.processedAt))}::timestamptz[],
        ${batch.map((o) => iso(o.shopifyCreatedAt))}::timestamptz[],
        ${batch.map((o) => iso(o.shopifyUpdatedAt))}::timestamptz[],
        ${batch.map((o) => iso(o.cancelledAt))}::timestamptz[],
        ${batch.map((o) => o.subtotalMinor)}::bigint[],
        ${batch.map((o) => o.totalDiscountsMinor)}::bigint[],
        ${batch.map((o) => o.shippingMinor)}::bigint[],
        ${batch.map((o) => o.taxMinor)}::bigint[],
        ${batch.map((o) => o.totalMinor)}::bigint[]
      ) AS u(shopify_id, customer_shopify_id, name, email, currency_code, source_name, financial_status,
             processed_at, shopify_created_at, shopify_updated_at, cancelled_at, subtotal_minor,
             total_discounts_minor, shipping_minor, tax_minor, total_minor)
      LEFT JOIN customers AS c ON c.shop_id = ${shopId} AND c.shopify_id = u.customer_shopify_id
      ON CONFLICT (shop_id, shopify_id) DO UPDATE SET
        customer_shopify_id = EXCLUDED.customer_shopify_id, customer_id = EXCLUDED.customer_id,
        name = EXCLUDED.name, email = EXCLUDED.email, currency_code = EXCLUDED.currency_code,
        source_name = EXCLUDED.source_name, financial_status = EXCLUDED.financial_status,
        processed_at = EXCLUDED.processed_at, shopify_created_at = EXCLUDED.shopify_created_at,
        shopify_updated_at = EXCLUDED.shopify_updated_at, cancelled_at = EXCLUDED.cancelled_at,
        subtotal_minor = EXCLUDED.subtotal_minor, total_discounts_minor = EXCLUDED.total_discounts_minor,
        shipping_minor = EXCLUDED.shipping_minor, tax_minor = EXCLUDED.tax_minor,
        total_minor = EXCLUDED.total_minor, updated_at = now()
      WHERE (o.shopify_updated_at < EXCLUDED.shopify_updated_at
             -- Same instant: a cancellation is final in Shopify, so it is never undone by a tie.
             OR (o.shopify_updated_at = EXCLUDED.shopify_updated_at
                 AND NOT (o.cancelled_at IS NOT NULL AND EXCLUDED.cancelled_at IS NULL)))
        AND (o.customer_shopify_id, o.customer_id, o.name, o.email, o.currency_code, o.source_name,
             o.financial_status, o.processed_at, o.shopify_created_at, o.shopify_updated_at, o.cancelled_at,
             o.subtotal_minor, o.total_discounts_minor, o.shipping_minor, o.tax_minor, o.total_minor)
          IS DISTINCT FROM
            (EXCLUDED.customer_shopify_id, EXCLUDED.customer_id, EXCLUDED.name, EXCLUDED.email,
             EXCLUDED.currency_code, EXCLUDED.source_name, EXCLUDED.financial_status, EXCLUDED.processed_at,
             EXCLUDED.shopify_created_at, EXCLUDED.shopify_updated_at, EXCLUDED.cancelled_at,
             EXCLUDED.subtotal_minor, EXCLUDED.total_discounts_minor, EXCLUDED.shipping_minor,
             EXCLUDED.tax_minor, EXCLUDED.total_minor)`;
    await upsertLineItems(db, shopId, batch);
    await insertRefundRecords(
      db,
      shopId,
      batch.flatMap((order) => order.refunds),
    );
    await refreshRefundFigures(
      db,
      shopId,
      batch.map((order) => order.shopifyId),
    );
  }
}

// Lines come from the version of the order now stored (equal updated_at): an older payload
// cannot bring back lines an edit removed.
async function upsertLineItems(db: PrismaClient, shopId: number, orders: readonly OrderRecord[]) {
  const rows = orders.flatMap((order) => order.lineItems.map((line) => ({ order, line })));
  for (const batch of inBatches(rows)) {
    await db.$executeRaw`
      INSERT INTO line_items AS li (
        shop_id, order_id, shopify_id, product_shopify_id, variant_shopify_id, title, variant_title, sku,
        quantity, price_minor, discount_minor
      )
      SELECT ${shopId}, o.id, u.shopify_id, u.product_shopify_id, u.variant_shopify_id, u.title, u.variant_title,
             u.sku, u.quantity, u.price_minor, u.discount_minor
      FROM UNNEST(
        ${batch.map((row) => row.order.shopifyId)}::bigint[],
        ${batch.map((row) => iso(row.order.shopifyUpdatedAt))}::timestamptz[],
        ${batch.map((row) => row.line.shopifyId)}::bigint[],
        ${batch.map((row) => row.line.productShopifyId)}::bigint[],
        ${batch.map((row) => row.line.variantShopifyId)}::bigint[],
        ${batch.map((row) => row.line.title)}::text[],
        ${batch.map((row) => row.line.variantTitle)}::text[],
        ${batch.map((row) => row.line.sku)}::text[],
        ${batch.map((row) => row.line.quantity)}::int[],
        ${batch.map((row) => row.line.priceMinor)}::bigint[],
        ${batch.map((row) => row.line.discountMinor)}::bigint[]
      ) AS u(order_shopify_id, order_updated_at, shopify_id, product_shopify_id, variant_shopify_id, title,
             variant_title, sku, quantity, price_minor, discount_minor)
      JOIN orders AS o ON o.shop_id = ${shopId} AND o.shopify_id = u.order_shopify_id
                      AND o.shopify_updated_at = u.order_updated_at
      ON CONFLICT (shop_id, shopify_id) DO UPDATE SET
        order_id = EXCLUDED.order_id, product_shopify_id = EXCLUDED.product_shopify_id,
        variant_shopify_id = EXCLUDED.variant_shopify_id, title = EXCLUDED.title,
        variant_title = EXCLUDED.variant_title, sku = EXCLUDED.sku, quantity = EXCLUDED.quantity,
        price_minor = EXCLUDED.price_minor, discount_minor = EXCLUDED.discount_minor
      WHERE (li.order_id, li.product_shopify_id, li.variant_shopify_id, li.title, li.variant_title, li.sku,
             li.quantity, li.price_minor, li.discount_minor)
        IS DISTINCT FROM
            (EXCLUDED.order_id, EXCLUDED.product_shopify_id, EXCLUDED.variant_shopify_id, EXCLUDED.title,
             EXCLUDED.variant_title, EXCLUDED.sku, EXCLUDED.quantity, EXCLUDED.price_minor,
             EXCLUDED.discount_minor)`;
  }
  // Lines an order edit removed go, for the orders whose stored version is this one.
  // (Shopify line item ids are unique across orders, so one list serves the whole batch.)
  await db.$executeRaw`
    DELETE FROM line_items AS li
    WHERE li.order_id IN (
        SELECT o.id FROM orders AS o
        JOIN UNNEST(
          ${orders.map((order) => order.shopifyId)}::bigint[],
          ${orders.map((order) => iso(order.shopifyUpdatedAt))}::timestamptz[]
        ) AS u(order_shopify_id, order_updated_at)
          ON o.shop_id = ${shopId} AND o.shopify_id = u.order_shopify_id AND o.shopify_updated_at = u.order_updated_at
      )
      AND NOT (li.shopify_id = ANY (${orders.flatMap((order) => order.lineItems.map((line) => line.shopifyId))}::bigint[]))`;
}

/** Inserts refunds once by id (lines filled in later if first seen without); one that arrives before its order links up later. */
export async function insertRefundRecords(db: PrismaClient, shopId: number, refunds: readonly RefundRecord[]) {
  for (const batch of inBatches(refunds)) {
    await db.$executeRaw`
      INSERT INTO refunds (shop_id, order_id, order_shopify_id, shopify_id, amount_minor, refunded_at, line_items)
      SELECT ${shopId}, o.id, u.order_shopify_id, u.shopify_id, u.amount_minor, u.refunded_at, u.line_items
      FROM UNNEST(
        ${batch.map((r) => r.orderShopifyId)}::bigint[],
        ${batch.map((r) => r.shopifyId)}::bigint[],
        ${batch.map((r) => r.amountMinor)}::bigint[],
        ${batch.map((r) => iso(r.refundedAt))}::timestamptz[],
        ${batch.map((r) => JSON.stringify(r.lineItems.map((line) => ({ lineItemShopifyId: line.lineItemShopifyId.toString(), quantity: line.quantity, subtotalMinor: line.subtotalMinor.toString() }))))}::jsonb[]
      ) AS u(order_shopify_id, shopify_id, amount_minor, refunded_at, line_items)
      LEFT JOIN orders AS o ON o.shop_id = ${shopId} AND o.shopify_id = u.order_shopify_id
      -- Refunds never change in Shopify, but a Bulk Operation cannot list their lines (a
      -- connection inside a list): a later webhook or reconciliation fills them in.
      ON CONFLICT (shop_id, shopify_id) DO UPDATE SET line_items = EXCLUDED.line_items
      WHERE refunds.line_items = '[]'::jsonb AND EXCLUDED.line_items <> '[]'::jsonb`;
  }
}

/**
 * Links refunds to their orders, then sets each order's refunded_minor and each line's
 * refunded_quantity from the refunds held, for the given orders (by Shopify id).
 */
export async function refreshRefundFigures(db: PrismaClient, shopId: number, orderShopifyIds: readonly bigint[]) {
  if (orderShopifyIds.length === 0) return;
  const ids = Prisma.sql`${[...orderShopifyIds]}::bigint[]`;
  // In order, each idempotent: no transaction needed (a retry redoes them all).
  for (const statement of [
    db.$executeRaw`
      UPDATE refunds AS r SET order_id = o.id
      FROM orders AS o
      WHERE r.shop_id = ${shopId} AND r.order_id IS NULL AND r.order_shopify_id = ANY (${ids})
        AND o.shop_id = ${shopId} AND o.shopify_id = r.order_shopify_id`,
    // Correlated subqueries on indexed keys: a plan that stays fast even before ANALYZE.
    db.$executeRaw`
      UPDATE orders AS o
      SET refunded_minor = COALESCE((SELECT sum(r.amount_minor) FROM refunds AS r WHERE r.order_id = o.id), 0),
          updated_at = now()
      WHERE o.shop_id = ${shopId} AND o.shopify_id = ANY (${ids})
        AND o.refunded_minor IS DISTINCT FROM
            COALESCE((SELECT sum(r.amount_minor) FROM refunds AS r WHERE r.order_id = o.id), 0)`,
    db.$executeRaw`
      UPDATE line_items AS li
      SET refunded_quantity = COALESCE((
        SELECT sum((rl.value ->> 'quantity')::int) FROM refunds AS r, jsonb_array_elements(r.line_items) AS rl(value)
        WHERE r.order_id = li.order_id AND (rl.value ->> 'lineItemShopifyId')::bigint = li.shopify_id), 0)
      WHERE li.order_id IN (SELECT o.id FROM orders AS o WHERE o.shop_id = ${shopId} AND o.shopify_id = ANY (${ids}))
        AND li.refunded_quantity IS DISTINCT FROM COALESCE((
          SELECT sum((rl.value ->> 'quantity')::int) FROM refunds AS r, jsonb_array_elements(r.line_items) AS rl(value)
          WHERE r.order_id = li.order_id AND (rl.value ->> 'lineItemShopifyId')::bigint = li.shopify_id), 0)`,
  ]) {
    await statement;
  }
}

/** customers/delete: the customer is kept as deleted (a tombstone when we never saw it). */
export async function markCustomerDeleted(db: PrismaClient, shopId: number, shopifyId: bigint, at: Date) {
  await db.$executeRaw`
    INSERT INTO customers (shop_id, shopify_id, shopify_created_at, shopify_updated_at, deleted_at, updated_at)
    VALUES (${shopId}, ${shopifyId}, ${iso(at)}::timestamptz, ${iso(at)}::timestamptz, ${iso(at)}::timestamptz, now())
    ON CONFLICT (shop_id, shopify_id) DO UPDATE SET deleted_at = EXCLUDED.deleted_at, updated_at = now()
    WHERE customers.deleted_at IS NULL`;
}

/** Internal ids of the customers with these Shopify ids (for recomputing their aggregates). */
export async function customerIdsOf(
  db: PrismaClient,
  shopId: number,
  shopifyIds: readonly bigint[],
): Promise<bigint[]> {
  if (shopifyIds.length === 0) return [];
  const rows = await db.$queryRaw<{ id: bigint }[]>`
    SELECT id FROM customers WHERE shop_id = ${shopId} AND shopify_id = ANY (${[...shopifyIds]}::bigint[])`;
  return rows.map((row) => row.id);
}

/**
 * Refreshes the planner's statistics after a bulk load (history import, demo seed):
 * without them PostgreSQL plans the set-based recomputes as if the tables were empty.
 */
export async function analyzeProfileTables(db: PrismaClient) {
  await db.$executeRawUnsafe("ANALYZE customers, orders, line_items, refunds");
}

/** The customers (Shopify ids) the given orders currently belong to. */
export async function orderCustomerShopifyIds(
  db: PrismaClient,
  shopId: number,
  orderShopifyIds: readonly bigint[],
): Promise<bigint[]> {
  if (orderShopifyIds.length === 0) return [];
  const rows = await db.$queryRaw<{ customer_shopify_id: bigint }[]>`
    SELECT DISTINCT customer_shopify_id FROM orders
    WHERE shop_id = ${shopId} AND shopify_id = ANY (${[...orderShopifyIds]}::bigint[]) AND customer_shopify_id IS NOT NULL`;
  return rows.map((row) => row.customer_shopify_id);
}
