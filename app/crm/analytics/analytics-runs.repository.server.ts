// Analytics runs (what was computed, when, how long each phase took, the model fit) and the
// shop's analytics settings.
import type { Prisma } from "@prisma/client";
import type pg from "pg";

import type { PrismaClient } from "../../db.server";
import { CHURN_RISK_THRESHOLDS, validChurnRiskThresholds, type ChurnRiskThresholds } from "../clv/clv-models";

export const DEFAULT_ANALYTICS_SETTINGS = { monthlyDiscountRate: 0.01, clvHorizonMonths: 12 } as const;

export interface ShopAnalyticsSettings {
  monthlyDiscountRate: number;
  clvHorizonMonths: number;
  churnThresholds: ChurnRiskThresholds;
}

export async function readAnalyticsSettings(
  db: PrismaClient | Prisma.TransactionClient,
  shopId: number,
): Promise<ShopAnalyticsSettings> {
  const settings = await db.analyticsSettings.findUnique({ where: { shopId } });
  const churnThresholds = settings
    ? { medium: settings.churnMediumThreshold, high: settings.churnHighThreshold }
    : CHURN_RISK_THRESHOLDS;
  return {
    monthlyDiscountRate: settings?.monthlyDiscountRate ?? DEFAULT_ANALYTICS_SETTINGS.monthlyDiscountRate,
    clvHorizonMonths: settings?.clvHorizonMonths ?? DEFAULT_ANALYTICS_SETTINGS.clvHorizonMonths,
    // The settings form never saves bands out of order; a row edited by hand falls back to the defaults.
    churnThresholds: validChurnRiskThresholds(churnThresholds)
      ? { medium: churnThresholds.medium, high: churnThresholds.high }
      : { ...CHURN_RISK_THRESHOLDS },
  };
}

export async function startAnalyticsRun(db: PrismaClient, shopId: number, trigger: string) {
  return db.analyticsRun.create({ data: { shopId, trigger, status: "running", phase: "starting" } });
}

export async function recordRunProgress(
  db: PrismaClient,
  runId: number,
  progress: { phase: string; percent: number; phaseDurations: Record<string, number> },
) {
  await db.analyticsRun.update({
    where: { id: runId },
    data: { phase: progress.phase, progress: progress.percent, phaseDurations: progress.phaseDurations },
  });
}

export interface FinishedRunValues {
  phaseDurations: Record<string, number>;
  customersCount: number;
  ordersCount: number;
  repeatCustomersCount: number;
  transitionsCount: number;
  modelFit: Prisma.InputJsonValue;
  rfmThresholds: Prisma.InputJsonValue;
  clusters: Prisma.InputJsonValue | null;
}

/** The run's final row, written on the run's own connection inside its transaction. */
export async function finishAnalyticsRun(client: pg.ClientBase, runId: number, at: Date, values: FinishedRunValues) {
  await client.query(FINISH_RUN_SQL, finishRunParameters(runId, at, values));
}

const FINISH_RUN_SQL = `
  UPDATE analytics_runs
  SET status = 'succeeded', progress = 100, phase = 'done', finished_at = $2, phase_durations = $3,
      customers_count = $4, orders_count = $5, repeat_customers_count = $6, transitions_count = $7,
      model_fit = $8, rfm_thresholds = $9, clusters = $10
  WHERE id = $1`;

function finishRunParameters(runId: number, at: Date, values: FinishedRunValues) {
  return [
    runId,
    at,
    JSON.stringify(values.phaseDurations),
    values.customersCount,
    values.ordersCount,
    values.repeatCustomersCount,
    values.transitionsCount,
    JSON.stringify(values.modelFit),
    JSON.stringify(values.rfmThresholds),
    values.clusters === null ? null : JSON.stringify(values.clusters),
  ];
}

export async function failAnalyticsRun(db: PrismaClient, runId: number, error: string, phaseDurations: object) {
  await db.analyticsRun.update({
    where: { id: runId },
    data: { status: "failed", finishedAt: new Date(), error: error.slice(0, 2_000), phaseDurations },
  });
}

/** A run still marked running that started recently (an older one died with its worker). */
export async function findRunningRun(db: PrismaClient, shopId: number, since: Date) {
  return db.analyticsRun.findFirst({
    where: { shopId, status: "running", startedAt: { gte: since } },
    orderBy: { id: "desc" },
  });
}
