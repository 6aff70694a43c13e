// The customer profile's order figures, recomputed in PostgreSQL from the orders table.
//
// "Spend net of refunds", as every Kinship screen and model uses it:
// - orders_count: the customer's orders that are not cancelled;
// - gross_spent_minor: the sum of total_minor (tax and shipping included) of those orders;
// - net_spent_minor: gross minus refunded_minor of those same orders. A cancelled order
//   contributes nothing, whatever was paid or refunded on it;
// - first_order_at / last_order_at: the earliest and latest processed_at of those orders;
// - channels: the distinct source_name of those orders, sorted;
// - a customer without such orders gets 0, 0, 0, null, null and no channels.
// Orders reach us before their customer at times (webhooks race), so orders still
// unlinked are first attached through customer_shopify_id.
import { Prisma, type PrismaClient } from "@prisma/client";

/**
 * Links the shop's unlinked orders to their customers, then recomputes the customers'
 * aggregates: all of the shop's customers, or those with the given internal ids
 * (customers.id). Returns the number of customers whose figures changed.
 */
export async function recomputeCustomerAggregates(
  db: PrismaClient,
  shopId: number,
  customerIds?: bigint[],
): Promise<number> {
  if (customerIds?.length === 0) return 0;
  const onlyCustomers = customerIds ? Prisma.sql`AND c.id IN (${Prisma.join(customerIds)})` : Prisma.empty;

  const linkOrders = db.$executeRaw`
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
  const updateAggregates = db.$executeRaw`
    WITH figures AS (
      SELECT
        c.id AS customer_id,
        count(o.id)::int AS orders_count,
        COALESCE(sum(o.total_minor), 0)::bigint AS gross_spent_minor,
        COALESCE(sum(o.total_minor - o.refunded_minor), 0)::bigint AS net_spent_minor,
        min(o.processed_at) AS first_order_at,
        max(o.processed_at) AS last_order_at,
        COALESCE(
          array_agg(DISTINCT o.source_name COLLATE "C" ORDER BY o.source_name COLLATE "C")
            FILTER (WHERE o.source_name IS NOT NULL),
          '{}'
        )::text[] AS channels
      FROM customers AS c
      LEFT JOIN orders AS o
        ON o.shop_id = c.shop_id AND o.customer_id = c.id AND o.cancelled_at IS NULL
      WHERE c.shop_id = ${shopId}
        ${onlyCustomers}
      GROUP BY c.id
    )
    UPDATE customers AS c
    SET orders_count = f.orders_count,
        gross_spent_minor = f.gross_spent_minor,
        net_spent_minor = f.net_spent_minor,
        first_order_at = f.first_order_at,
        last_order_at = f.last_order_at,
        channels = f.channels,
        updated_at = now()
    FROM figures AS f
    WHERE c.shop_id = ${shopId}
      AND c.id = f.customer_id
      AND (c.orders_count, c.gross_spent_minor, c.net_spent_minor, c.first_order_at, c.last_order_at, c.channels)
        IS DISTINCT FROM
          (f.orders_count, f.gross_spent_minor, f.net_spent_minor, f.first_order_at, f.last_order_at, f.channels)`;

  const [, updatedCustomers] = await db.$transaction([linkOrders, updateAggregates]);
  return updatedCustomers;
}
