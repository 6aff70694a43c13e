// "Next best products" for customers, computed on read from the shop's association rules: each
// product the customer has not bought scores the sum of the confidences of the rules leading to
// it from what they did buy (a product several of their purchases point to ranks first). The
// shop's popular products fill the list when the rules say too little (new customers, rare
// products). One statement for one customer (Customer 360, the admin block, the storefront) or a
// page of them (the metafield batch): a point lookup per purchased product on the rules' key.
import type { PrismaClient } from "../../db.server";

export type RecommendationSource = "co_purchase" | "popular";

export interface RecommendedProduct {
  productShopifyId: string;
  title: string;
  source: RecommendationSource;
  /** Sum of rule confidences (co-purchase); 0 for a popular fill-in. */
  score: number;
}

interface Row {
  customer_id: bigint;
  product_shopify_id: bigint;
  title: string;
  source: RecommendationSource;
  score: number;
}

export async function nextBestProductsOf(
  db: PrismaClient,
  shopId: number,
  customerIds: readonly bigint[],
  limit: number,
): Promise<Map<bigint, RecommendedProduct[]>> {
  const result = new Map<bigint, RecommendedProduct[]>(customerIds.map((id) => [id, []]));
  if (customerIds.length === 0) return result;
  const ids = customerIds.map(String);
  const rows = await db.$queryRaw<Row[]>`
    WITH targets AS (
      SELECT DISTINCT unnest(${ids}::bigint[]) AS customer_id
    ), bought AS (
      SELECT DISTINCT o.customer_id, li.product_shopify_id
      FROM orders AS o
      JOIN line_items AS li ON li.order_id = o.id AND li.shop_id = ${shopId}
      WHERE o.shop_id = ${shopId} AND o.customer_id = ANY(${ids}::bigint[])
        AND o.cancelled_at IS NULL AND li.product_shopify_id IS NOT NULL
    ), co_purchase AS (
      SELECT b.customer_id, pa.associated_product_shopify_id AS product_shopify_id,
             max(pa.associated_title) AS title, sum(pa.confidence) AS score
      FROM bought AS b
      JOIN product_associations AS pa ON pa.shop_id = ${shopId} AND pa.product_shopify_id = b.product_shopify_id
      GROUP BY 1, 2
    ), popular AS (
      SELECT (e.product->>'productShopifyId')::bigint AS product_shopify_id, e.product->>'title' AS title,
             e.position
      FROM recommendation_minings AS m,
           jsonb_array_elements(m.popular_products) WITH ORDINALITY AS e(product, position)
      WHERE m.shop_id = ${shopId}
    ), candidates AS (
      SELECT customer_id, product_shopify_id, title, 'co_purchase' AS source, score, 0::bigint AS position
      FROM co_purchase
      UNION ALL
      SELECT t.customer_id, p.product_shopify_id, p.title, 'popular', 0, p.position
      FROM targets AS t CROSS JOIN popular AS p
    ), ranked AS (
      SELECT DISTINCT ON (c.customer_id, c.product_shopify_id) c.*
      FROM candidates AS c
      WHERE NOT EXISTS (SELECT 1 FROM bought AS b
                        WHERE b.customer_id = c.customer_id AND b.product_shopify_id = c.product_shopify_id)
      ORDER BY c.customer_id, c.product_shopify_id, (c.source = 'co_purchase') DESC
    )
    SELECT customer_id, product_shopify_id, title, source, score
    FROM (SELECT r.*, row_number() OVER (PARTITION BY customer_id
                                         ORDER BY (source = 'co_purchase') DESC, score DESC, position,
                                                  product_shopify_id) AS n
          FROM ranked AS r) AS numbered
    WHERE n <= ${limit}
    ORDER BY customer_id, n`;
  for (const row of rows) {
    result.get(row.customer_id)?.push({
      productShopifyId: row.product_shopify_id.toString(),
      title: row.title,
      source: row.source,
      score: Number(row.score),
    });
  }
  return result;
}

/** The shop's customer by Shopify id (another shop's customer reads as absent). */
export async function findCustomerForRecommendations(db: PrismaClient, shopId: number, customerShopifyId: bigint) {
  return db.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: customerShopifyId } },
    select: { id: true, shopifyId: true, redactedAt: true, deletedAt: true },
  });
}

/** When the shop's rules were last mined (null: never). */
export async function lastMining(db: PrismaClient, shopId: number) {
  return db.recommendationMining.findUnique({
    where: { shopId },
    select: { minedAt: true, ordersCount: true, rulesCount: true },
  });
}

/** The shop's most ordered products at the last mining (for visitors without a purchase history here). */
export async function popularProductsOf(
  db: PrismaClient,
  shopId: number,
  limit: number,
): Promise<RecommendedProduct[]> {
  const mining = await db.recommendationMining.findUnique({ where: { shopId }, select: { popularProducts: true } });
  const listed = Array.isArray(mining?.popularProducts) ? mining.popularProducts : [];
  return listed.slice(0, limit).flatMap((entry) => {
    const item = entry as { productShopifyId?: unknown; title?: unknown };
    return typeof item.productShopifyId === "string" && typeof item.title === "string"
      ? [{ productShopifyId: item.productShopifyId, title: item.title, source: "popular" as const, score: 0 }]
      : [];
  });
}
