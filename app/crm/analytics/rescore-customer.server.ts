// Re-scores customers at once (after their orders or refunds are applied) with the parameters and
// RFM thresholds of the shop's latest run: no refit, so one order costs a few milliseconds.
// The cluster stays as the last run assigned it; the nightly run reassigns everyone.
//
// An ingest batch's customers are one transaction of its own pg connection, in the shop's
// row-level-security scope (as kinship_app): a re-score follows every order, and the scope set
// once costs one statement, not one transaction per query as a scoped Prisma client's would.
import type pg from "pg";

import type { ChurnRiskThresholds, ClvModelFit } from "../clv/clv-models";
import { CHURN_RISK_THRESHOLDS, scoreCustomer, validChurnRiskThresholds } from "../clv/clv-models";
import { lifecycleStage } from "../lifecycle/lifecycle-stage";
import { scoreAgainstThresholds } from "../rfm/rfm-scores";
import { rfmSegment } from "../rfm/rfm-segments";
import { analyticsPool, inShopScopedTransaction } from "./analytics-connection.repository.server";
import { DEFAULT_ANALYTICS_SETTINGS } from "./analytics-runs.repository.server";
import { MODEL_PERIOD_DAYS, purchaseSummaryAt } from "./customer-columns";
import { deleteOneCustomerScore, writeOneCustomerScore } from "./customer-scores.repository.server";
import { readOneCustomerSummary } from "./customer-summaries.repository.server";
import { readRescoreBasis, type RescoreBasis } from "./rescore-basis.repository.server";
import type { RfmThresholds } from "./rfm-thresholds";
import type { AnalyticsDeps } from "./run-shop-analytics.server";
import { shopDay } from "./shop-day";

export type RescoreOutcome = "scored" | "removed" | "no_run" | "unknown_shop";

interface StoredModelFit {
  periodDays?: number;
  clvHorizonMonths?: number;
  monthlyDiscountRate?: number;
  churnThresholds?: ChurnRiskThresholds;
}

export async function rescoreCustomer(
  deps: Pick<AnalyticsDeps, "databaseUrl">,
  shopId: number,
  customerId: bigint,
  now = new Date(),
): Promise<RescoreOutcome> {
  return (await rescoreCustomers(deps, shopId, [customerId], now))[0]!;
}

/** The customers' outcomes, in the order asked; one transaction, the shop's latest run read once. */
export async function rescoreCustomers(
  deps: Pick<AnalyticsDeps, "databaseUrl">,
  shopId: number,
  customerIds: readonly bigint[],
  now = new Date(),
): Promise<RescoreOutcome[]> {
  const client = await analyticsPool(deps.databaseUrl).connect();
  try {
    return await inShopScopedTransaction(client, shopId, async () => {
      const basis = await readRescoreBasis(client, shopId);
      if (!basis) return customerIds.map(() => "unknown_shop");
      // In id order: two batches lock the customers' score rows in one order, never in a cycle.
      const outcomes = new Map<bigint, RescoreOutcome>();
      for (const customerId of [...new Set(customerIds)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
        outcomes.set(customerId, await rescoreInScope(client, shopId, basis, customerId, now));
      }
      return customerIds.map((id) => outcomes.get(id)!);
    });
  } finally {
    client.release();
  }
}

async function rescoreInScope(
  client: pg.ClientBase,
  shopId: number,
  basis: RescoreBasis,
  customerId: bigint,
  now: Date,
): Promise<RescoreOutcome> {
  const { run } = basis;
  if (!run?.modelFit || !run.rfmThresholds) return "no_run";
  const stored = run.modelFit as StoredModelFit & ClvModelFit;
  const thresholds = run.rfmThresholds as RfmThresholds;

  const columns = await readOneCustomerSummary(
    client,
    shopId,
    basis.ianaTimezone,
    shopDay(now, basis.ianaTimezone),
    customerId,
  );
  if (!columns) {
    await deleteOneCustomerScore(client, shopId, customerId);
    return "removed";
  }
  const scores = {
    r: scoreAgainstThresholds(columns.recencyDays[0]!, thresholds.recency, false),
    f: scoreAgainstThresholds(columns.purchaseDays[0]!, thresholds.frequency, true),
    m: scoreAgainstThresholds(columns.netSpentMinor[0]!, thresholds.monetary, true),
  };
  const summary = purchaseSummaryAt(columns, 0);
  const prediction = scoreCustomer(stored, summary, {
    periodDays: stored.periodDays ?? MODEL_PERIOD_DAYS,
    horizonMonths: stored.clvHorizonMonths ?? DEFAULT_ANALYTICS_SETTINGS.clvHorizonMonths,
    monthlyDiscountRate: stored.monthlyDiscountRate ?? DEFAULT_ANALYTICS_SETTINGS.monthlyDiscountRate,
    // The run's bands (runs before shops had their own carry none: the defaults).
    churnThresholds:
      stored.churnThresholds && validChurnRiskThresholds(stored.churnThresholds)
        ? stored.churnThresholds
        : CHURN_RISK_THRESHOLDS,
  });
  const stage = lifecycleStage({
    ordersCount: columns.purchaseDays[0]!,
    daysSinceLastOrder: columns.recencyDays[0]!,
    daysSinceFirstOrder: columns.ageDays[0]!,
    pAlive: prediction.pAlive,
  });
  await writeOneCustomerScore(client, {
    customerId,
    shopId,
    runId: run.id,
    recencyDays: columns.recencyDays[0]!,
    purchaseDays: columns.purchaseDays[0]!,
    netSpentMinor: columns.netSpentMinor[0]!,
    scores,
    rfmSegment: rfmSegment({ recency: scores.r, frequency: scores.f, monetary: scores.m }),
    summary,
    pAlive: prediction.pAlive,
    churnRisk: prediction.churnRisk,
    expectedPurchases: [
      prediction.expectedPurchases30,
      prediction.expectedPurchases90,
      prediction.expectedPurchases365,
    ],
    expectedAverageOrderValueMinor: prediction.expectedAverageOrderValue,
    clvMinor: prediction.clv,
    lifecycleStage: stage,
    computedAt: now,
  });
  return "scored";
}
