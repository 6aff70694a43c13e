// A shop's KPIs per period and its monthly cohort retention, computed in PostgreSQL from the
// run's analytics_customers (each customer's figures, per window too, and RFM scores), while
// the worker fits and scores; only the CLV totals wait for analytics_results.
//
// For a period of the last N days up to the run's day (in the shop's time zone):
// - customers: bought in the period; new: first purchase in the period; returning: bought in
//   the period and had bought before it (for all time: placed two orders or more);
// - repeat purchase rate: customers with two orders or more in the period / customers (orders,
//   as Shopify and the usual e-commerce definition count them: two orders on one day are a
//   repeat purchase here, though the models merge them into one purchase day);
// - purchase frequency: orders / customers; average order value: revenue / orders; revenue per
//   customer: revenue / customers (revenue is net of refunds, cancelled orders left out);
// - churn rate: of the customers who bought in the N days before the period, the share who did
//   not buy in it (none for all time);
// - average and total predicted CLV: over every scored customer (a snapshot, the same for each
//   period); revenue share by segment: each RFM segment's part of the period's revenue.
import type pg from "pg";

import { KPI_PERIODS, KPI_WINDOWS } from "./kpi-periods";

const perSegmentColumns = KPI_WINDOWS.map(
  (days) => `
    count(*) FILTER (WHERE a.days_${days} > 0) AS customers_${days},
    count(*) FILTER (WHERE a.first_day > RUN_DAY - ${days}) AS new_${days},
    count(*) FILTER (WHERE a.days_${days} > 0 AND a.first_day <= RUN_DAY - ${days}) AS returning_${days},
    count(*) FILTER (WHERE a.orders_${days} >= 2) AS repeat_${days},
    sum(a.orders_${days}) AS orders_${days},
    sum(a.revenue_${days}) AS revenue_${days},
    count(*) FILTER (WHERE a.before_${days}) AS before_${days},
    count(*) FILTER (WHERE a.before_${days} AND a.days_${days} = 0) AS lapsed_${days}`,
).join(",");

type ScoreRow = Record<string, string | null>;

export interface KpiAggregates {
  /** Figures per RFM score triple (at most 125 rows), summed into segments by kpiSnapshots. */
  byScores: ScoreRow[];
  cohortCells: { cohort_month: string; month_offset: number; cohort_size: number; active_customers: number }[];
}

/**
 * Starts the KPI and cohort aggregates of analytics_customers as one simple query, so PostgreSQL
 * works on them while the worker's CPU fits the models; await the promise when they are needed.
 */
export function startKpiAggregates(client: pg.ClientBase, runDay: string): Promise<KpiAggregates> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(runDay)) throw new RangeError("bad run day");
  const sql = `
    SELECT a.r_score, a.f_score, a.m_score,
           count(*) AS customers_all, count(*) AS new_all,
           count(*) FILTER (WHERE a.orders >= 2) AS returning_all,
           count(*) FILTER (WHERE a.orders >= 2) AS repeat_all,
           sum(a.orders) AS orders_all, sum(a.net_spent_minor) AS revenue_all,
           ${perSegmentColumns}
    FROM analytics_customers AS a
    GROUP BY a.r_score, a.f_score, a.m_score;
    WITH cohorts AS (
      SELECT (extract(year FROM first_day) * 12 + extract(month FROM first_day) - 1)::int AS month, active_months
      FROM analytics_customers
    ),
    sizes AS (SELECT month, count(*)::int AS size FROM cohorts GROUP BY month)
    SELECT to_char(make_date(c.month / 12, c.month % 12 + 1, 1), 'YYYY-MM-DD') AS cohort_month,
           active.month - c.month AS month_offset, s.size AS cohort_size, count(*)::int AS active_customers
    FROM cohorts AS c
    CROSS JOIN LATERAL unnest(c.active_months) AS active(month)
    JOIN sizes AS s ON s.month = c.month
    GROUP BY c.month, active.month, s.size`.replaceAll("RUN_DAY", `DATE '${runDay}'`);
  return client.query(sql).then((results) => {
    const [byScores, cohorts] = results as unknown as [pg.QueryResult<ScoreRow>, pg.QueryResult];
    return { byScores: byScores.rows, cohortCells: cohorts.rows as KpiAggregates["cohortCells"] };
  });
}

/** The CLV figures of the run's results. */
export async function readClvTotals(client: pg.ClientBase) {
  const { rows } = await client.query<{ total: string | null; customers: string }>(
    `SELECT sum(clv_minor)::bigint AS total, count(clv_minor) AS customers FROM analytics_results`,
  );
  return { total: BigInt(rows[0]?.total ?? 0), customers: Number(rows[0]?.customers ?? 0) };
}

export interface KpiSnapshotValues {
  period: string;
  periodStart: string | null;
  periodEnd: string;
  customers: number;
  newCustomers: number;
  returningCustomers: number;
  orders: number;
  revenueMinor: bigint;
  repeatPurchaseRate: number;
  purchaseFrequency: number;
  averageOrderValueMinor: bigint;
  revenuePerCustomerMinor: bigint;
  churnRate: number | null;
  averageClvMinor: bigint | null;
  totalClvMinor: bigint | null;
  revenueShareBySegment: Record<string, number>;
}

const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : 0);
const roundedMinor = (numerator: bigint, denominator: number) =>
  denominator > 0 ? BigInt(Math.round(Number(numerator) / denominator)) : 0n;

/** The KPIs of every period, with each score triple's figures credited to its segment. */
export function kpiSnapshots(
  aggregates: KpiAggregates,
  runDay: string,
  segmentOf: (scores: { recency: number; frequency: number; monetary: number }) => string,
  clv: { total: bigint; customers: number },
): KpiSnapshotValues[] {
  const rows = aggregates.byScores;
  const total = (column: string) => rows.reduce((sum, row) => sum + Number(row[column] ?? 0), 0);
  const totalBig = (column: string) => rows.reduce((sum, row) => sum + BigInt(row[column] ?? 0), 0n);
  const clvCustomers = clv.customers;
  const clvTotal = clv.total;
  const dayMs = Date.parse(`${runDay}T00:00:00Z`);
  return KPI_PERIODS.map(({ period, days }) => {
    const key = days === null ? "all" : String(days);
    const customers = total(`customers_${key}`);
    const orders = total(`orders_${key}`);
    const revenue = totalBig(`revenue_${key}`);
    const share: Record<string, number> = {};
    for (const row of rows) {
      const segment = segmentOf({
        recency: Number(row.r_score),
        frequency: Number(row.f_score),
        monetary: Number(row.m_score),
      });
      const part = revenue > 0n ? Number(BigInt(row[`revenue_${key}`] ?? 0)) / Number(revenue) : 0;
      share[segment] = (share[segment] ?? 0) + part;
    }
    return {
      period,
      periodStart: days === null ? null : new Date(dayMs - (days - 1) * 86_400_000).toISOString().slice(0, 10),
      periodEnd: runDay,
      customers,
      newCustomers: total(`new_${key}`),
      returningCustomers: total(`returning_${key}`),
      orders,
      revenueMinor: revenue,
      repeatPurchaseRate: ratio(total(`repeat_${key}`), customers),
      purchaseFrequency: ratio(orders, customers),
      averageOrderValueMinor: roundedMinor(revenue, orders),
      revenuePerCustomerMinor: roundedMinor(revenue, customers),
      churnRate: days === null ? null : ratio(total(`lapsed_${key}`), total(`before_${key}`)),
      averageClvMinor: clvCustomers > 0 ? roundedMinor(clvTotal, clvCustomers) : null,
      totalClvMinor: clvCustomers > 0 ? clvTotal : null,
      revenueShareBySegment: share,
    };
  });
}

export async function writeKpis(
  client: pg.ClientBase,
  shopId: number,
  runId: number,
  at: Date,
  snapshots: KpiSnapshotValues[],
) {
  for (const k of snapshots) {
    await client.query(
      `INSERT INTO kpi_snapshots (shop_id, run_id, period, period_start, period_end, customers, new_customers,
         returning_customers, orders, revenue_minor, repeat_purchase_rate, purchase_frequency,
         average_order_value_minor, revenue_per_customer_minor, churn_rate, average_clv_minor, total_clv_minor,
         revenue_share_by_segment, computed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
      [
        shopId,
        runId,
        k.period,
        k.periodStart,
        k.periodEnd,
        k.customers,
        k.newCustomers,
        k.returningCustomers,
        k.orders,
        k.revenueMinor.toString(),
        k.repeatPurchaseRate,
        k.purchaseFrequency,
        k.averageOrderValueMinor.toString(),
        k.revenuePerCustomerMinor.toString(),
        k.churnRate,
        k.averageClvMinor?.toString() ?? null,
        k.totalClvMinor?.toString() ?? null,
        JSON.stringify(k.revenueShareBySegment),
        at,
      ],
    );
  }
}

/** Replaces the shop's cohort matrix with the run's cells. Returns the number of cells. */
export async function writeCohortRetention(
  client: pg.ClientBase,
  shopId: number,
  runId: number,
  at: Date,
  cells: KpiAggregates["cohortCells"],
) {
  await client.query(`DELETE FROM cohort_retention WHERE shop_id = $1`, [shopId]);
  const result = await client.query(
    `INSERT INTO cohort_retention (shop_id, cohort_month, month_offset, cohort_size, active_customers, run_id, computed_at)
     SELECT $1, cell.cohort_month, cell.month_offset, cell.cohort_size, cell.active_customers, $2, $3
     FROM unnest($4::date[], $5::int[], $6::int[], $7::int[])
       AS cell(cohort_month, month_offset, cohort_size, active_customers)`,
    [
      shopId,
      runId,
      at,
      cells.map((cell) => cell.cohort_month),
      cells.map((cell) => cell.month_offset),
      cells.map((cell) => cell.cohort_size),
      cells.map((cell) => cell.active_customers),
    ],
  );
  return result.rowCount ?? 0;
}
