// Writes a run's customer results back, set-based: COPY into a temp table, then one statement
// each for the lifecycle transitions, the scores, and the rows of customers who no longer count.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

import { LIFECYCLE_STAGES } from "../lifecycle/lifecycle-stage";
import { RFM_SEGMENTS } from "../rfm/rfm-segments";
import { MODEL_PERIOD_DAYS, type CustomerColumns } from "./customer-columns";
import { CHURN_RISK_BANDS, NONE, type CustomerResults } from "./score-customers";

const COPY_BATCH = 5_000;
// COPY's binary format: doubles and bigints go as their eight bytes, no number formatting.
const BINARY_HEADER = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)]);
const FIELDS = 11;

function* resultBatches(columns: CustomerColumns, results: CustomerResults) {
  const names = (list: readonly string[]) => list.map((name) => Buffer.from(name, "utf8"));
  const segments = names(RFM_SEGMENTS);
  const bands = names(CHURN_RISK_BANDS);
  const stages = names(LIFECYCLE_STAGES);
  const buffer = Buffer.alloc(COPY_BATCH * 200);
  let offset = 0;
  const int8 = (value: number) => {
    offset = buffer.writeInt32BE(8, offset);
    offset = buffer.writeBigInt64BE(BigInt(value), offset);
  };
  const float8 = (value: number) => {
    if (Number.isNaN(value)) offset = buffer.writeInt32BE(-1, offset);
    else offset = buffer.writeDoubleBE(value, buffer.writeInt32BE(8, offset));
  };
  const minor = (value: number) => (Number.isNaN(value) ? float8(value) : int8(Math.round(value)));
  const text = (value: Buffer | undefined) => {
    if (value === undefined) offset = buffer.writeInt32BE(-1, offset);
    else {
      offset = buffer.writeInt32BE(value.length, offset);
      offset += value.copy(buffer, offset);
    }
  };
  yield BINARY_HEADER;
  for (let i = 0; i < columns.size; i++) {
    offset = buffer.writeInt16BE(FIELDS, offset);
    int8(columns.customerId[i]!);
    text(segments[results.rfmSegment[i]!]);
    float8(results.pAlive[i]!);
    text(bands[results.churnRisk[i]!]);
    float8(results.expectedPurchases30[i]!);
    float8(results.expectedPurchases90[i]!);
    float8(results.expectedPurchases365[i]!);
    minor(results.expectedAverageOrderValue[i]!);
    minor(results.clv[i]!);
    if (results.cluster[i] === NONE) offset = buffer.writeInt32BE(-1, offset);
    else offset = buffer.writeInt16BE(results.cluster[i]!, buffer.writeInt32BE(2, offset));
    text(results.lifecycleStage[i] === NONE ? undefined : stages[results.lifecycleStage[i]!]);
    if ((i + 1) % COPY_BATCH === 0) {
      yield Buffer.from(buffer.subarray(0, offset));
      offset = 0;
    }
  }
  offset = buffer.writeInt16BE(-1, offset);
  yield Buffer.from(buffer.subarray(0, offset));
}

/** COPY the results into the temp table analytics_results. */
export async function copyCustomerResults(client: pg.ClientBase, columns: CustomerColumns, results: CustomerResults) {
  await client.query(`
    CREATE TEMP TABLE IF NOT EXISTS analytics_results (
      customer_id bigint, rfm_segment text, p_alive float8, churn_risk text, expected_purchases_30 float8,
      expected_purchases_90 float8, expected_purchases_365 float8, expected_aov_minor bigint, clv_minor bigint,
      cluster smallint, lifecycle_stage text);
    TRUNCATE analytics_results;`);
  await pipeline(
    Readable.from(resultBatches(columns, results)),
    client.query(copyFrom("COPY analytics_results FROM STDIN (FORMAT binary)")),
  );
}

const SCORE_COLUMNS = `customer_id, shop_id, run_id, recency_days, purchase_days, net_spent_minor, r_score, f_score,
  m_score, rfm_segment, frequency, recency, t, monetary_value, p_alive, churn_risk, expected_purchases_30,
  expected_purchases_90, expected_purchases_365, expected_aov_minor, clv_minor, cluster, lifecycle_stage, computed_at`;

/** The new row of a customer, from analytics_customers a and analytics_results r ($1 shop, $2 run, $3 at, $4 period days). */
const SCORE_VALUES = `a.customer_id, $1::int, $2::int, a.recency_days, a.purchase_days, a.net_spent_minor, a.r_score, a.f_score,
  a.m_score, r.rfm_segment, a.purchase_days - 1, a.span_days / $4::float8, a.age_days / $4::float8,
  CASE WHEN a.purchase_days > 1 THEN (a.net_spent_minor - a.first_day_minor)::float8 / (a.purchase_days - 1) ELSE 0 END,
  r.p_alive, r.churn_risk, r.expected_purchases_30, r.expected_purchases_90, r.expected_purchases_365,
  r.expected_aov_minor, r.clv_minor, r.cluster, r.lifecycle_stage, $3::timestamptz`;

const UPDATE_SCORES = SCORE_COLUMNS.split(",")
  .map((column) => column.trim())
  .filter((column) => column !== "customer_id")
  .map((column) => `${column} = EXCLUDED.${column}`)
  .join(", ");

/** Inserts the scores of the run's customers who have none yet. */
async function insertNewScores(client: pg.ClientBase, shopId: number, runId: number, at: Date) {
  await client.query(
    `INSERT INTO customer_scores (${SCORE_COLUMNS})
     SELECT ${SCORE_VALUES}
     FROM analytics_customers AS a JOIN analytics_results AS r ON r.customer_id = a.customer_id
     -- In customer id order: each row's foreign-key check then locks customers rows in heap order
     -- and the primary key grows at its right edge. In the results' own order (by spend, from the
     -- RFM sort) both are random page accesses: twice as slow at a million customers.
     ORDER BY a.customer_id
     -- Rows that exist already (updated just before) conflict and are skipped. No NOT EXISTS on
     -- customer_scores here: read by the statement that fills it, a nearly empty table's seq
     -- scan goes quadratic.
     ON CONFLICT (customer_id) DO NOTHING`,
    [shopId, runId, at, MODEL_PERIOD_DAYS],
  );
}

/**
 * Records stage changes (customers who had a stage and now have another), writes the scores
 * from analytics_customers + analytics_results, and removes the scores of the shop's customers
 * who no longer have a counted order. Call inside a transaction. Returns the transitions count.
 */
export async function writeCustomerScores(
  client: pg.ClientBase,
  shopId: number,
  runId: number,
  at: Date,
  customers: number,
) {
  const { rows } = await client.query<{ count: string }>(
    `SELECT count(*) AS count FROM customer_scores WHERE shop_id = $1`,
    [shopId],
  );
  const existing = Number(rows[0]!.count);
  // A shop's first run has no stages to compare and no rows to update: both joins are skipped.
  if (existing === 0) {
    await insertNewScores(client, shopId, runId, at);
    return 0;
  }
  const transitions = await client.query(
    `INSERT INTO lifecycle_transitions (shop_id, customer_id, from_stage, to_stage, at, run_id)
     SELECT $1, r.customer_id, s.lifecycle_stage, r.lifecycle_stage, $3, $2
     FROM analytics_results AS r
     JOIN customer_scores AS s ON s.customer_id = r.customer_id AND s.shop_id = $1
     WHERE s.lifecycle_stage IS NOT NULL AND r.lifecycle_stage IS NOT NULL AND s.lifecycle_stage <> r.lifecycle_stage`,
    [shopId, runId, at],
  );
  // Existing rows by UPDATE (HOT: no indexed column changes), new customers by INSERT.
  const updated =
    (
      await client.query(
        `UPDATE customer_scores AS s
         SET (${SCORE_COLUMNS}) = (${SCORE_VALUES})
         FROM analytics_customers AS a JOIN analytics_results AS r ON r.customer_id = a.customer_id
         WHERE s.customer_id = a.customer_id AND s.shop_id = $1`,
        [shopId, runId, at, MODEL_PERIOD_DAYS],
      )
    ).rowCount ?? 0;
  // Each of the next two is a million-row anti-join: skipped when the counts say it has nothing to do.
  if (updated < customers) await insertNewScores(client, shopId, runId, at);
  if (existing > updated) {
    await client.query(
      `DELETE FROM customer_scores AS s
       WHERE s.shop_id = $1 AND NOT EXISTS (SELECT 1 FROM analytics_customers AS a WHERE a.customer_id = s.customer_id)`,
      [shopId],
    );
  }
  return transitions.rowCount ?? 0;
}

export interface OneCustomerScore {
  customerId: bigint;
  shopId: number;
  runId: number;
  recencyDays: number;
  purchaseDays: number;
  netSpentMinor: number;
  scores: { r: number; f: number; m: number };
  rfmSegment: string;
  summary: { frequency: number; recency: number; T: number; monetaryValue: number };
  pAlive: number | null;
  churnRisk: string;
  expectedPurchases: [number | null, number | null, number | null];
  expectedAverageOrderValueMinor: number | null;
  clvMinor: number | null;
  lifecycleStage: string | null;
  computedAt: Date;
}

const rounded = (value: number | null) => (value === null ? null : Math.round(value).toString());

/**
 * Upserts one customer's scores (the cluster stays as the last run assigned it) and records
 * a stage change. Returns the previous stage.
 */
export async function writeOneCustomerScore(client: pg.ClientBase, score: OneCustomerScore) {
  const { rows } = await client.query<{ lifecycle_stage: string | null }>(
    `SELECT lifecycle_stage FROM customer_scores WHERE customer_id = $1 AND shop_id = $2 FOR UPDATE`,
    [score.customerId.toString(), score.shopId],
  );
  const previous = rows[0]?.lifecycle_stage ?? null;
  if (previous !== null && score.lifecycleStage !== null && previous !== score.lifecycleStage) {
    await client.query(
      `INSERT INTO lifecycle_transitions (shop_id, customer_id, from_stage, to_stage, at, run_id)
       VALUES ($1, $2, $3, $4, $5, NULL)`,
      [score.shopId, score.customerId.toString(), previous, score.lifecycleStage, score.computedAt],
    );
  }
  await client.query(
    `INSERT INTO customer_scores (${SCORE_COLUMNS.replace(", cluster", "")})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
     ON CONFLICT (customer_id) DO UPDATE SET ${UPDATE_SCORES.replace(", cluster = EXCLUDED.cluster", "")}`,
    [
      score.customerId.toString(),
      score.shopId,
      score.runId,
      score.recencyDays,
      score.purchaseDays,
      Math.round(score.netSpentMinor).toString(),
      score.scores.r,
      score.scores.f,
      score.scores.m,
      score.rfmSegment,
      score.summary.frequency,
      score.summary.recency,
      score.summary.T,
      score.summary.monetaryValue,
      score.pAlive,
      score.churnRisk,
      ...score.expectedPurchases,
      rounded(score.expectedAverageOrderValueMinor),
      rounded(score.clvMinor),
      score.lifecycleStage,
      score.computedAt,
    ],
  );
  return previous;
}

/** A customer with no counted order left has no scores. */
export async function deleteOneCustomerScore(client: pg.ClientBase, shopId: number, customerId: bigint) {
  await client.query(`DELETE FROM customer_scores WHERE customer_id = $1 AND shop_id = $2`, [
    customerId.toString(),
    shopId,
  ]);
}
