// One analytics run of a shop: purchases per day and RFM in SQL, the models fitted on distinct
// purchase groups, every customer scored, clustered and staged in typed arrays, and everything
// written back set-based in one transaction, so the admin never sees half a run.
import type { Prisma } from "@prisma/client";
import type pg from "pg";

import type { PrismaClient } from "../../db.server";
import type { Logger } from "../../lib/logger.server";
import { loadStoreOverviewCounts } from "../overview/store-overview.repository.server";
import { findShopByDomain } from "../shop/shop.repository.server";
import {
  failAnalyticsRun,
  finishAnalyticsRun,
  readAnalyticsSettings,
  recordRunProgress,
  startAnalyticsRun,
} from "./analytics-runs.repository.server";
import { inTransaction, openAnalyticsConnection, tryLockShopAnalytics } from "./analytics-connection.repository.server";
import { MODEL_PERIOD_DAYS } from "./customer-columns";
import { copyCustomerResults, writeCustomerScores } from "./customer-scores.repository.server";
import { loadCustomerSummaries, readCustomerColumns } from "./customer-summaries.repository.server";
import { rfmSegment } from "../rfm/rfm-segments";
import { rfmThresholds } from "./rfm-thresholds";
import { writeRunSummary } from "./run-summaries.repository.server";
import { runSummaryFigures } from "./run-summary";
import {
  allocateResults,
  clusterShopCustomers,
  fitShopModels,
  predictCustomers,
  segmentCustomers,
  stageCustomers,
} from "./score-customers";
import { shopDay } from "./shop-day";
import {
  kpiSnapshots,
  readClvTotals,
  startKpiAggregates,
  writeCohortRetention,
  writeKpis,
} from "./shop-kpis.repository.server";

/** Who started a run; the dashboard names it ("Computed … by the nightly run"). */
export type AnalyticsTrigger = "nightly" | "merchant" | "demo" | "bench" | "test";

export interface AnalyticsRunProgress {
  runId: number;
  phase: string;
  percent: number;
}

export interface AnalyticsDeps {
  db: PrismaClient;
  logger: Logger;
  /** PostgreSQL for the run's own connection (default: DATABASE_URL). */
  databaseUrl?: string;
  onProgress?: (progress: AnalyticsRunProgress) => void | Promise<void>;
}

export type AnalyticsRunOutcome =
  | { status: "succeeded"; runId: number; customers: number; phaseDurations: Record<string, number> }
  | { status: "skipped"; reason: "unknown_shop" | "already_running" };

/** Percent done when each phase ends, for the progress bar. */
const PHASES = {
  summaries_rfm: 30,
  read_customers: 40,
  model_fit: 45,
  predict: 55,
  segments_lifecycle: 58,
  clusters: 65,
  copy_results: 72,
  write_scores: 90,
  kpis_cohorts: 98,
  summary: 99,
} as const;
type Phase = keyof typeof PHASES;
/** The phases of a run, in the order they run (jsonb does not keep phase_durations' key order). */
export const ANALYTICS_PHASES = Object.keys(PHASES) as Phase[];

export async function runShopAnalytics(
  deps: AnalyticsDeps,
  shopDomain: string,
  trigger: AnalyticsTrigger,
): Promise<AnalyticsRunOutcome> {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) return { status: "skipped", reason: "unknown_shop" };
  const client = await openAnalyticsConnection(deps.databaseUrl);
  try {
    if (!(await tryLockShopAnalytics(client, shop.id))) return { status: "skipped", reason: "already_running" };
    return await runLocked(deps, client, shop, trigger);
  } finally {
    await client.end();
  }
}

async function runLocked(
  deps: AnalyticsDeps,
  client: pg.Client,
  shop: { id: number; domain: string; ianaTimezone: string; currencyCode: string },
  trigger: AnalyticsTrigger,
): Promise<AnalyticsRunOutcome> {
  const run = await startAnalyticsRun(deps.db, shop.id, trigger);
  const startedAt = new Date();
  const runDay = shopDay(startedAt, shop.ianaTimezone);
  const phaseDurations: Record<string, number> = {};
  let phaseStart = performance.now();
  const finishPhase = async (phase: Phase) => {
    const now = performance.now();
    phaseDurations[phase] = Math.round(now - phaseStart);
    phaseStart = now;
    const progress = { phase, percent: PHASES[phase], phaseDurations };
    await recordRunProgress(deps.db, run.id, progress);
    await deps.onProgress?.({ runId: run.id, phase, percent: PHASES[phase] });
  };

  try {
    const settings = await readAnalyticsSettings(deps.db, shop.id);
    const summaries = await loadCustomerSummaries(client, shop.id, shop.ianaTimezone, runDay);
    await finishPhase("summaries_rfm");
    const columns = await readCustomerColumns(client, summaries.customers);
    await finishPhase("read_customers");
    // PostgreSQL aggregates the KPIs and cohorts while this process fits and scores.
    const kpiAggregates = startKpiAggregates(client, runDay);
    kpiAggregates.catch(() => undefined); // awaited below; a failure is reported there
    // The home page's store totals as of this run, on another connection, also while the CPU fits.
    const storeTotals = loadStoreOverviewCounts(deps.db, shop.id);
    storeTotals.catch(() => undefined); // awaited below

    const fit = fitShopModels(columns);
    await finishPhase("model_fit");
    const results = allocateResults(columns.size);
    predictCustomers(
      fit,
      columns,
      {
        horizonMonths: settings.clvHorizonMonths,
        monthlyDiscountRate: settings.monthlyDiscountRate,
        churnThresholds: settings.churnThresholds,
      },
      results,
    );
    await finishPhase("predict");
    segmentCustomers(columns, results);
    stageCustomers(columns, results);
    await finishPhase("segments_lifecycle");
    const clusters = clusterShopCustomers(columns, results);
    await finishPhase("clusters");
    await copyCustomerResults(client, columns, results);
    await finishPhase("copy_results");

    let repeatCustomers = 0;
    for (let i = 0; i < columns.size; i++) if (columns.purchaseDays[i]! > 1) repeatCustomers++;
    const modelFit = {
      periodDays: MODEL_PERIOD_DAYS,
      runDay,
      clvHorizonMonths: settings.clvHorizonMonths,
      monthlyDiscountRate: settings.monthlyDiscountRate,
      // Re-scoring one customer after an order bands it as this run did.
      churnThresholds: settings.churnThresholds,
      ...fit,
    };
    const finishedAt = new Date();
    await inTransaction(client, async () => {
      // A million score rows patched one by one into the Customers list table would cost minutes;
      // the table is rebuilt after the run instead (rebuild-customer-list, chained by the job).
      await client.query("SET LOCAL kinship.customer_list_patch = 'off'");
      const transitions = await writeCustomerScores(client, shop.id, run.id, finishedAt, columns.size);
      await finishPhase("write_scores");
      const aggregates = await kpiAggregates;
      const kpis = kpiSnapshots(aggregates, runDay, rfmSegment, await readClvTotals(client));
      await writeKpis(client, shop.id, run.id, finishedAt, kpis);
      await writeCohortRetention(client, shop.id, run.id, finishedAt, aggregates.cohortCells);
      await finishPhase("kpis_cohorts");
      await writeRunSummary(client, {
        runId: run.id,
        shopId: shop.id,
        computedAt: finishedAt,
        totals: await storeTotals,
        figures: runSummaryFigures(columns, results, shop.currencyCode),
      });
      await finishPhase("summary");
      await finishAnalyticsRun(client, run.id, new Date(), {
        phaseDurations,
        customersCount: columns.size,
        ordersCount: summaries.orders,
        repeatCustomersCount: repeatCustomers,
        transitionsCount: transitions,
        modelFit: modelFit as unknown as Prisma.InputJsonValue,
        rfmThresholds: rfmThresholds(columns) as unknown as Prisma.InputJsonValue,
        clusters: clusters as unknown as Prisma.InputJsonValue,
      });
    });
    await deps.onProgress?.({ runId: run.id, phase: "done", percent: 100 });
    deps.logger.info(
      { shop: shop.domain, runId: run.id, customers: columns.size, fit: fit.kind, phaseDurations },
      "analytics run finished",
    );
    return { status: "succeeded", runId: run.id, customers: columns.size, phaseDurations };
  } catch (error) {
    await failAnalyticsRun(deps.db, run.id, (error as Error).message, phaseDurations);
    throw error;
  }
}
