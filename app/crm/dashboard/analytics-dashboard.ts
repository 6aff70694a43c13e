// The home page's analytics, shaped for the browser from what the repository read: labels,
// percentages, exact money in the shop's currency, times in the shop's zone. Pure.
import { formatShopDateTime } from "../../lib/shop-time";
import { LIFECYCLE_STAGES } from "../lifecycle/lifecycle-stage";
import { formatMoney } from "../money/money";
import {
  CLV_OVERFLOW_BAND,
  formatCount,
  formatDuration,
  formatShare,
  formatWholeMoney,
  lifecycleLabel,
  phaseLabel,
  TRIGGER_LABELS,
} from "./dashboard-format";
import { kpiPeriods, type KpiPeriod, type KpiSnapshotRow } from "./kpi-cards";
import { segmentTiles, type ScoreGroupRow, type SegmentTile } from "./segment-tiles";
import { clusterSummaries, modelSummary, type ClusterSummary, type ModelSummary } from "./model-summary";
import { cohortHeatmap, type CohortCellRow, type CohortHeatmap } from "./cohort-heatmap";

export { CLV_OVERFLOW_BAND, clvBandWidthMinor } from "./dashboard-format";
export type { KpiSnapshotRow, CohortCellRow, ScoreGroupRow, SegmentTile };

export interface AnalyticsRunRow {
  id: number;
  trigger: string;
  status: string;
  progress: number;
  phase: string;
  startedAt: Date;
  finishedAt: Date | null;
  phaseDurations: unknown;
  customersCount: number;
  ordersCount: number;
  repeatCustomersCount: number;
  transitionsCount: number;
  modelFit: unknown;
  clusters: unknown;
  error: string | null;
}
export interface LifecycleFlowRow {
  from: string;
  to: string;
  customers: number;
}
export interface ClvBandRow {
  band: number;
  customers: number;
  clvMinor: bigint;
}
export interface TopCustomerRow {
  customerId: bigint;
  shopifyId: bigint;
  firstName: string | null;
  lastName: string | null;
  redacted: boolean;
  clvMinor: bigint;
  pAlive: number | null;
  purchaseDays: number;
  netSpentMinor: bigint;
  rfmSegment: string;
  lifecycleStage: string | null;
}

export interface DashboardRows {
  latestRun: AnalyticsRunRow | null;
  activeRun: AnalyticsRunRow | null;
  failedRun: AnalyticsRunRow | null;
  kpis: KpiSnapshotRow[];
  previousKpis: KpiSnapshotRow[];
  segments: ScoreGroupRow[];
  stages: ScoreGroupRow[];
  flows: LifecycleFlowRow[];
  clvBands: { widthMinor: bigint; bands: ClvBandRow[] };
  topCustomers: TopCustomerRow[];
  cohorts: CohortCellRow[];
  scoresComputedAt: Date | null;
  /**
   * "run": segments, stages and CLV bands as the run stored them; "live": grouped from the scores
   * table because the run predates stored summaries (slow on a large shop, until the next run).
   */
  scoreFiguresFrom: "run" | "live";
}

/** Whether a recalculation waits in the queue (from BullMQ), beside what analytics_runs says. */
export type QueuedState = "queued" | "none";

export interface Recalculation {
  state: "idle" | "queued" | "running";
  percent: number;
  phase: string;
  startedAt: string | null;
}

export interface AnalyticsDashboard {
  recalculation: Recalculation;
  lastFailure: null | { at: string; error: string };
  latest: null | {
    computedAt: string;
    trigger: string;
    duration: string;
    customers: string;
    orders: string;
    repeatCustomers: string;
    scoresUpdatedAt: string | null;
    /** True when segments, stages and CLV bands were grouped live (a run from before summaries). */
    readLive: boolean;
    kpis: KpiPeriod[];
    segments: SegmentTile[];
    lifecycle: { stages: { stage: string; label: string; customers: number; share: string }[]; total: string };
    flows: { windowDays: number; rows: { from: string; to: string; customers: string }[] };
    clv: {
      bands: { label: string; customers: number; total: string }[];
      scoredCustomers: string;
      topCustomers: {
        id: string;
        name: string;
        clv: string;
        pAlive: string;
        orders: string;
        spent: string;
        segment: string;
        stage: string;
      }[];
    };
    cohorts: CohortHeatmap;
    model: ModelSummary;
    clusters: { silhouette: string; clusters: ClusterSummary[] } | null;
  };
}

function customerName(row: TopCustomerRow): string {
  if (row.redacted) return "Redacted customer";
  const name = [row.firstName, row.lastName].filter(Boolean).join(" ").trim();
  return name || `Customer ${row.shopifyId}`;
}

/** What the progress bar shows: a run in progress, or one waiting in the queue. */
export function recalculation(
  rows: Pick<DashboardRows, "activeRun">,
  queued: QueuedState,
  timeZone: string,
): Recalculation {
  const active = rows.activeRun;
  if (active) {
    return {
      state: "running",
      percent: Math.min(100, Math.max(0, active.progress)),
      phase: phaseLabel(active.phase),
      startedAt: formatShopDateTime(active.startedAt, timeZone),
    };
  }
  if (queued === "queued") return { state: "queued", percent: 0, phase: phaseLabel("queued"), startedAt: null };
  return { state: "idle", percent: 0, phase: "", startedAt: null };
}

function sumDurations(durations: unknown): number | null {
  if (!durations || typeof durations !== "object") return null;
  const values = Object.values(durations).filter((value): value is number => typeof value === "number");
  return values.length ? values.reduce((sum, value) => sum + value, 0) : null;
}

export function buildAnalyticsDashboard(
  rows: DashboardRows,
  shop: { currencyCode: string; timeZone: string },
  queued: QueuedState = "none",
): AnalyticsDashboard {
  const { currencyCode, timeZone } = shop;
  const failed = rows.failedRun;
  const lastFailure =
    failed && (!rows.latestRun || failed.id > rows.latestRun.id)
      ? {
          at: formatShopDateTime(failed.finishedAt ?? failed.startedAt, timeZone),
          error: failed.error ?? "unknown error",
        }
      : null;
  const run = rows.latestRun;
  if (!run) return { recalculation: recalculation(rows, queued, timeZone), lastFailure, latest: null };

  const finishedAt = run.finishedAt ?? run.startedAt;
  const duration = sumDurations(run.phaseDurations) ?? finishedAt.getTime() - run.startedAt.getTime();
  const stageTotal = rows.stages.reduce((sum, row) => sum + row.customers, 0);
  const stageCounts = new Map(rows.stages.map((row) => [row.key, row.customers]));
  const width = rows.clvBands.widthMinor;
  const scored = rows.clvBands.bands.reduce((sum, band) => sum + band.customers, 0);
  const bandCounts = new Map(rows.clvBands.bands.map((band) => [band.band, band]));
  const lastBand = Math.max(-1, ...rows.clvBands.bands.map((band) => band.band));

  return {
    recalculation: recalculation(rows, queued, timeZone),
    lastFailure,
    latest: {
      computedAt: formatShopDateTime(finishedAt, timeZone),
      trigger: TRIGGER_LABELS[run.trigger] ?? run.trigger,
      duration: formatDuration(duration),
      customers: formatCount(run.customersCount),
      orders: formatCount(run.ordersCount),
      repeatCustomers: formatCount(run.repeatCustomersCount),
      scoresUpdatedAt: rows.scoresComputedAt ? formatShopDateTime(rows.scoresComputedAt, timeZone) : null,
      readLive: rows.scoreFiguresFrom === "live",
      kpis: kpiPeriods(rows.kpis, rows.previousKpis, shop),
      segments: segmentTiles(rows.segments, currencyCode),
      lifecycle: {
        total: formatCount(stageTotal),
        stages: LIFECYCLE_STAGES.map((stage) => {
          const customers = stageCounts.get(stage) ?? 0;
          return {
            stage,
            label: lifecycleLabel(stage),
            customers,
            share: formatShare(stageTotal ? customers / stageTotal : null),
          };
        }),
      },
      flows: {
        windowDays: 30,
        rows: rows.flows.map((flow) => ({
          from: lifecycleLabel(flow.from),
          to: lifecycleLabel(flow.to),
          customers: formatCount(flow.customers),
        })),
      },
      clv: {
        scoredCustomers: formatCount(scored),
        // Every band from 0 to the last one present, empty ones included, so the axis is linear.
        bands: Array.from({ length: lastBand + 1 }, (_, band) => {
          const low = width * BigInt(band);
          const label =
            band === CLV_OVERFLOW_BAND
              ? `${formatWholeMoney(low, currencyCode)}+`
              : `${formatWholeMoney(low, currencyCode)}–${formatWholeMoney(low + width, currencyCode)}`;
          const found = bandCounts.get(band);
          return {
            label,
            customers: found?.customers ?? 0,
            total: formatMoney(found?.clvMinor ?? 0n, currencyCode),
          };
        }),
        topCustomers: rows.topCustomers.map((row) => ({
          id: row.customerId.toString(),
          name: customerName(row),
          clv: formatMoney(row.clvMinor, currencyCode),
          pAlive: formatShare(row.pAlive),
          orders: formatCount(row.purchaseDays),
          spent: formatMoney(row.netSpentMinor, currencyCode),
          segment: row.rfmSegment,
          stage: row.lifecycleStage ? lifecycleLabel(row.lifecycleStage) : "–",
        })),
      },
      cohorts: cohortHeatmap(rows.cohorts, finishedAt, timeZone),
      model: modelSummary(run.modelFit, run, timeZone),
      clusters: clusterSummaries(run.clusters, currencyCode),
    },
  };
}
