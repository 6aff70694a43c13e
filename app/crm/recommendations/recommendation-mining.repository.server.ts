// The co-purchase mining's reads and writes, on the run's own connection. Baskets stream out
// with COPY, sorted by order, and are parsed byte by byte into typed arrays: five million order
// lines never become JavaScript objects. The rules replace the shop's previous ones in one
// transaction, so a reader sees the old set or the new one.
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";

import { inTransaction } from "../analytics/analytics-connection.repository.server";
import { BasketBuilder } from "./basket-builder";

/**
 * A basket is an order's distinct products: cancelled orders are left out, and so are lines
 * refunded in full (a returned product was not really bought with the rest), and custom lines
 * without a product.
 */
const basketLinesSql = (shopId: number) => `
  SELECT li.order_id, li.product_shopify_id
  FROM line_items AS li
  JOIN orders AS o ON o.id = li.order_id AND o.shop_id = ${shopId}
  WHERE li.shop_id = ${shopId}
    AND o.cancelled_at IS NULL
    AND li.product_shopify_id IS NOT NULL
    AND li.quantity > li.refunded_quantity
  ORDER BY li.order_id`;

const TAB = 9;
const NEWLINE = 10;

export async function readBaskets(client: pg.ClientBase, shopId: number): Promise<BasketBuilder> {
  if (!Number.isSafeInteger(shopId)) throw new Error("shop id must be an integer"); // inlined in COPY
  const builder = new BasketBuilder();
  // Both columns are positive integers below 2^53: digits accumulate straight into numbers,
  // across chunk boundaries.
  let orderId = 0;
  let productId = 0;
  let field = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i]!;
        if (byte === TAB) field = 1;
        else if (byte === NEWLINE) {
          builder.add(orderId, productId);
          orderId = 0;
          productId = 0;
          field = 0;
        } else if (field === 0) orderId = orderId * 10 + (byte - 48);
        else productId = productId * 10 + (byte - 48);
      }
      done();
    },
  });
  await pipeline(client.query(copyTo(`COPY (${basketLinesSql(shopId)}) TO STDOUT`)), sink);
  return builder;
}

/** Each product's title on its latest order line (what the shop calls it now). */
export async function latestProductTitles(
  client: pg.ClientBase,
  shopId: number,
  productShopifyIds: readonly number[],
): Promise<Map<number, string>> {
  if (productShopifyIds.length === 0) return new Map();
  const { rows } = await client.query<{ product_shopify_id: string; title: string }>(
    `SELECT li.product_shopify_id, li.title
     FROM (SELECT product_shopify_id, max(id) AS id FROM line_items
           WHERE shop_id = $1 AND product_shopify_id = ANY($2::bigint[])
           GROUP BY 1) AS latest
     JOIN line_items AS li ON li.id = latest.id AND li.shop_id = $1`,
    [shopId, productShopifyIds.map(String)],
  );
  return new Map(rows.map((row) => [Number(row.product_shopify_id), row.title]));
}

export interface StoredRules {
  productShopifyId: number[];
  rank: number[];
  associatedShopifyId: number[];
  associatedTitle: string[];
  pairOrders: number[];
  support: number[];
  confidence: number[];
  lift: number[];
}

export interface MiningSummary {
  minedAt: Date;
  ordersCount: number;
  productsCount: number;
  durationMs: number;
  popularProducts: { productShopifyId: string; title: string; orders: number }[];
}

export async function replaceShopRules(
  client: pg.ClientBase,
  shopId: number,
  rules: StoredRules,
  summary: MiningSummary,
) {
  await inTransaction(client, async () => {
    await client.query(`DELETE FROM product_associations WHERE shop_id = $1`, [shopId]);
    await client.query(
      `INSERT INTO product_associations
         (shop_id, product_shopify_id, rank, associated_product_shopify_id, associated_title,
          pair_orders, support, confidence, lift)
       SELECT $1, * FROM unnest($2::bigint[], $3::smallint[], $4::bigint[], $5::text[],
                                $6::int[], $7::float8[], $8::float8[], $9::float8[])`,
      [
        shopId,
        rules.productShopifyId.map(String),
        rules.rank,
        rules.associatedShopifyId.map(String),
        rules.associatedTitle,
        rules.pairOrders,
        rules.support,
        rules.confidence,
        rules.lift,
      ],
    );
    await client.query(
      `INSERT INTO recommendation_minings
         (shop_id, mined_at, orders_count, products_count, rules_count, duration_ms, popular_products)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
       ON CONFLICT (shop_id) DO UPDATE SET mined_at = EXCLUDED.mined_at, orders_count = EXCLUDED.orders_count,
         products_count = EXCLUDED.products_count, rules_count = EXCLUDED.rules_count,
         duration_ms = EXCLUDED.duration_ms, popular_products = EXCLUDED.popular_products`,
      [
        shopId,
        summary.minedAt,
        summary.ordersCount,
        summary.productsCount,
        rules.rank.length,
        summary.durationMs,
        JSON.stringify(summary.popularProducts),
      ],
    );
  });
}
