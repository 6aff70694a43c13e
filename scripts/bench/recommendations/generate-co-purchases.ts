// Writes a synthetic shop with a known co-purchase structure straight into PostgreSQL with COPY:
// a catalogue with skewed (Zipf-like) popularity, orders of 1..n distinct products drawn from
// it, and planted pairs: whenever an order holds a pair's anchor, its partner joins with a fixed
// chance. Some orders are cancelled and some lines refunded in full, carrying a pair of their own
// that the mining must not report. Used by `npm run bench:recommendations` and the
// recommendations integration test.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

import { seededRandom } from "../../../app/lib/seeded-random";

export interface CoPurchaseOptions {
  customers: number;
  /** Order lines to write (orders are added until this many lines exist). */
  lines: number;
  products: number;
  /** Planted (anchor, partner) pairs, anchors spread over the popularity ranks. */
  plantedPairs: number;
  /** The chance a planted partner joins its anchor's order. */
  partnerChance?: number;
  /** Popularity ∝ 1 / (rank + 10)^skew. */
  skew?: number;
  seed?: number;
  /** Shopify ids start after this (several generated shops in one database stay distinct). */
  shopifyIdBase?: number;
}

export interface CoPurchaseShop {
  customers: number;
  orders: number;
  lines: number;
  /** Shopify product ids of each planted pair. */
  planted: [number, number][];
  /** The pair only cancelled orders and fully refunded lines hold. */
  voidPair: [number, number];
  productShopifyId: (index: number) => number;
  customerShopifyId: (index: number) => number;
}

const CANCELLED_SHARE = 0.02;

export async function generateCoPurchaseShop(
  client: pg.ClientBase,
  shopId: number,
  options: CoPurchaseOptions,
): Promise<CoPurchaseShop> {
  const random = seededRandom(options.seed ?? 20_261_124);
  const base = options.shopifyIdBase ?? shopId * 100_000_000;
  const productShopifyId = productIdOf(base);
  const customerShopifyId = (index: number) => base + index + 1;
  const partnerChance = options.partnerChance ?? 0.6;

  // Cumulative popularity, sampled by binary search.
  const cumulative = new Float64Array(options.products);
  let total = 0;
  for (let p = 0; p < options.products; p++) cumulative[p] = total += 1 / Math.pow(p + 10, options.skew ?? 0.9);
  const drawProduct = () => {
    const target = random() * total;
    let low = 0;
    let high = options.products - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const partnerOf = new Int32Array(options.products).fill(-1);
  for (const [anchor, partner] of plantedIndexes(options)) partnerOf[anchor] = partner;
  const planted = plantedIndexes(options).map(
    ([a, b]) => [productShopifyId(a), productShopifyId(b)] as [number, number],
  );
  const voidA = options.products - 2;
  const voidB = options.products - 1;

  await pipeline(
    Readable.from(customerRows(shopId, options.customers, customerShopifyId)),
    client.query(
      copyFrom(`COPY customers (shop_id, shopify_id, shopify_created_at, shopify_updated_at, updated_at) FROM STDIN`),
    ),
  );
  const { rows } = await client.query<{ id: string; shopify_id: string }>(
    `SELECT id, shopify_id FROM customers WHERE shop_id = $1`,
    [shopId],
  );
  const customerIds = new Float64Array(options.customers);
  for (const row of rows) customerIds[Number(row.shopify_id) - base - 1] = Number(row.id);

  // Orders first (ids come back by Shopify id), then their lines.
  const basketStarts: number[] = [0];
  const basketItems: number[] = [];
  const basketRefunded: number[] = [];
  const cancelled: boolean[] = [];
  const orderCustomer: number[] = [];
  while (basketItems.length < options.lines) {
    const products = new Set<number>();
    const size = 1 + Math.floor(Math.log(1 - random()) / Math.log(0.55)); // geometric, mean ≈ 2.2
    while (products.size < Math.min(size, 40)) products.add(drawProduct());
    for (const product of [...products]) {
      const partner = partnerOf[product]!;
      if (partner >= 0 && random() < partnerChance) products.add(partner);
    }
    const isCancelled = random() < CANCELLED_SHARE;
    // The void pair rides only on cancelled orders or as a refunded line.
    let refundedIndex = -1;
    if (isCancelled && random() < 0.5) {
      products.add(voidA);
      products.add(voidB);
    } else if (random() < 0.01) {
      products.add(voidA);
      products.add(voidB);
      refundedIndex = [...products].indexOf(voidB);
    }
    [...products].forEach((product, i) => {
      basketItems.push(product);
      basketRefunded.push(i === refundedIndex ? 1 : 0);
    });
    basketStarts.push(basketItems.length);
    cancelled.push(isCancelled);
    orderCustomer.push(Math.floor(random() * options.customers));
  }
  const orders = cancelled.length;
  const end = Date.now() - 86_400_000;
  const at = (order: number) => new Date(end - (orders - order) * 60_000).toISOString();
  function* orderRows() {
    let batch = "";
    for (let o = 0; o < orders; o++) {
      const c = orderCustomer[o]!;
      const when = at(o);
      batch +=
        `${shopId}\t${base + o + 1}\t${customerShopifyId(c)}\t${customerIds[c]}\t#${o + 1}\tUSD\t${when}\t` +
        `${when}\t${when}\t${cancelled[o] ? when : "\\N"}\t2000\t2000\t${when}\n`;
      if (batch.length > 1 << 20) {
        yield batch;
        batch = "";
      }
    }
    yield batch;
  }
  await copyRows(
    client,
    `COPY orders (shop_id, shopify_id, customer_shopify_id, customer_id, name, currency_code, processed_at,
                  shopify_created_at, shopify_updated_at, cancelled_at, subtotal_minor, total_minor, updated_at)
     FROM STDIN`,
    orderRows,
  );
  const orderIds = new Float64Array(orders);
  const ordersBack = await client.query<{ id: string; shopify_id: string }>(
    `SELECT id, shopify_id FROM orders WHERE shop_id = $1`,
    [shopId],
  );
  for (const row of ordersBack.rows) orderIds[Number(row.shopify_id) - base - 1] = Number(row.id);

  function* lineRows() {
    let batch = "";
    for (let o = 0; o < orders; o++) {
      for (let i = basketStarts[o]!; i < basketStarts[o + 1]!; i++) {
        const product = basketItems[i]!;
        const refunded = basketRefunded[i]!;
        batch += `${shopId}\t${orderIds[o]}\t${base + i + 1}\t${productShopifyId(product)}\tProduct ${product + 1}\t1\t1000\t${refunded}\n`;
      }
      if (batch.length > 1 << 20) {
        yield batch;
        batch = "";
      }
    }
    yield batch;
  }
  await copyRows(
    client,
    `COPY line_items (shop_id, order_id, shopify_id, product_shopify_id, title, quantity, price_minor,
                      refunded_quantity) FROM STDIN`,
    lineRows,
  );
  // The profile's order counts, as the history import keeps them (the metafield batch reads them).
  await client.query(
    `UPDATE customers AS c SET orders_count = o.orders
     FROM (SELECT customer_id, count(*)::int AS orders FROM orders
           WHERE shop_id = $1 AND cancelled_at IS NULL GROUP BY 1) AS o
     WHERE c.id = o.customer_id AND c.shop_id = $1`,
    [shopId],
  );
  return {
    customers: options.customers,
    orders,
    lines: basketItems.length,
    planted,
    voidPair: [productShopifyId(voidA), productShopifyId(voidB)],
    productShopifyId,
    customerShopifyId,
  };
}

const productIdOf = (base: number) => (index: number) => base + 50_000_000 + index;

/** Anchors at every few popularity ranks, partners from the other half of the catalogue (the last two products are the void pair). */
function plantedIndexes(options: CoPurchaseOptions): [number, number][] {
  const stride = Math.max(2, Math.floor(options.products / 2 / Math.max(1, options.plantedPairs)));
  return Array.from({ length: options.plantedPairs }, (_, i) => [
    i * stride,
    Math.floor(options.products / 2) + i * stride + 1,
  ]);
}

/** The planted pairs' Shopify product ids, without generating (a reused bench shop). */
export function plantedPairs(options: CoPurchaseOptions & { shopifyIdBase: number }): [number, number][] {
  const id = productIdOf(options.shopifyIdBase);
  return plantedIndexes(options).map(([a, b]) => [id(a), id(b)]);
}

function* customerRows(shopId: number, count: number, shopifyId: (index: number) => number) {
  const at = new Date().toISOString();
  let batch = "";
  for (let i = 0; i < count; i++) {
    batch += `${shopId}\t${shopifyId(i)}\t${at}\t${at}\t${at}\n`;
    if (batch.length > 1 << 20) {
      yield batch;
      batch = "";
    }
  }
  yield batch;
}

async function copyRows(client: pg.ClientBase, sql: string, rows: () => Generator<string>) {
  await pipeline(Readable.from(rows()), client.query(copyFrom(sql)));
}
