// The per-customer half of a run, pure: fit the models on distinct purchase groups, then score,
// segment, cluster and stage every customer into typed arrays.
import { clusterCustomers, type ClusterCentroid } from "../clusters/kmeans";
import type { PurchaseGroup } from "../clv/bg-nbd";
import {
  fitClvModels,
  scoreCustomer,
  type ChurnRiskBand,
  type ChurnRiskThresholds,
  type ClvModelFit,
} from "../clv/clv-models";
import { expectedAverageOrderValue } from "../clv/gamma-gamma";
import { LIFECYCLE_STAGES, lifecycleStage } from "../lifecycle/lifecycle-stage";
import { RFM_SEGMENTS, rfmSegment } from "../rfm/rfm-segments";
import { MODEL_PERIOD_DAYS, positiveRepeatSpendAt, purchaseSummaryAt, type CustomerColumns } from "./customer-columns";

export const CHURN_RISK_BANDS: readonly ChurnRiskBand[] = ["low", "medium", "high", "unknown"];
/** Stands for "no value" in the Uint8Array columns (no lifecycle stage, no cluster). */
export const NONE = 255;

export interface ClvSettings {
  horizonMonths: number;
  monthlyDiscountRate: number;
  /** The shop's churn risk bands (default CHURN_RISK_THRESHOLDS). */
  churnThresholds?: ChurnRiskThresholds;
}

/** Per customer, index for index with CustomerColumns; NaN where a prediction is null. */
export interface CustomerResults {
  rfmSegment: Uint8Array;
  pAlive: Float64Array;
  churnRisk: Uint8Array;
  expectedPurchases30: Float64Array;
  expectedPurchases90: Float64Array;
  expectedPurchases365: Float64Array;
  expectedAverageOrderValue: Float64Array;
  clv: Float64Array;
  cluster: Uint8Array;
  lifecycleStage: Uint8Array;
}

// (x, t_x, T) in whole days packs into one exact double: x < 2^21, t_x and T < 2^16 days.
const groupKey = (columns: CustomerColumns, i: number) =>
  (columns.purchaseDays[i]! * 65_536 + columns.spanDays[i]!) * 65_536 + columns.ageDays[i]!;

/** Customers sharing (x, t_x, T), which is all the BG/NBD likelihood looks at. */
export function purchaseGroups(columns: CustomerColumns): PurchaseGroup[] {
  const index = new Map<number, number>();
  const groups: PurchaseGroup[] = [];
  for (let i = 0; i < columns.size; i++) {
    const key = groupKey(columns, i);
    const found = index.get(key);
    if (found !== undefined) {
      groups[found]!.count++;
      continue;
    }
    index.set(key, groups.length);
    const summary = purchaseSummaryAt(columns, i);
    groups.push({ frequency: summary.frequency, recency: summary.recency, T: summary.T, count: 1 });
  }
  return groups;
}

/** The spend model's customers: repeat buyers with a positive mean spend (nearly all distinct). */
export function spendGroups(columns: CustomerColumns) {
  const spend: { frequency: number; monetaryValue: number }[] = [];
  for (let i = 0; i < columns.size; i++) {
    const customer = positiveRepeatSpendAt(columns, i);
    if (customer.frequency > 0 && customer.monetaryValue > 0) spend.push(customer);
  }
  return spend;
}

export function fitShopModels(columns: CustomerColumns): ClvModelFit {
  return fitClvModels(purchaseGroups(columns), spendGroups(columns));
}

const SEGMENT_BY_SCORES = (() => {
  const table = new Uint8Array(6 * 6 * 6);
  for (let r = 1; r <= 5; r++)
    for (let f = 1; f <= 5; f++)
      for (let m = 1; m <= 5; m++)
        table[r * 36 + f * 6 + m] = RFM_SEGMENTS.indexOf(rfmSegment({ recency: r, frequency: f, monetary: m }));
  return table;
})();

const orNaN = (value: number | null) => (value === null ? Number.NaN : value);

/**
 * Predictions for every customer. The BG/NBD figures depend only on (x, t_x, T), and CLV is
 * the expected average order value times a discounted sum of expected purchases that also
 * depends only on (x, t_x, T), so each group is scored once and each customer only pays for
 * its own order value. A customer whose group gives no such factor is scored directly.
 */
export function predictCustomers(
  fit: ClvModelFit,
  columns: CustomerColumns,
  settings: ClvSettings,
  results: CustomerResults,
) {
  const options = { ...settings, periodDays: MODEL_PERIOD_DAYS };
  const gammaGamma = fit.kind === "fitted" ? fit.gammaGamma : null;
  const byGroup = new Map<number, { prediction: ReturnType<typeof scoreCustomer>; clvPerAov: number }>();
  for (let i = 0; i < columns.size; i++) {
    const summary = purchaseSummaryAt(columns, i);
    let prediction: ReturnType<typeof scoreCustomer>;
    let aov: number | null;
    let clv: number | null;
    const key = groupKey(columns, i);
    let group = fit.kind === "fitted" ? byGroup.get(key) : undefined;
    if (fit.kind === "fitted" && !group) {
      const unit = scoreCustomer(fit, { ...summary, monetaryValue: summary.frequency > 0 ? 1 : 0 }, options);
      const factor =
        unit.clv !== null && unit.expectedAverageOrderValue ? unit.clv / unit.expectedAverageOrderValue : Number.NaN;
      group = { prediction: unit, clvPerAov: summary.frequency > 0 ? factor : Number.NaN };
      byGroup.set(key, group);
    }
    if (group && summary.frequency === 0) {
      // Without repeats the spend is not the customer's own: the group's prediction is theirs.
      prediction = group.prediction;
      aov = prediction.expectedAverageOrderValue;
      clv = prediction.clv;
    } else if (group && Number.isFinite(group.clvPerAov)) {
      prediction = group.prediction;
      aov = gammaGamma
        ? expectedAverageOrderValue(gammaGamma, summary.frequency, summary.monetaryValue)
        : summary.monetaryValue;
      clv = group.clvPerAov * aov;
    } else {
      prediction = scoreCustomer(fit, summary, options);
      aov = prediction.expectedAverageOrderValue;
      clv = prediction.clv;
    }
    results.pAlive[i] = orNaN(prediction.pAlive);
    results.churnRisk[i] = CHURN_RISK_BANDS.indexOf(prediction.churnRisk);
    results.expectedPurchases30[i] = orNaN(prediction.expectedPurchases30);
    results.expectedPurchases90[i] = orNaN(prediction.expectedPurchases90);
    results.expectedPurchases365[i] = orNaN(prediction.expectedPurchases365);
    results.expectedAverageOrderValue[i] = orNaN(aov);
    results.clv[i] = orNaN(clv);
  }
}

export function allocateResults(size: number): CustomerResults {
  return {
    rfmSegment: new Uint8Array(size),
    pAlive: new Float64Array(size),
    churnRisk: new Uint8Array(size),
    expectedPurchases30: new Float64Array(size),
    expectedPurchases90: new Float64Array(size),
    expectedPurchases365: new Float64Array(size),
    expectedAverageOrderValue: new Float64Array(size),
    clv: new Float64Array(size),
    cluster: new Uint8Array(size).fill(NONE),
    lifecycleStage: new Uint8Array(size).fill(NONE),
  };
}

export function segmentCustomers(columns: CustomerColumns, results: CustomerResults) {
  for (let i = 0; i < columns.size; i++) {
    results.rfmSegment[i] = SEGMENT_BY_SCORES[columns.rScore[i]! * 36 + columns.fScore[i]! * 6 + columns.mScore[i]!]!;
  }
}

export function stageCustomers(columns: CustomerColumns, results: CustomerResults) {
  for (let i = 0; i < columns.size; i++) {
    const pAlive = results.pAlive[i]!;
    const stage = lifecycleStage({
      ordersCount: columns.purchaseDays[i]!,
      daysSinceLastOrder: columns.recencyDays[i]!,
      daysSinceFirstOrder: columns.ageDays[i]!,
      pAlive: Number.isNaN(pAlive) ? null : pAlive,
    });
    results.lifecycleStage[i] = stage === null ? NONE : LIFECYCLE_STAGES.indexOf(stage);
  }
}

/** k-means on the customers (too few customers for two clusters: none). */
export function clusterShopCustomers(
  columns: CustomerColumns,
  results: CustomerResults,
): { centroids: ClusterCentroid[]; silhouette: number } | null {
  if (columns.size < 10) return null;
  const clv = new Float64Array(columns.size);
  for (let i = 0; i < columns.size; i++) clv[i] = Number.isNaN(results.clv[i]!) ? 0 : Math.max(0, results.clv[i]!);
  const clustered = clusterCustomers({
    recencyDays: Float64Array.from(columns.recencyDays),
    frequency: Float64Array.from(columns.purchaseDays),
    monetary: Float64Array.from(columns.netSpentMinor, (value) => Math.max(0, value)),
    clv,
  });
  results.cluster.set(clustered.assignments);
  return { centroids: clustered.centroids, silhouette: clustered.silhouette };
}
