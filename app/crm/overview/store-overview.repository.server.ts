import type { PrismaClient } from "../../db.server";
import type { StoreOverviewCounts } from "./store-overview";

/** Counts for the home page, in one round trip. Cancelled orders count for nothing. */
export async function loadStoreOverviewCounts(db: PrismaClient, shopId: number): Promise<StoreOverviewCounts> {
  const [row] = await db.$queryRaw<
    {
      customers: bigint;
      customers_with_orders: bigint;
      repeat_customers: bigint;
      orders: bigint;
      net_revenue_minor: bigint;
    }[]
  >`
    SELECT c.customers, c.customers_with_orders, c.repeat_customers, o.orders, o.net_revenue_minor
    FROM (
      SELECT count(*) AS customers,
             count(*) FILTER (WHERE orders_count >= 1) AS customers_with_orders,
             count(*) FILTER (WHERE orders_count >= 2) AS repeat_customers
      FROM customers WHERE shop_id = ${shopId} AND deleted_at IS NULL
    ) c, (
      SELECT count(*) AS orders, coalesce(sum(total_minor - refunded_minor), 0)::bigint AS net_revenue_minor
      FROM orders WHERE shop_id = ${shopId} AND cancelled_at IS NULL
    ) o`;
  return {
    customers: Number(row?.customers ?? 0),
    customersWithOrders: Number(row?.customers_with_orders ?? 0),
    repeatCustomers: Number(row?.repeat_customers ?? 0),
    orders: Number(row?.orders ?? 0),
    netRevenueMinor: row?.net_revenue_minor ?? 0n,
  };
}
