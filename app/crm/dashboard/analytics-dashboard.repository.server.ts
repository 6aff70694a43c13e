// Read-only reads for the home page's analytics, all scoped to one shop: the latest finished run,
// the summary it stored (segments, stages, CLV bands: one row by primary key), and small indexed
// reads for the rest. Nothing here recomputes a model or scans the shop's scores, except for a run
// from before summaries were stored: its figures are grouped live on each view until the next run.
import type { PrismaClient } from "../../db.server";
import { runSummaryFiguresSchema, type RunSummaryFigures } from "../analytics/run-summary";
import type {
  CohortCellRow,
  DashboardRows,
  KpiSnapshotRow,
  LifecycleFlowRow,
  ScoreGroupRow,
  TopCustomerRow,
} from "./analytics-dashboard";
import { CLV_OVERFLOW_BAND, clvBandWidthMinor } from "./dashboard-format";

/** A run still marked running after this long died with its worker (the nightly run takes < 1 min). */
const STALE_RUN_MS = 30 * 60_000;
export const FLOW_WINDOW_DAYS = 30;
export const COHORT_MONTHS = 12;
const TOP_CUSTOMERS = 10;

const RUN_SELECT = {
  id: true,
  trigger: true,
  status: true,
  progress: true,
  phase: true,
  startedAt: true,
  finishedAt: true,
  phaseDurations: true,
  customersCount: true,
  ordersCount: true,
  repeatCustomersCount: true,
  transitionsCount: true,
  modelFit: true,
  clusters: true,
  error: true,
} as const;

const SUMMARY_SELECT = { computedAt: true, figures: true } as const;

export async function loadAnalyticsDashboardRows(
  db: PrismaClient,
  shop: { id: number; currencyCode: string },
  now = new Date(),
): Promise<DashboardRows> {
  const shopId = shop.id;
  const [latestRun, activeRun, newestRun] = await Promise.all([
    // The run that finished last (a merchant run may start before a nightly one and end after it).
    db.analyticsRun.findFirst({
      where: { shopId, status: "succeeded" },
      orderBy: [{ finishedAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
      select: { ...RUN_SELECT, summary: { select: SUMMARY_SELECT } },
    }),
    findActiveRun(db, shopId, now),
    db.analyticsRun.findFirst({
      where: { shopId, status: { not: "running" } },
      orderBy: { id: "desc" },
      select: RUN_SELECT,
    }),
  ]);
  const failedRun = newestRun?.status === "failed" ? newestRun : null;
  if (!latestRun) {
    return { ...EMPTY_ROWS, activeRun, failedRun };
  }
  const { summary, ...run } = latestRun;
  const stored = summary && storedFigures(summary);
  const [kpis, previousKpis, scoreFigures, flows, topCustomers, cohorts] = await Promise.all([
    db.kpiSnapshot.findMany({ where: { runId: run.id, shopId }, orderBy: { id: "asc" } }),
    previousPeriodKpis(db, shopId, run.id),
    stored ?? liveScoreFigures(db, shop),
    lifecycleFlows(db, shopId, new Date(now.getTime() - FLOW_WINDOW_DAYS * 86_400_000)),
    topCustomersByClv(db, shopId),
    cohortMatrix(db, shopId),
  ]);
  return {
    latestRun: run,
    activeRun,
    failedRun,
    kpis,
    previousKpis,
    ...scoreFigures,
    flows,
    topCustomers,
    cohorts,
  };
}

type ScoreFigures = Pick<DashboardRows, "segments" | "stages" | "clvBands" | "scoresComputedAt" | "scoreFiguresFrom">;

/** The run's stored figures, or null when they are of a shape this version does not read. */
function storedFigures(summary: { computedAt: Date; figures: unknown }): ScoreFigures | null {
  const parsed = runSummaryFiguresSchema.safeParse(summary.figures);
  if (!parsed.success) return null;
  const figures = parsed.data;
  const groups = (list: RunSummaryFigures["segments"]): ScoreGroupRow[] =>
    list.map((row) => ({
      key: row.key,
      customers: row.customers,
      netSpentMinor: BigInt(row.netSpentMinor),
      clvMinor: row.clvMinor === null ? null : BigInt(row.clvMinor),
      clvCustomers: row.clvCustomers,
    }));
  return {
    segments: groups(figures.segments),
    stages: groups(figures.stages),
    clvBands: {
      widthMinor: BigInt(figures.clv.widthMinor),
      bands: figures.clv.bands.map((band) => ({
        band: band.band,
        customers: band.customers,
        clvMinor: BigInt(band.clvMinor),
      })),
    },
    scoresComputedAt: summary.computedAt,
    scoreFiguresFrom: "run",
  };
}

/** A run from before summaries: the same figures grouped from the scores table (whole-shop scans). */
async function liveScoreFigures(db: PrismaClient, shop: { id: number; currencyCode: string }): Promise<ScoreFigures> {
  const [segments, stages, clvBands, scoresComputedAt] = await Promise.all([
    scoreGroups(db, shop.id, "rfm_segment"),
    scoreGroups(db, shop.id, "lifecycle_stage"),
    clvDistribution(db, shop.id, shop.currencyCode),
    db.customerScore.aggregate({ where: { shopId: shop.id }, _max: { computedAt: true } }),
  ]);
  return { segments, stages, clvBands, scoresComputedAt: scoresComputedAt._max.computedAt, scoreFiguresFrom: "live" };
}

/** The shop's run in progress, if any: all the progress bar polls for. */
export async function findActiveRun(db: PrismaClient, shopId: number, now = new Date()) {
  return db.analyticsRun.findFirst({
    where: { shopId, status: "running", startedAt: { gte: new Date(now.getTime() - STALE_RUN_MS) } },
    orderBy: { id: "desc" },
    select: RUN_SELECT,
  });
}

const EMPTY_ROWS: Omit<DashboardRows, "activeRun" | "failedRun"> = {
  latestRun: null,
  kpis: [],
  previousKpis: [],
  segments: [],
  stages: [],
  flows: [],
  clvBands: { widthMinor: 0n, bands: [] },
  topCustomers: [],
  cohorts: [],
  scoresComputedAt: null,
  scoreFiguresFrom: "run",
};

/**
 * For each period of the latest run, the newest snapshot of an earlier run that covers the period
 * just before it (it ends no later than the day before this one starts), so the comparison never
 * overlaps. All-time figures have no earlier period.
 */
async function previousPeriodKpis(db: PrismaClient, shopId: number, runId: number): Promise<KpiSnapshotRow[]> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    SELECT DISTINCT ON (cur.period) prev.id
    FROM kpi_snapshots AS cur
    JOIN kpi_snapshots AS prev
      ON prev.shop_id = cur.shop_id AND prev.period = cur.period AND prev.run_id <> cur.run_id
     AND prev.period_end < cur.period_start
    WHERE cur.shop_id = ${shopId} AND cur.run_id = ${runId} AND cur.period_start IS NOT NULL
    ORDER BY cur.period, prev.period_end DESC, prev.id DESC`;
  if (rows.length === 0) return [];
  return db.kpiSnapshot.findMany({ where: { shopId, id: { in: rows.map((row) => row.id) } } });
}

async function scoreGroups(
  db: PrismaClient,
  shopId: number,
  column: "rfm_segment" | "lifecycle_stage",
): Promise<ScoreGroupRow[]> {
  // The column name comes from the union above, never from input.
  const rows = await db.$queryRawUnsafe<
    {
      key: string | null;
      customers: bigint;
      net_spent_minor: bigint;
      clv_minor: bigint | null;
      clv_customers: bigint;
    }[]
  >(
    `SELECT ${column} AS key, count(*) AS customers, coalesce(sum(net_spent_minor), 0)::bigint AS net_spent_minor,
            sum(clv_minor)::bigint AS clv_minor, count(clv_minor) AS clv_customers
     FROM customer_scores WHERE shop_id = $1 GROUP BY ${column}`,
    shopId,
  );
  return rows
    .filter((row): row is typeof row & { key: string } => row.key !== null)
    .map((row) => ({
      key: row.key,
      customers: Number(row.customers),
      netSpentMinor: row.net_spent_minor,
      clvMinor: row.clv_minor,
      clvCustomers: Number(row.clv_customers),
    }));
}

async function lifecycleFlows(db: PrismaClient, shopId: number, since: Date): Promise<LifecycleFlowRow[]> {
  const rows = await db.$queryRaw<{ from_stage: string; to_stage: string; customers: bigint }[]>`
    SELECT from_stage, to_stage, count(*) AS customers
    FROM lifecycle_transitions
    WHERE shop_id = ${shopId} AND at >= ${since}
    GROUP BY from_stage, to_stage
    ORDER BY customers DESC, from_stage, to_stage`;
  return rows.map((row) => ({ from: row.from_stage, to: row.to_stage, customers: Number(row.customers) }));
}

/**
 * Predicted CLV in bands of a round width (from the 95th percentile, so one whale does not squash
 * everyone into the first bar), the last band open-ended. Negative CLV counts as zero.
 */
async function clvDistribution(db: PrismaClient, shopId: number, currencyCode: string) {
  const [stats] = await db.$queryRaw<{ p95: bigint | null }[]>`
    SELECT percentile_disc(0.95) WITHIN GROUP (ORDER BY clv_minor) AS p95
    FROM customer_scores WHERE shop_id = ${shopId} AND clv_minor IS NOT NULL`;
  if (stats?.p95 === null || stats?.p95 === undefined) return { widthMinor: 0n, bands: [] };
  const widthMinor = clvBandWidthMinor(stats.p95, currencyCode);
  const rows = await db.$queryRaw<{ band: number; customers: bigint; clv_minor: bigint }[]>`
    SELECT least(greatest(clv_minor, 0) / ${widthMinor}, ${CLV_OVERFLOW_BAND})::int AS band,
           count(*) AS customers, sum(clv_minor)::bigint AS clv_minor
    FROM customer_scores WHERE shop_id = ${shopId} AND clv_minor IS NOT NULL
    GROUP BY 1 ORDER BY 1`;
  return {
    widthMinor,
    bands: rows.map((row) => ({ band: row.band, customers: Number(row.customers), clvMinor: row.clv_minor })),
  };
}

async function topCustomersByClv(db: PrismaClient, shopId: number): Promise<TopCustomerRow[]> {
  const rows = await db.$queryRaw<
    {
      customer_id: bigint;
      shopify_id: bigint;
      first_name: string | null;
      last_name: string | null;
      redacted: boolean;
      clv_minor: bigint;
      p_alive: number | null;
      purchase_days: number;
      net_spent_minor: bigint;
      rfm_segment: string;
      lifecycle_stage: string | null;
    }[]
  >`
    SELECT s.customer_id, c.shopify_id, c.first_name, c.last_name, c.redacted_at IS NOT NULL AS redacted,
           s.clv_minor, s.p_alive, s.purchase_days, s.net_spent_minor, s.rfm_segment, s.lifecycle_stage
    FROM customer_scores AS s JOIN customers AS c ON c.id = s.customer_id
    WHERE s.shop_id = ${shopId} AND s.clv_minor IS NOT NULL AND c.deleted_at IS NULL
    ORDER BY s.clv_minor DESC, s.customer_id
    LIMIT ${TOP_CUSTOMERS}`;
  return rows.map((row) => ({
    customerId: row.customer_id,
    shopifyId: row.shopify_id,
    firstName: row.first_name,
    lastName: row.last_name,
    redacted: row.redacted,
    clvMinor: row.clv_minor,
    pAlive: row.p_alive,
    purchaseDays: row.purchase_days,
    netSpentMinor: row.net_spent_minor,
    rfmSegment: row.rfm_segment,
    lifecycleStage: row.lifecycle_stage,
  }));
}

/** The rows of the newest cohorts present (a shop's recent months may have no first purchases). */
async function cohortMatrix(db: PrismaClient, shopId: number): Promise<CohortCellRow[]> {
  const rows = await db.$queryRaw<
    { cohort_month: Date; month_offset: number; cohort_size: number; active_customers: number; computed_at: Date }[]
  >`
    SELECT cohort_month, month_offset, cohort_size, active_customers, computed_at
    FROM cohort_retention
    WHERE shop_id = ${shopId} AND month_offset < ${COHORT_MONTHS}
      AND cohort_month IN (
        SELECT DISTINCT cohort_month FROM cohort_retention WHERE shop_id = ${shopId}
        ORDER BY cohort_month DESC LIMIT ${COHORT_MONTHS}
      )
    ORDER BY cohort_month, month_offset`;
  return rows.map((row) => ({
    cohortMonth: row.cohort_month.toISOString().slice(0, 10),
    monthOffset: row.month_offset,
    cohortSize: row.cohort_size,
    activeCustomers: row.active_customers,
    computedAt: row.computed_at,
  }));
}
