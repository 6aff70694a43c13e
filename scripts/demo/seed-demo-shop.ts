// Loads a generated demo store (test/shopify-double/demo-store.ts) into Kinship's tables, as
// if its history had just been imported from Shopify. Idempotent: every row is upserted on
// its (shop_id, shopify_id) key and left untouched when nothing about it changed, so a
// second run leaves the same rows; only a new sync_runs row records each run.
import { Prisma, type PrismaClient } from "@prisma/client";

import { recomputeCustomerAggregates } from "../../app/crm/profile/customer-aggregates.repository.server";
import type { StoreCustomer, StoreOrder, StoreShop } from "../../test/shopify-double/store-data";

const BATCH_SIZE = 1000;

function inBatches<T>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += BATCH_SIZE) batches.push(items.slice(start, start + BATCH_SIZE));
  return batches;
}

// Rows travel as one array per column and are unpacked with UNNEST: a handful of bind
// parameters per batch however many rows it holds. Tags travel comma-joined, as Shopify
// itself keeps them (a Shopify tag cannot contain a comma).
async function upsertCustomers(db: PrismaClient, shopId: number, customers: readonly StoreCustomer[]) {
  for (const batch of inBatches(customers)) {
    await db.$executeRaw`
      INSERT INTO customers AS c (
        shop_id, shopify_id, first_name, last_name, email, phone, city, province, country_code, tags,
        email_consent, sms_consent, shopify_created_at, shopify_updated_at, updated_at
      )
      SELECT ${shopId}, u.shopify_id, u.first_name, u.last_name, u.email, u.phone, u.city, u.province,
             u.country_code, COALESCE(string_to_array(NULLIF(u.tags, ''), ','), '{}'::text[]),
             u.email_consent, u.sms_consent, u.shopify_created_at, u.shopify_updated_at, now()
      FROM UNNEST(
        ${batch.map((customer) => customer.id)}::bigint[],
        ${batch.map((customer) => customer.firstName)}::text[],
        ${batch.map((customer) => customer.lastName)}::text[],
        ${batch.map((customer) => customer.email)}::text[],
        ${batch.map((customer) => customer.phone)}::text[],
        ${batch.map((customer) => customer.address?.city ?? null)}::text[],
        ${batch.map((customer) => customer.address?.province ?? null)}::text[],
        ${batch.map((customer) => customer.address?.countryCode ?? null)}::text[],
        ${batch.map((customer) => customer.tags.join(","))}::text[],
        ${batch.map((customer) => customer.emailMarketing)}::text[],
        ${batch.map((customer) => customer.smsMarketing)}::text[],
        ${batch.map((customer) => customer.createdAt)}::timestamptz[],
        ${batch.map((customer) => customer.updatedAt)}::timestamptz[]
      ) AS u(shopify_id, first_name, last_name, email, phone, city, province, country_code, tags,
             email_consent, sms_consent, shopify_created_at, shopify_updated_at)
      ON CONFLICT (shop_id, shopify_id) DO UPDATE SET
        first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, email = EXCLUDED.email,
        phone = EXCLUDED.phone, city = EXCLUDED.city, province = EXCLUDED.province,
        country_code = EXCLUDED.country_code, tags = EXCLUDED.tags, email_consent = EXCLUDED.email_consent,
        sms_consent = EXCLUDED.sms_consent, shopify_created_at = EXCLUDED.shopify_created_at,
        shopify_updated_at = EXCLUDED.shopify_updated_at, updated_at = now()
      WHERE (c.first_name, c.last_name, c.email, c.phone, c.city, c.province, c.country_code, c.tags,
             c.email_consent, c.sms_consent, c.shopify_created_at, c.shopify_updated_at)
        IS DISTINCT FROM
            (EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.email, EXCLUDED.phone, EXCLUDED.city,
             EXCLUDED.province, EXCLUDED.country_code, EXCLUDED.tags, EXCLUDED.email_consent,
             EXCLUDED.sms_consent, EXCLUDED.shopify_created_at, EXCLUDED.shopify_updated_at)`;
  }
}

const refundedMinorOf = (order: StoreOrder) => order.refunds.reduce((sum, refund) => sum + refund.amountMinor, 0);

async function upsertOrders(db: PrismaClient, shopId: number, orders: readonly StoreOrder[]) {
  for (const batch of inBatches(orders)) {
    await db.$executeRaw`
      INSERT INTO orders AS o (
        shop_id, shopify_id, customer_shopify_id, customer_id, name, currency_code, source_name,
        financial_status, processed_at, shopify_created_at, shopify_updated_at, cancelled_at,
        subtotal_minor, total_discounts_minor, shipping_minor, tax_minor, total_minor, refunded_minor, updated_at
      )
      SELECT ${shopId}, u.shopify_id, u.customer_shopify_id, c.id, u.name, u.currency_code, u.source_name,
             u.financial_status, u.processed_at, u.shopify_created_at, u.shopify_updated_at, u.cancelled_at,
             u.subtotal_minor, u.total_discounts_minor, u.shipping_minor, u.tax_minor, u.total_minor,
             u.refunded_minor, now()
      FROM UNNEST(
        ${batch.map((order) => order.id)}::bigint[],
        ${batch.map((order) => order.customerId)}::bigint[],
        ${batch.map((order) => order.name)}::text[],
        ${batch.map((order) => order.currencyCode)}::text[],
        ${batch.map((order) => order.sourceName)}::text[],
        ${batch.map((order) => order.financialStatus)}::text[],
        ${batch.map((order) => order.processedAt)}::timestamptz[],
        ${batch.map((order) => order.createdAt)}::timestamptz[],
        ${batch.map((order) => order.updatedAt)}::timestamptz[],
        ${batch.map((order) => order.cancelledAt)}::timestamptz[],
        ${batch.map((order) => order.subtotalMinor)}::bigint[],
        ${batch.map((order) => order.totalDiscountsMinor)}::bigint[],
        ${batch.map((order) => order.shippingMinor)}::bigint[],
        ${batch.map((order) => order.taxMinor)}::bigint[],
        ${batch.map((order) => order.totalMinor)}::bigint[],
        ${batch.map(refundedMinorOf)}::bigint[]
      ) AS u(shopify_id, customer_shopify_id, name, currency_code, source_name, financial_status,
             processed_at, shopify_created_at, shopify_updated_at, cancelled_at, subtotal_minor,
             total_discounts_minor, shipping_minor, tax_minor, total_minor, refunded_minor)
      LEFT JOIN customers AS c ON c.shop_id = ${shopId} AND c.shopify_id = u.customer_shopify_id
      ON CONFLICT (shop_id, shopify_id) DO UPDATE SET
        customer_shopify_id = EXCLUDED.customer_shopify_id, customer_id = EXCLUDED.customer_id,
        name = EXCLUDED.name, currency_code = EXCLUDED.currency_code, source_name = EXCLUDED.source_name,
        financial_status = EXCLUDED.financial_status, processed_at = EXCLUDED.processed_at,
        shopify_created_at = EXCLUDED.shopify_created_at, shopify_updated_at = EXCLUDED.shopify_updated_at,
        cancelled_at = EXCLUDED.cancelled_at, subtotal_minor = EXCLUDED.subtotal_minor,
        total_discounts_minor = EXCLUDED.total_discounts_minor, shipping_minor = EXCLUDED.shipping_minor,
        tax_minor = EXCLUDED.tax_minor, total_minor = EXCLUDED.total_minor,
        refunded_minor = EXCLUDED.refunded_minor, updated_at = now()
      WHERE (o.customer_shopify_id, o.customer_id, o.name, o.currency_code, o.source_name, o.financial_status,
             o.processed_at, o.shopify_created_at, o.shopify_updated_at, o.cancelled_at, o.subtotal_minor,
             o.total_discounts_minor, o.shipping_minor, o.tax_minor, o.total_minor, o.refunded_minor)
        IS DISTINCT FROM
            (EXCLUDED.customer_shopify_id, EXCLUDED.customer_id, EXCLUDED.name, EXCLUDED.currency_code,
             EXCLUDED.source_name, EXCLUDED.financial_status, EXCLUDED.processed_at,
             EXCLUDED.shopify_created_at, EXCLUDED.shopify_updated_at, EXCLUDED.cancelled_at,
             EXCLUDED.subtotal_minor, EXCLUDED.total_discounts_minor, EXCLUDED.shipping_minor,
             EXCLUDED.tax_minor, EXCLUDED.total_minor, EXCLUDED.refunded_minor)`;
  }
}

async function upsertLineItems(db: PrismaClient, shopId: number, orders: readonly StoreOrder[]) {
  const rows = orders.flatMap((order) => {
    const refundedQuantity = new Map<number, number>();
    for (const refundLine of order.refunds.flatMap((refund) => refund.lineItems)) {
      refundedQuantity.set(
        refundLine.lineItemId,
        (refundedQuantity.get(refundLine.lineItemId) ?? 0) + refundLine.quantity,
      );
    }
    return order.lineItems.map((line) => ({ orderId: order.id, line, refunded: refundedQuantity.get(line.id) ?? 0 }));
  });
  for (const batch of inBatches(rows)) {
    await db.$executeRaw`
      INSERT INTO line_items AS li (
        shop_id, order_id, shopify_id, product_shopify_id, variant_shopify_id, title, variant_title, sku,
        quantity, price_minor, discount_minor, refunded_quantity
      )
      SELECT ${shopId}, o.id, u.shopify_id, u.product_shopify_id, u.variant_shopify_id, u.title, u.variant_title,
             u.sku, u.quantity, u.price_minor, u.discount_minor, u.refunded_quantity
      FROM UNNEST(
        ${batch.map((row) => row.orderId)}::bigint[],
        ${batch.map((row) => row.line.id)}::bigint[],
        ${batch.map((row) => row.line.productId)}::bigint[],
        ${batch.map((row) => row.line.variantId)}::bigint[],
        ${batch.map((row) => row.line.title)}::text[],
        ${batch.map((row) => row.line.variantTitle)}::text[],
        ${batch.map((row) => row.line.sku)}::text[],
        ${batch.map((row) => row.line.quantity)}::int[],
        ${batch.map((row) => row.line.priceMinor)}::bigint[],
        ${batch.map((row) => row.line.discountMinor)}::bigint[],
        ${batch.map((row) => row.refunded)}::int[]
      ) AS u(order_shopify_id, shopify_id, product_shopify_id, variant_shopify_id, title, variant_title, sku,
             quantity, price_minor, discount_minor, refunded_quantity)
      JOIN orders AS o ON o.shop_id = ${shopId} AND o.shopify_id = u.order_shopify_id
      ON CONFLICT (shop_id, shopify_id) DO UPDATE SET
        order_id = EXCLUDED.order_id, product_shopify_id = EXCLUDED.product_shopify_id,
        variant_shopify_id = EXCLUDED.variant_shopify_id, title = EXCLUDED.title,
        variant_title = EXCLUDED.variant_title, sku = EXCLUDED.sku, quantity = EXCLUDED.quantity,
        price_minor = EXCLUDED.price_minor, discount_minor = EXCLUDED.discount_minor,
        refunded_quantity = EXCLUDED.refunded_quantity
      WHERE (li.order_id, li.product_shopify_id, li.variant_shopify_id, li.title, li.variant_title, li.sku,
             li.quantity, li.price_minor, li.discount_minor, li.refunded_quantity)
        IS DISTINCT FROM
            (EXCLUDED.order_id, EXCLUDED.product_shopify_id, EXCLUDED.variant_shopify_id, EXCLUDED.title,
             EXCLUDED.variant_title, EXCLUDED.sku, EXCLUDED.quantity, EXCLUDED.price_minor,
             EXCLUDED.discount_minor, EXCLUDED.refunded_quantity)`;
  }
}

async function upsertRefunds(db: PrismaClient, shopId: number, orders: readonly StoreOrder[]) {
  const rows = orders.flatMap((order) => order.refunds.map((refund) => ({ orderId: order.id, refund })));
  for (const batch of inBatches(rows)) {
    await db.$executeRaw`
      INSERT INTO refunds AS r (shop_id, order_id, shopify_id, amount_minor, refunded_at)
      SELECT ${shopId}, o.id, u.shopify_id, u.amount_minor, u.refunded_at
      FROM UNNEST(
        ${batch.map((row) => row.orderId)}::bigint[],
        ${batch.map((row) => row.refund.id)}::bigint[],
        ${batch.map((row) => row.refund.amountMinor)}::bigint[],
        ${batch.map((row) => row.refund.createdAt)}::timestamptz[]
      ) AS u(order_shopify_id, shopify_id, amount_minor, refunded_at)
      JOIN orders AS o ON o.shop_id = ${shopId} AND o.shopify_id = u.order_shopify_id
      ON CONFLICT (shop_id, shopify_id) DO UPDATE SET
        order_id = EXCLUDED.order_id, amount_minor = EXCLUDED.amount_minor, refunded_at = EXCLUDED.refunded_at
      WHERE (r.order_id, r.amount_minor, r.refunded_at)
        IS DISTINCT FROM (EXCLUDED.order_id, EXCLUDED.amount_minor, EXCLUDED.refunded_at)`;
  }
}

// A store generated with another seed gives the same orders other line items and refunds;
// those the store no longer has must go, or they would linger on its orders.
async function removeVanishedLinesAndRefunds(db: PrismaClient, shopId: number, orders: readonly StoreOrder[]) {
  const orderIds = orders.map((order) => order.id);
  const lineItemIds = orders.flatMap((order) => order.lineItems.map((line) => line.id));
  const refundIds = orders.flatMap((order) => order.refunds.map((refund) => refund.id));
  const storeOrders = Prisma.sql`SELECT o.id FROM orders AS o
    WHERE o.shop_id = ${shopId} AND o.shopify_id IN (SELECT UNNEST(${orderIds}::bigint[]))`;
  await db.$executeRaw`
    DELETE FROM line_items
    WHERE shop_id = ${shopId} AND order_id IN (${storeOrders})
      AND shopify_id NOT IN (SELECT UNNEST(${lineItemIds}::bigint[]))`;
  await db.$executeRaw`
    DELETE FROM refunds
    WHERE shop_id = ${shopId} AND order_id IN (${storeOrders})
      AND shopify_id NOT IN (SELECT UNNEST(${refundIds}::bigint[]))`;
}

async function upsertShop(db: PrismaClient, store: StoreShop): Promise<number> {
  const details = { name: store.name, currencyCode: store.currencyCode, ianaTimezone: store.ianaTimezone };
  const existing = await db.shop.findUnique({ where: { domain: store.domain } });
  if (!existing) return (await db.shop.create({ data: { domain: store.domain, ...details } })).id;
  const changed = (Object.keys(details) as (keyof typeof details)[]).some((key) => existing[key] !== details[key]);
  if (changed) await db.shop.update({ where: { id: existing.id }, data: details });
  return existing.id;
}

export async function seedDemoShop(
  db: PrismaClient,
  store: StoreShop,
): Promise<{ shopId: number; customers: number; orders: number }> {
  const shopId = await upsertShop(db, store);
  const run = await db.syncRun.create({ data: { shopId, kind: "demo_seed", status: "running" } });
  try {
    await upsertCustomers(db, shopId, store.customers);
    await upsertOrders(db, shopId, store.orders);
    await upsertLineItems(db, shopId, store.orders);
    await upsertRefunds(db, shopId, store.orders);
    await removeVanishedLinesAndRefunds(db, shopId, store.orders);
    await recomputeCustomerAggregates(db, shopId);
  } catch (error) {
    await db.syncRun.update({
      where: { id: run.id },
      data: { status: "failed", error: error instanceof Error ? error.message : String(error), finishedAt: new Date() },
    });
    throw error;
  }
  await db.syncRun.update({
    where: { id: run.id },
    data: {
      status: "succeeded",
      customersCount: store.customers.length,
      ordersCount: store.orders.length,
      finishedAt: new Date(),
    },
  });
  return { shopId, customers: store.customers.length, orders: store.orders.length };
}
