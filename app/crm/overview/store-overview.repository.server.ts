import type { PrismaClient } from "../../db.server";
import type { StoreOverviewCounts } from "./store-overview";

/**
 * Counts for the home page, in one round trip. Cancelled orders count for nothing. Whole-shop
 * scans (seconds at a million customers): a page view runs them only for a small shop (see
 * loadStoreFigures); the analytics run runs them once and stores the result with its summary.
 */
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

/** The store totals the shop's latest analytics run stored, with when it counted them. */
export async function findLatestRunTotals(
  db: PrismaClient,
  shopId: number,
): Promise<(StoreOverviewCounts & { computedAt: Date }) | null> {
  return db.analyticsRunSummary.findFirst({
    where: { shopId },
    orderBy: { computedAt: "desc" },
    select: {
      computedAt: true,
      customers: true,
      customersWithOrders: true,
      repeatCustomers: true,
      orders: true,
      netRevenueMinor: true,
    },
  });
}

/**
 * The shop's customer and order rows, each counted no further than `limit + 1` on the shop's
 * indexes: enough to tell a small shop from a large one without scanning the large one.
 */
export async function probeStoreSize(
  db: PrismaClient,
  shopId: number,
  limit: number,
): Promise<{ customers: number; orders: number }> {
  const [row] = await db.$queryRaw<{ customers: bigint; orders: bigint }[]>`
    SELECT (SELECT count(*) FROM (SELECT 1 FROM customers WHERE shop_id = ${shopId} LIMIT ${limit + 1}) c) AS customers,
           (SELECT count(*) FROM (SELECT 1 FROM orders WHERE shop_id = ${shopId} LIMIT ${limit + 1}) o) AS orders`;
  return { customers: Number(row?.customers ?? 0), orders: Number(row?.orders ?? 0) };
}
