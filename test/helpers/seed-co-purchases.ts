// A shop's order lines with one clear co-purchase: guests bought `pair` together 20 times and the
// `bestseller` alone 180 times (enough for the mining's thresholds: the pair's lift holds with its
// margin, the bestseller pairs with nothing). Titles as the order lines carry them.
import type { PrismaClient } from "../../app/db.server";

export interface SeededProduct {
  id: bigint;
  title: string;
}

export async function seedCoPurchases(
  db: PrismaClient,
  shopId: number,
  products: { pair: [SeededProduct, SeededProduct]; bestseller: SeededProduct },
  orderShopifyIdBase = 5_100_000_000_000n,
) {
  const [a, b] = products.pair;
  const best = products.bestseller;
  await db.$executeRaw`
    WITH guest_orders AS (
      INSERT INTO orders (shop_id, shopify_id, name, currency_code, processed_at, shopify_created_at,
                          shopify_updated_at, subtotal_minor, total_minor, updated_at)
      SELECT ${shopId}, ${orderShopifyIdBase}::bigint + g, '#G' || g, 'EUR', now(), now(), now(), 1000, 1000, now()
      FROM generate_series(1, 200) AS g
      RETURNING id, shopify_id - ${orderShopifyIdBase}::bigint AS n, shopify_id)
    INSERT INTO line_items (shop_id, order_id, shopify_id, product_shopify_id, title, quantity, price_minor)
    SELECT ${shopId}, o.id, o.shopify_id * 10 + p.k, p.product, p.title, 1, 1000
    FROM guest_orders AS o
    CROSS JOIN LATERAL (VALUES (1, ${a.id}::bigint, ${a.title}::text), (2, ${b.id}::bigint, ${b.title}::text),
                               (3, ${best.id}::bigint, ${best.title}::text)) AS p(k, product, title)
    WHERE (o.n <= 20 AND p.k <= 2) OR (o.n > 20 AND p.k = 3)`;
}

/** One order of the customer holding these products. */
export async function givenCustomerOrder(
  db: PrismaClient,
  shopId: number,
  customerId: bigint,
  orderShopifyId: bigint,
  products: SeededProduct[],
) {
  const at = new Date("2026-11-01T10:00:00Z");
  await db.order.create({
    data: {
      shopId,
      shopifyId: orderShopifyId,
      customerId,
      name: `#${orderShopifyId}`,
      currencyCode: "EUR",
      processedAt: at,
      shopifyCreatedAt: at,
      shopifyUpdatedAt: at,
      subtotalMinor: 1000n,
      totalMinor: 1000n,
      lineItems: {
        create: products.map((product, i) => ({
          shopId,
          shopifyId: orderShopifyId * 10n + BigInt(i),
          productShopifyId: product.id,
          title: product.title,
          quantity: 1,
          priceMinor: 1000n,
        })),
      },
    },
  });
}
