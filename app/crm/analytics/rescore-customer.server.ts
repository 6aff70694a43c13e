// Re-scores one customer at once (after an order or refund is applied) with the parameters and
// RFM thresholds of the shop's latest run: no refit, so one order costs a few milliseconds.
// The cluster stays as the last run assigned it; the nightly run reassigns everyone.
import type { ChurnRiskThresholds, ClvModelFit } from "../clv/clv-models";
import { CHURN_RISK_THRESHOLDS, scoreCustomer, validChurnRiskThresholds } from "../clv/clv-models";
import { lifecycleStage } from "../lifecycle/lifecycle-stage";
import { scoreAgainstThresholds } from "../rfm/rfm-scores";
import { rfmSegment } from "../rfm/rfm-segments";
import { analyticsPool, inTransaction } from "./analytics-connection.repository.server";
import { DEFAULT_ANALYTICS_SETTINGS, findShopById, latestSucceededRun } from "./analytics-runs.repository.server";
import { MODEL_PERIOD_DAYS, purchaseSummaryAt } from "./customer-columns";
import { deleteOneCustomerScore, writeOneCustomerScore } from "./customer-scores.repository.server";
import { readOneCustomerSummary } from "./customer-summaries.repository.server";
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
  deps: Pick<AnalyticsDeps, "db" | "databaseUrl">,
  shopId: number,
  customerId: bigint,
  now = new Date(),
): Promise<RescoreOutcome> {
  const shop = await findShopById(deps.db, shopId);
  if (!shop) return "unknown_shop";
  const run = await latestSucceededRun(deps.db, shopId);
  if (!run?.modelFit || !run.rfmThresholds) return "no_run";
  const stored = run.modelFit as unknown as StoredModelFit & ClvModelFit;
  const thresholds = run.rfmThresholds as unknown as RfmThresholds;

  const client = await analyticsPool(deps.databaseUrl).connect();
  try {
    const columns = await readOneCustomerSummary(
      client,
      shopId,
      shop.ianaTimezone,
      shopDay(now, shop.ianaTimezone),
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
    await inTransaction(client, () =>
      writeOneCustomerScore(client, {
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
      }),
    );
    return "scored";
  } finally {
    client.release();
  }
}
