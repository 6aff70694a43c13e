// The customer profile's order figures, recomputed in PostgreSQL from the orders table.
//
// "Spend net of refunds", as every Kinship screen and model uses it:
// - orders_count: the customer's orders that are not cancelled;
// - gross_spent_minor: the sum of total_minor (tax and shipping included) of those orders;
// - net_spent_minor: gross minus refunded_minor of those same orders. A cancelled order
//   contributes nothing, whatever was paid or refunded on it;
// - first_order_at / last_order_at: the earliest and latest processed_at of those orders;
// - channels: the distinct source_name of those orders, sorted;
// - average_order_value_minor: net spend / orders count, rounded half away from zero;
// - top_products: up to five products by quantity kept (bought minus refunded), ties by id;
// - last order: id, name and total of the latest of those orders;
// - a customer without such orders gets 0, 0, 0, null, null, no channels and no products.
// Orders reach us before their customer at times (webhooks race), so orders still
// unlinked are first attached through customer_shopify_id.
import { Prisma, type PrismaClient } from "@prisma/client";

/**
 * Links the shop's unlinked orders to their customers, then recomputes the customers'
 * aggregates: all of the shop's customers, or those with the given internal ids
 * (customers.id). Returns the number of customers whose figures changed.
 */
export async function recomputeCustomerAggregates(
  db: PrismaClient | Prisma.TransactionClient,
  shopId: number,
  customerIds?: bigint[],
): Promise<number> {
  if (customerIds?.length === 0) return 0;
  const onlyCustomers = customerIds ? Prisma.sql`AND c.id IN (${Prisma.join(customerIds)})` : Prisma.empty;

  const linkOrders = () => db.$executeRaw`
    UPDATE orders AS o
    SET customer_id = c.id, updated_at = now()
    FROM customers AS c
    WHERE o.shop_id = ${shopId}
      AND o.customer_id IS NULL
      AND o.customer_shopify_id IS NOT NULL
      AND c.shop_id = ${shopId}
      AND c.shopify_id = o.customer_shopify_id
      ${onlyCustomers}`;

  // Rows whose figures are already right are left alone, so a recompute that changes
  // nothing writes nothing (and keeps updated_at meaningful).
  const onlyOrdersOf = customerIds ? Prisma.sql`AND o.customer_id IN (${Prisma.join(customerIds)})` : Prisma.empty;
  // Rows whose figures are already right are left alone, so a recompute that changes
  // nothing writes nothing (and keeps updated_at meaningful).
  const updateAggregates = () => db.$executeRaw`
    WITH counted_orders AS (
      SELECT o.* FROM orders AS o
      WHERE o.shop_id = ${shopId} AND o.cancelled_at IS NULL AND o.customer_id IS NOT NULL ${onlyOrdersOf}
    ),
    product_totals AS (
      SELECT o.customer_id, li.product_shopify_id, max(li.title) AS title,
             sum(li.quantity - li.refunded_quantity)::int AS quantity
      FROM counted_orders AS o
      JOIN line_items AS li ON li.shop_id = o.shop_id AND li.order_id = o.id
      WHERE li.product_shopify_id IS NOT NULL
      GROUP BY o.customer_id, li.product_shopify_id
    ),
    top_products AS (
      SELECT customer_id,
             jsonb_agg(jsonb_build_object('productShopifyId', product_shopify_id::text, 'title', title, 'quantity', quantity)
                       ORDER BY rank) AS top_products
      FROM (
        SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY quantity DESC, product_shopify_id) AS rank
        FROM product_totals WHERE quantity > 0
      ) AS ranked
      WHERE rank <= 5
      GROUP BY customer_id
    ),
    last_orders AS (
      SELECT DISTINCT ON (customer_id) customer_id, shopify_id, name, total_minor
      FROM counted_orders ORDER BY customer_id, processed_at DESC, shopify_id DESC
    ),
    totals AS (
      SELECT customer_id,
             count(*)::int AS orders_count,
             sum(total_minor)::bigint AS gross_spent_minor,
             sum(total_minor - refunded_minor)::bigint AS net_spent_minor,
             min(processed_at) AS first_order_at,
             max(processed_at) AS last_order_at,
             COALESCE(
               array_agg(DISTINCT source_name COLLATE "C" ORDER BY source_name COLLATE "C")
                 FILTER (WHERE source_name IS NOT NULL),
               '{}'
             )::text[] AS channels
      FROM counted_orders GROUP BY customer_id
    ),
    figures AS (
      SELECT
        c.id AS customer_id,
        COALESCE(t.orders_count, 0) AS orders_count,
        COALESCE(t.gross_spent_minor, 0)::bigint AS gross_spent_minor,
        COALESCE(t.net_spent_minor, 0)::bigint AS net_spent_minor,
        t.first_order_at,
        t.last_order_at,
        COALESCE(t.channels, '{}')::text[] AS channels,
        round(t.net_spent_minor::numeric / NULLIF(t.orders_count, 0))::bigint AS average_order_value_minor,
        COALESCE(tp.top_products, '[]'::jsonb) AS top_products,
        lo.shopify_id AS last_order_shopify_id,
        lo.name AS last_order_name,
        lo.total_minor AS last_order_total_minor
      FROM customers AS c
      LEFT JOIN totals AS t ON t.customer_id = c.id
      LEFT JOIN top_products AS tp ON tp.customer_id = c.id
      LEFT JOIN last_orders AS lo ON lo.customer_id = c.id
      WHERE c.shop_id = ${shopId}
        ${onlyCustomers}
    )
    UPDATE customers AS c
    SET orders_count = f.orders_count,
        gross_spent_minor = f.gross_spent_minor,
        net_spent_minor = f.net_spent_minor,
        first_order_at = f.first_order_at,
        last_order_at = f.last_order_at,
        channels = f.channels,
        average_order_value_minor = f.average_order_value_minor,
        top_products = f.top_products,
        last_order_shopify_id = f.last_order_shopify_id,
        last_order_name = f.last_order_name,
        last_order_total_minor = f.last_order_total_minor,
        updated_at = now()
    FROM figures AS f
    WHERE c.shop_id = ${shopId}
      AND c.id = f.customer_id
      AND (c.orders_count, c.gross_spent_minor, c.net_spent_minor, c.first_order_at, c.last_order_at, c.channels,
           c.average_order_value_minor, c.top_products, c.last_order_shopify_id, c.last_order_name,
           c.last_order_total_minor)
        IS DISTINCT FROM
          (f.orders_count, f.gross_spent_minor, f.net_spent_minor, f.first_order_at, f.last_order_at, f.channels,
           f.average_order_value_minor, f.top_products, f.last_order_shopify_id, f.last_order_name,
           f.last_order_total_minor)`;

  // Two statements, no transaction: each is idempotent, and a whole-shop recompute of a big
  // store runs longer than an interactive transaction may stay open.
  await linkOrders();
  return updateAggregates();
}
