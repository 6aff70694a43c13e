// Read-side sums for the program KPIs (one pass over the shop's ledger, one over members' orders).
import type { PrismaClient } from "../../db.server";
import type { LoyaltyKpiSums } from "./loyalty-kpis";

export async function loadLoyaltyKpiSums(db: PrismaClient, shopId: number, launchedAt: Date): Promise<LoyaltyKpiSums> {
  const [ledger, members, revenue] = await Promise.all([
    db.$queryRaw<{ issued: bigint; reversed: bigint; redeemed: bigint; expired: bigint; outstanding: bigint }[]>`
      SELECT COALESCE(SUM(points) FILTER (WHERE points > 0 AND kind <> 'restore'), 0)::bigint AS issued,
             COALESCE(-SUM(points) FILTER (WHERE kind = 'reverse'), 0)::bigint AS reversed,
             COALESCE(-SUM(points) FILTER (WHERE kind IN ('redeem', 'restore')), 0)::bigint AS redeemed,
             COALESCE(-SUM(points) FILTER (WHERE kind = 'expire'), 0)::bigint AS expired,
             COALESCE(SUM(points), 0)::bigint AS outstanding
      FROM loyalty_ledger_entries WHERE shop_id = ${shopId}`,
    db.loyaltyMember.count({ where: { shopId } }),
    db.$queryRaw<{ revenue: bigint; orders: bigint }[]>`
      SELECT COALESCE(SUM(o.total_minor - o.refunded_minor), 0)::bigint AS revenue, COUNT(*)::bigint AS orders
      FROM orders o JOIN loyalty_members m ON m.customer_id = o.customer_id AND m.shop_id = ${shopId}
      WHERE o.shop_id = ${shopId} AND o.processed_at >= ${launchedAt} AND o.cancelled_at IS NULL
        AND o.financial_status IN ('paid', 'partially_refunded', 'refunded')`,
  ]);
  const sums = ledger[0]!;
  return {
    members,
    pointsIssued: sums.issued,
    pointsReversed: sums.reversed,
    pointsRedeemed: sums.redeemed,
    pointsExpired: sums.expired,
    pointsOutstanding: sums.outstanding,
    memberRevenueMinor: revenue[0]!.revenue,
    memberOrders: Number(revenue[0]!.orders),
  };
}
