// The model inputs and RFM scores of a shop's customers, computed in PostgreSQL.
//
// A purchase is a customer's non-cancelled orders of one calendar day in the shop's time zone,
// merged, worth the day's net spend (total minus refunds, never below zero). Zero-value orders
// are purchases. Only orders up to the run's day count, and customers deleted in Shopify are left
// out. RFM values are days since the last purchase day (R), purchase days (F) and net spend (M),
// each scored 1..5 by least(5, 1 + floor(5 * percent_rank())) with "better" last in the order,
// exactly as app/crm/rfm/rfm-scores.ts does it.
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";

import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";

import { KPI_WINDOWS } from "./kpi-periods";
import { allocateCustomerColumns, truncateCustomerColumns, type CustomerColumns } from "./customer-columns";

/** SQL expressions of the shop id, its time zone and the run's day: placeholders or literals. */
interface SummaryInputs {
  shopId: string;
  timeZone: string;
  runDay: string;
}
const PLACEHOLDERS: SummaryInputs = { shopId: "$1", timeZone: "$2", runDay: "$3::date" };

/** One row per customer and purchase day. */
const purchaseDaysSelect = ({ shopId, timeZone, runDay }: SummaryInputs, customerFilter: string) => `
  SELECT o.customer_id,
         (o.processed_at AT TIME ZONE ${timeZone})::date AS day,
         count(*)::int AS orders,
         greatest(sum(o.total_minor - o.refunded_minor), 0)::bigint AS amount
  FROM orders AS o
  WHERE o.shop_id = ${shopId}
    AND o.cancelled_at IS NULL
    AND o.customer_id IS NOT NULL
    AND o.processed_at < (${runDay} + 1)::timestamp AT TIME ZONE ${timeZone}
    ${customerFilter}
  GROUP BY 1, 2`;

// The first purchase day's amount, in the same pass: min() over (day, amount) packed in a bigint
// (days since 1900 above 2^40, amounts below), far cheaper than an array or a window per row.
const DAY_SHIFT = "1099511627776";

/** Each KPI window's figures per customer, so the KPIs never go back to the days. */
const windowColumns = (runDay: string) =>
  KPI_WINDOWS.map(
    (days) => `
         (count(*) FILTER (WHERE day > ${runDay} - ${days}))::int AS days_${days},
         coalesce(sum(orders) FILTER (WHERE day > ${runDay} - ${days}), 0)::int AS orders_${days},
         coalesce(sum(amount) FILTER (WHERE day > ${runDay} - ${days}), 0)::bigint AS revenue_${days},
         coalesce(bool_or(day > ${runDay} - ${2 * days} AND day <= ${runDay} - ${days}), false) AS before_${days}`,
  ).join(",");

/** Per customer, over the purchase days. */
const customerSummarySelect = (inputs: SummaryInputs, customerFilter: string) => `
  SELECT customer_id,
         count(*)::int AS purchase_days,
         sum(orders)::int AS orders,
         (${inputs.runDay} - max(day)) AS recency_days,
         (${inputs.runDay} - min(day)) AS age_days,
         (max(day) - min(day)) AS span_days,
         sum(amount)::bigint AS net_spent_minor,
         (min((day - DATE '1900-01-01')::bigint * ${DAY_SHIFT} + amount) % ${DAY_SHIFT})::bigint AS first_day_minor,
         (count(*) FILTER (WHERE amount > 0))::int AS positive_days,
         min(day) AS first_day,
         array_agg(DISTINCT (extract(year FROM day) * 12 + extract(month FROM day) - 1)::int) AS active_months,
         ${windowColumns(inputs.runDay)}
  FROM (${purchaseDaysSelect(inputs, customerFilter)}) AS d
  GROUP BY customer_id`;

/** Customers deleted in Shopify, checked once per customer rather than once per order. */
const notDeleted = (alias: string) =>
  `NOT EXISTS (SELECT 1 FROM customers AS c WHERE c.id = ${alias}.customer_id AND c.deleted_at IS NOT NULL)`;

const quintile = (order: string) => `least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY ${order})))::smallint`;

/**
 * analytics_customers: every customer's RFM values, model inputs and KPI figures, with the RFM
 * quintile scores, in one statement. Returns the number of customers and of orders counted.
 */
export async function loadCustomerSummaries(client: pg.ClientBase, shopId: number, timeZone: string, runDay: string) {
  if (!Number.isInteger(shopId) || !/^\d{4}-\d{2}-\d{2}$/.test(runDay)) throw new RangeError("bad run inputs");
  // CREATE TABLE AS takes no parameters, and is what lets PostgreSQL scan and sort the orders
  // in parallel (INSERT ... SELECT never runs in parallel): literals, escaped.
  const inputs = {
    shopId: String(shopId),
    timeZone: client.escapeLiteral(timeZone),
    runDay: `DATE '${runDay}'`,
  };
  // One sort of the orders by (customer, day) feeds both groupings in a stream (hashing five
  // million (customer, day) groups spills to disk). A plain index scan would give that order
  // without a sort, but at one random heap read per order of a shop whose orders are stored in
  // time order: a seq scan (big shop) or bitmap scan (small one) plus the sort is far cheaper.
  // Parallel workers are worth their start-up here: cheaper tuple transfer than the default.
  await client.query(
    `SET enable_hashagg = off; SET enable_indexscan = off; SET parallel_setup_cost = 100; SET parallel_tuple_cost = 0.01`,
  );
  try {
    const result = await client.query(
      `CREATE TEMP TABLE analytics_customers AS
       SELECT s.*,
              ${quintile("s.recency_days DESC")} AS r_score,
              ${quintile("s.purchase_days")} AS f_score,
              ${quintile("s.net_spent_minor")} AS m_score
       FROM (${customerSummarySelect(inputs, "")}) AS s
       WHERE ${notDeleted("s")}`,
    );
    const { rows } = await client.query<{ orders: string }>(
      `SELECT coalesce(sum(orders), 0)::bigint AS orders FROM analytics_customers`,
    );
    await client.query(`ANALYZE analytics_customers`);
    return { customers: result.rowCount ?? 0, orders: Number(rows[0]!.orders) };
  } finally {
    await client.query(
      `RESET enable_hashagg; RESET enable_indexscan; RESET parallel_setup_cost; RESET parallel_tuple_cost`,
    );
  }
}

/**
 * Streams analytics_customers out with COPY into typed arrays: no row objects, so a million
 * customers cost a few flat arrays.
 */
export async function readCustomerColumns(client: pg.Client, expected: number): Promise<CustomerColumns> {
  const columns = allocateCustomerColumns(expected);
  let size = 0;
  let rest = "";
  const readRow = (line: string) => {
    const f = line.split("\t");
    const i = size++;
    columns.customerId[i] = Number(f[0]);
    columns.purchaseDays[i] = Number(f[1]);
    columns.recencyDays[i] = Number(f[2]);
    columns.ageDays[i] = Number(f[3]);
    columns.spanDays[i] = Number(f[4]);
    columns.netSpentMinor[i] = Number(f[5]);
    columns.firstDayMinor[i] = Number(f[6]);
    columns.positiveDays[i] = Number(f[7]);
    columns.rScore[i] = Number(f[8]);
    columns.fScore[i] = Number(f[9]);
    columns.mScore[i] = Number(f[10]);
  };
  const rows = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      const lines = (rest + chunk.toString("utf8")).split("\n");
      rest = lines.pop()!;
      for (const line of lines) if (size < expected) readRow(line);
      done();
    },
  });
  const source = client.query(
    copyTo(`COPY (SELECT customer_id, purchase_days, recency_days, age_days, span_days, net_spent_minor,
                         first_day_minor, positive_days, r_score, f_score, m_score
                  FROM analytics_customers) TO STDOUT`),
  );
  await pipeline(source, rows);
  if (rest) readRow(rest);
  return truncateCustomerColumns(columns, size);
}

/** The same summary and values for one customer, straight from the orders (for a re-score). */
export async function readOneCustomerSummary(
  client: pg.ClientBase,
  shopId: number,
  timeZone: string,
  runDay: string,
  customerId: bigint,
) {
  const { rows } = await client.query<Record<string, string>>(
    `SELECT * FROM (${customerSummarySelect(PLACEHOLDERS, "AND o.customer_id = $4")}) AS s WHERE ${notDeleted("s")}`,
    [shopId, timeZone, runDay, customerId.toString()],
  );
  const row = rows[0];
  if (!row) return null;
  const columns = allocateCustomerColumns(1);
  columns.customerId[0] = Number(customerId);
  columns.purchaseDays[0] = Number(row.purchase_days);
  columns.recencyDays[0] = Number(row.recency_days);
  columns.ageDays[0] = Number(row.age_days);
  columns.spanDays[0] = Number(row.span_days);
  columns.netSpentMinor[0] = Number(row.net_spent_minor);
  columns.firstDayMinor[0] = Number(row.first_day_minor);
  columns.positiveDays[0] = Number(row.positive_days);
  return columns;
}
