// Writes customer and order records in batches, idempotently and in any order:
// - a row changes only when the incoming version is at least as new (`shopify_updated_at`),
//   so an older delivery never overwrites newer data and a replay writes nothing;
// - refunds are immutable in Shopify: inserted once by id, even before their order arrives;
// - an order's refunded total and its lines' refunded quantities are derived from the refunds
//   we hold, never taken from a payload, so they stay exact whatever the arrival order.
//
// Each rule is one SQL statement over a row source `u`: arrays unpacked with UNNEST (webhooks,
// reconciliation: a few bind parameters per batch however many rows it holds), or a staging
// table filled with COPY (the history import: history/history-batch-writer.repository.server.ts).
// Both run the very same statements below.
import type { PrismaClient } from "@prisma/client";

import type { CustomerRecord, LineItemRecord, OrderRecord, RefundRecord } from "./profile-records";

export const WRITE_BATCH_SIZE = 1_000;

export function inBatches<T>(items: readonly T[], size = WRITE_BATCH_SIZE): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A column of a row source: its name, SQL type and value (dates as ISO strings). */
export interface SourceColumn<T> {
  name: string;
  type: string;
  value: (row: T) => string | number | bigint | null;
}

export type OrderLine = { order: OrderRecord; line: LineItemRecord };

export const CUSTOMER_COLUMNS: SourceColumn<CustomerRecord>[] = [
  { name: "shopify_id", type: "bigint", value: (c) => c.shopifyId },
  { name: "first_name", type: "text", value: (c) => c.firstName },
  { name: "last_name", type: "text", value: (c) => c.lastName },
  { name: "email", type: "text", value: (c) => c.email },
  { name: "country_code", type: "text", value: (c) => c.countryCode },
  // Tags travel comma-joined, as Shopify keeps them (a Shopify tag cannot contain a comma).
  { name: "tags", type: "text", value: (c) => c.tags.join(",") },
  { name: "email_consent", type: "text", value: (c) => c.emailConsent },
  { name: "sms_consent", type: "text", value: (c) => c.smsConsent },
  { name: "shopify_created_at", type: "timestamptz", value: (c) => iso(c.shopifyCreatedAt) },
  { name: "shopify_updated_at", type: "timestamptz", value: (c) => iso(c.shopifyUpdatedAt) },
];

export const ORDER_COLUMNS: SourceColumn<OrderRecord>[] = [
  { name: "shopify_id", type: "bigint", value: (o) => o.shopifyId },
  { name: "customer_shopify_id", type: "bigint", value: (o) => o.customerShopifyId },
  { name: "name", type: "text", value: (o) => o.name },
  { name: "email", type: "text", value: (o) => o.email },
  { name: "currency_code", type: "text", value: (o) => o.currencyCode },
  { name: "source_name", type: "text", value: (o) => o.sourceName },
  { name: "financial_status", type: "text", value: (o) => o.financialStatus },
  { name: "processed_at", type: "timestamptz", value: (o) => iso(o.processedAt) },
  { name: "shopify_created_at", type: "timestamptz", value: (o) => iso(o.shopifyCreatedAt) },
  { name: "shopify_updated_at", type: "timestamptz", value: (o) => iso(o.shopifyUpdatedAt) },
  { name: "cancelled_at", type: "timestamptz", value: (o) => iso(o.cancelledAt) },
  { name: "subtotal_minor", type: "bigint", value: (o) => o.subtotalMinor },
  { name: "total_discounts_minor", type: "bigint", value: (o) => o.totalDiscountsMinor },
  { name: "shipping_minor", type: "bigint", value: (o) => o.shippingMinor },
  { name: "tax_minor", type: "bigint", value: (o) => o.taxMinor },
  { name: "total_minor", type: "bigint", value: (o) => o.totalMinor },
];

export const LINE_ITEM_COLUMNS: SourceColumn<OrderLine>[] = [
  { name: "order_shopify_id", type: "bigint", value: (r) => r.order.shopifyId },
  { name: "order_updated_at", type: "timestamptz", value: (r) => iso(r.order.shopifyUpdatedAt) },
  { name: "shopify_id", type: "bigint", value: (r) => r.line.shopifyId },
  { name: "product_shopify_id", type: "bigint", value: (r) => r.line.productShopifyId },
  { name: "variant_shopify_id", type: "bigint", value: (r) => r.line.variantShopifyId },
  { name: "title", type: "text", value: (r) => r.line.title },
  { name: "variant_title", type: "text", value: (r) => r.line.variantTitle },
  { name: "sku", type: "text", value: (r) => r.line.sku },
  { name: "quantity", type: "int", value: (r) => r.line.quantity },
  { name: "price_minor", type: "bigint", value: (r) => r.line.priceMinor },
  { name: "discount_minor", type: "bigint", value: (r) => r.line.discountMinor },
];

const refundLinesJson = (refund: RefundRecord) =>
  JSON.stringify(
    refund.lineItems.map((line) => ({
      lineItemShopifyId: line.lineItemShopifyId.toString(),
      quantity: line.quantity,
      subtotalMinor: line.subtotalMinor.toString(),
    })),
  );

export const REFUND_COLUMNS: SourceColumn<RefundRecord>[] = [
  { name: "order_shopify_id", type: "bigint", value: (r) => r.orderShopifyId },
  { name: "shopify_id", type: "bigint", value: (r) => r.shopifyId },
  { name: "amount_minor", type: "bigint", value: (r) => r.amountMinor },
  { name: "refunded_at", type: "timestamptz", value: (r) => iso(r.refundedAt) },
  { name: "line_items", type: "jsonb", value: refundLinesJson },
];

const ORDER_ID_COLUMNS: SourceColumn<bigint>[] = [{ name: "shopify_id", type: "bigint", value: (id) => id }];

/** Runs one statement with positional parameters ($1 is always the shop id); resolves to rows affected. */
export type RunStatement = (sql: string, params: unknown[]) => Promise<number>;

/** Where a statement reads its rows: SQL for a relation whose parameters start at `$first`. */
export interface RowSource {
  relation(first: number): string;
  params: unknown[];
}

/** Rows passed as one array per column (placeholders from `$first`). */
export function unnestSource<T>(columns: SourceColumn<T>[], rows: readonly T[]): RowSource {
  return {
    relation: (first) =>
      `(SELECT * FROM UNNEST(${columns.map((c, i) => `$${first + i}::${c.type}[]`).join(", ")}) ` +
      `AS x(${columns.map((c) => c.name).join(", ")}))`,
    params: columns.map((c) => rows.map(c.value)),
  };
}

/** Rows already in a (staging) table with the columns' names. */
export function tableSource(table: string): RowSource {
  return { relation: () => table, params: [] };
}

function statementRunner(db: PrismaClient): RunStatement {
  return (sql, params) => db.$executeRawUnsafe(sql, ...params);
}

async function runOn(
  run: RunStatement,
  shopId: number,
  sql: (...relations: string[]) => string,
  ...sources: RowSource[]
) {
  let next = 2;
  const relations = sources.map((source) => {
    const relation = source.relation(next);
    next += source.params.length;
    return relation;
  });
  return run(sql(...relations), [shopId, ...sources.flatMap((source) => source.params)]);
}

const MERGE_CUSTOMERS = (u: string) => `
  INSERT INTO customers AS c (
    shop_id, shopify_id, first_name, last_name, email, country_code, tags,
    email_consent, sms_consent, shopify_created_at, shopify_updated_at, updated_at
  )
  SELECT $1::int, u.shopify_id, u.first_name, u.last_name, u.email,
         u.country_code, COALESCE(string_to_array(NULLIF(u.tags, ''), ','), '{}'::text[]),
         u.email_consent, u.sms_consent, u.shopify_created_at, u.shopify_updated_at, now()
  FROM ${u} AS u
  ON CONFLICT (shop_id, shopify_id) DO UPDATE SET
    first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, email = EXCLUDED.email,
    country_code = EXCLUDED.country_code, tags = EXCLUDED.tags, email_consent = EXCLUDED.email_consent,
    sms_consent = EXCLUDED.sms_consent, shopify_created_at = EXCLUDED.shopify_created_at,
    shopify_updated_at = EXCLUDED.shopify_updated_at, updated_at = now()
  WHERE c.redacted_at IS NULL
    AND c.shopify_updated_at <= EXCLUDED.shopify_updated_at
    AND (c.first_name, c.last_name, c.email, c.country_code, c.tags,
         c.email_consent, c.sms_consent, c.shopify_created_at, c.shopify_updated_at)
      IS DISTINCT FROM
        (EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.email, EXCLUDED.country_code, EXCLUDED.tags,
         EXCLUDED.email_consent, EXCLUDED.sms_consent, EXCLUDED.shopify_created_at,
         EXCLUDED.shopify_updated_at)`;

const MERGE_ORDERS = (u: string) => `
  INSERT INTO orders AS o (
    shop_id, shopify_id, customer_shopify_id, customer_id, name, email, currency_code, source_name,
    financial_status, processed_at, shopify_created_at, shopify_updated_at, cancelled_at,
    subtotal_minor, total_discounts_minor, shipping_minor, tax_minor, total_minor, updated_at
  )
  SELECT $1::int, u.shopify_id, u.customer_shopify_id, c.id, u.name,
         -- An erased customer's e-mail never comes back on their orders.
         CASE WHEN c.redacted_at IS NULL THEN u.email END, u.currency_code, u.source_name,
         u.financial_status, u.processed_at, u.shopify_created_at, u.shopify_updated_at, u.cancelled_at,
         u.subtotal_minor, u.total_discounts_minor, u.shipping_minor, u.tax_minor, u.total_minor, now()
  FROM ${u} AS u
  LEFT JOIN customers AS c ON c.shop_id = $1 AND c.shopify_id = u.customer_shopify_id
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

// Lines come from the version of the order now stored (equal updated_at): an older payload
// cannot bring back lines an edit removed.
const MERGE_LINE_ITEMS = (u: string) => `
  INSERT INTO line_items AS li (
    shop_id, order_id, shopify_id, product_shopify_id, variant_shopify_id, title, variant_title, sku,
    quantity, price_minor, discount_minor
  )
  SELECT $1::int, o.id, u.shopify_id, u.product_shopify_id, u.variant_shopify_id, u.title, u.variant_title,
         u.sku, u.quantity, u.price_minor, u.discount_minor
  FROM ${u} AS u
  JOIN orders AS o ON o.shop_id = $1 AND o.shopify_id = u.order_shopify_id
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

// Lines an order edit removed go, for the orders whose stored version is this one.
// (Shopify line item ids are unique across orders, so one list serves the whole batch; NOT IN
// over it is a hashed lookup, whatever join methods the caller allows.)
const DELETE_DROPPED_LINES = (orders: string, lines: string) => `
  DELETE FROM line_items AS li
  WHERE li.order_id IN (
      SELECT o.id FROM orders AS o
      JOIN ${orders} AS u
        ON o.shop_id = $1 AND o.shopify_id = u.shopify_id AND o.shopify_updated_at = u.shopify_updated_at
    )
    AND li.shopify_id NOT IN (SELECT l.shopify_id FROM ${lines} AS l)`;

const INSERT_REFUNDS = (u: string) => `
  INSERT INTO refunds (shop_id, order_id, order_shopify_id, shopify_id, amount_minor, refunded_at, line_items)
  SELECT $1::int, o.id, u.order_shopify_id, u.shopify_id, u.amount_minor, u.refunded_at, u.line_items
  FROM ${u} AS u
  LEFT JOIN orders AS o ON o.shop_id = $1 AND o.shopify_id = u.order_shopify_id
  -- Refunds never change in Shopify, but a Bulk Operation cannot list their lines (a
  -- connection inside a list): a later webhook or reconciliation fills them in.
  ON CONFLICT (shop_id, shopify_id) DO UPDATE SET line_items = EXCLUDED.line_items
  WHERE refunds.line_items = '[]'::jsonb AND EXCLUDED.line_items <> '[]'::jsonb`;

// The refund figures of the orders in `u` (by Shopify id), each statement idempotent and in
// order, so no transaction is needed (a retry redoes them all).
const REFUND_FIGURE_STATEMENTS = [
  (u: string) => `
    UPDATE refunds AS r SET order_id = o.id
    FROM orders AS o
    WHERE r.shop_id = $1 AND r.order_id IS NULL AND r.order_shopify_id IN (SELECT shopify_id FROM ${u} AS u)
      AND o.shop_id = $1 AND o.shopify_id = r.order_shopify_id`,
  // Correlated subqueries on indexed keys: a plan that stays fast even before ANALYZE.
  // Only orders holding refunds, or a refunded figure to clear, can change.
  (u: string) => `
    UPDATE orders AS o
    SET refunded_minor = COALESCE((SELECT sum(r.amount_minor) FROM refunds AS r WHERE r.order_id = o.id), 0),
        updated_at = now()
    WHERE o.shop_id = $1 AND o.shopify_id IN (SELECT shopify_id FROM ${u} AS u)
      AND (o.refunded_minor <> 0 OR EXISTS (SELECT 1 FROM refunds AS r WHERE r.order_id = o.id))
      AND o.refunded_minor IS DISTINCT FROM
          COALESCE((SELECT sum(r.amount_minor) FROM refunds AS r WHERE r.order_id = o.id), 0)`,
  // Only lines of orders whose refunds list lines, or with a refunded quantity to clear.
  (u: string) => `
    UPDATE line_items AS li
    SET refunded_quantity = COALESCE((
      SELECT sum((rl.value ->> 'quantity')::int) FROM refunds AS r, jsonb_array_elements(r.line_items) AS rl(value)
      WHERE r.order_id = li.order_id AND (rl.value ->> 'lineItemShopifyId')::bigint = li.shopify_id), 0)
    WHERE li.order_id IN (
        SELECT o.id FROM orders AS o WHERE o.shop_id = $1 AND o.shopify_id IN (SELECT shopify_id FROM ${u} AS u))
      AND (li.refunded_quantity <> 0
           OR EXISTS (SELECT 1 FROM refunds AS r WHERE r.order_id = li.order_id AND r.line_items <> '[]'::jsonb))
      AND li.refunded_quantity IS DISTINCT FROM COALESCE((
        SELECT sum((rl.value ->> 'quantity')::int) FROM refunds AS r, jsonb_array_elements(r.line_items) AS rl(value)
        WHERE r.order_id = li.order_id AND (rl.value ->> 'lineItemShopifyId')::bigint = li.shopify_id), 0)`,
];

/** Merges customers from a row source with CUSTOMER_COLUMNS. */
export async function mergeCustomerRows(run: RunStatement, shopId: number, customers: RowSource) {
  return runOn(run, shopId, MERGE_CUSTOMERS, customers);
}

/**
 * Merges orders (ORDER_COLUMNS), their lines (LINE_ITEM_COLUMNS) and refunds (REFUND_COLUMNS),
 * then re-derives the refund figures of those orders.
 */
export async function mergeOrderRows(
  run: RunStatement,
  shopId: number,
  sources: { orders: RowSource; lineItems: RowSource; refunds: RowSource; orderIds?: RowSource },
) {
  await runOn(run, shopId, MERGE_ORDERS, sources.orders);
  await runOn(run, shopId, MERGE_LINE_ITEMS, sources.lineItems);
  await runOn(run, shopId, DELETE_DROPPED_LINES, sources.orders, sources.lineItems);
  await runOn(run, shopId, INSERT_REFUNDS, sources.refunds);
  await refreshRefundRows(run, shopId, sources.orderIds ?? sources.orders);
}

/** Refund figures of the orders in a source with a `shopify_id` column. */
export async function refreshRefundRows(run: RunStatement, shopId: number, orders: RowSource) {
  for (const statement of REFUND_FIGURE_STATEMENTS) await runOn(run, shopId, statement, orders);
}

/** Upserts customers; returns the Shopify ids whose row was written. Redacted customers stay redacted. */
export async function upsertCustomerRecords(
  db: PrismaClient,
  shopId: number,
  customers: readonly CustomerRecord[],
): Promise<bigint[]> {
  const written: bigint[] = [];
  for (const batch of inBatches(customers)) {
    const rows: { shopify_id: bigint }[] = [];
    const returning: RunStatement = async (sql, params) => {
      rows.push(...(await db.$queryRawUnsafe<{ shopify_id: bigint }[]>(`${sql} RETURNING c.shopify_id`, ...params)));
      return rows.length;
    };
    await mergeCustomerRows(returning, shopId, unnestSource(CUSTOMER_COLUMNS, batch));
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
    await mergeOrderRows(statementRunner(db), shopId, {
      orders: unnestSource(ORDER_COLUMNS, batch),
      lineItems: unnestSource(
        LINE_ITEM_COLUMNS,
        batch.flatMap((order) => order.lineItems.map((line) => ({ order, line }))),
      ),
      refunds: unnestSource(
        REFUND_COLUMNS,
        batch.flatMap((order) => order.refunds),
      ),
      orderIds: unnestSource(
        ORDER_ID_COLUMNS,
        batch.map((order) => order.shopifyId),
      ),
    });
  }
}

/** Inserts refunds once by id (lines filled in later if first seen without); one that arrives before its order links up later. */
export async function insertRefundRecords(db: PrismaClient, shopId: number, refunds: readonly RefundRecord[]) {
  for (const batch of inBatches(refunds)) {
    await runOn(statementRunner(db), shopId, INSERT_REFUNDS, unnestSource(REFUND_COLUMNS, batch));
  }
}

/**
 * Links refunds to their orders, then sets each order's refunded_minor and each line's
 * refunded_quantity from the refunds held, for the given orders (by Shopify id).
 */
export async function refreshRefundFigures(db: PrismaClient, shopId: number, orderShopifyIds: readonly bigint[]) {
  if (orderShopifyIds.length === 0) return;
  await refreshRefundRows(statementRunner(db), shopId, unnestSource(ORDER_ID_COLUMNS, orderShopifyIds));
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

/** Internal ids of the customers with these Shopify ids, by Shopify id. */
export async function customerIdsByShopifyId(
  db: PrismaClient,
  shopId: number,
  shopifyIds: readonly bigint[],
): Promise<Map<bigint, bigint>> {
  if (shopifyIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ id: bigint; shopify_id: bigint }[]>`
    SELECT id, shopify_id FROM customers WHERE shop_id = ${shopId} AND shopify_id = ANY (${[...new Set(shopifyIds)]}::bigint[])`;
  return new Map(rows.map((row) => [row.shopify_id, row.id]));
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
