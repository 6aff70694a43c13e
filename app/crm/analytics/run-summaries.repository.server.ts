// Writes a run's dashboard summary (run-summary.ts) beside the run, on the run's own connection and
// inside the transaction that marks the run succeeded, so a summary exists exactly for finished runs.
import type pg from "pg";

import type { StoreOverviewCounts } from "../overview/store-overview";
import type { RunSummaryFigures } from "./run-summary";

export async function writeRunSummary(
  client: pg.ClientBase,
  summary: {
    runId: number;
    shopId: number;
    computedAt: Date;
    totals: StoreOverviewCounts;
    figures: RunSummaryFigures;
  },
) {
  const { totals } = summary;
  await client.query(
    `INSERT INTO analytics_run_summaries (run_id, shop_id, computed_at, customers, customers_with_orders,
       repeat_customers, orders, net_revenue_minor, figures)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      summary.runId,
      summary.shopId,
      summary.computedAt,
      totals.customers,
      totals.customersWithOrders,
      totals.repeatCustomers,
      totals.orders,
      totals.netRevenueMinor.toString(),
      JSON.stringify(summary.figures),
    ],
  );
}
