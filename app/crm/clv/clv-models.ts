// Fits both models for one shop and scores customers, with the fallback a small shop needs.
import {
  type BgNbdFit,
  expectedPurchases,
  fitBgNbd,
  type PurchaseGroup,
  probabilityAlive,
  BG_NBD_PARAMETER_BOUNDS,
} from "./bg-nbd";
import { discountedExpectedPurchases } from "./customer-lifetime-value";
import { expectedAverageOrderValue, fitGammaGamma, type GammaGammaFit, type SpendSummary } from "./gamma-gamma";
import type { PurchaseSummary } from "./purchase-summary";

/**
 * Fewest customers with a repeat purchase before BG/NBD is fitted. The dropout parameters a and b
 * are learned only from repeat buyers; with four parameters we ask for five repeat buyers per
 * parameter, far below the hundreds other tools wait for, and still check the fit for degeneracy.
 * A rule of thumb, not a measured threshold.
 */
export const MIN_REPEAT_CUSTOMERS = 20;
/** Fewest repeat customers with positive spend before Gamma-Gamma (three parameters) is fitted. */
export const MIN_SPEND_CUSTOMERS = 20;

/** Where churn risk (1 − P(alive)) turns medium and high; a shop sets its own (0 < medium < high < 1). */
export interface ChurnRiskThresholds {
  medium: number;
  high: number;
}

/** The default bands: churn risk below 0.3 low, below 0.7 medium, otherwise high. */
export const CHURN_RISK_THRESHOLDS: Readonly<ChurnRiskThresholds> = Object.freeze({ medium: 0.3, high: 0.7 });

export function validChurnRiskThresholds(thresholds: ChurnRiskThresholds): boolean {
  const { medium, high } = thresholds;
  return Number.isFinite(medium) && Number.isFinite(high) && 0 < medium && medium < high && high < 1;
}

export type ChurnRiskBand = "low" | "medium" | "high" | "unknown";

export type ClvModelFit =
  { kind: "fitted"; bgNbd: BgNbdFit; gammaGamma: GammaGammaFit | null } | { kind: "fallback"; reason: string };

export interface CustomerPrediction {
  pAlive: number | null;
  churnRisk: ChurnRiskBand;
  expectedPurchases30: number | null;
  expectedPurchases90: number | null;
  expectedPurchases365: number | null;
  expectedAverageOrderValue: number | null;
  clv: number | null;
}

export function fitClvModels(groups: readonly PurchaseGroup[], spend: readonly SpendSummary[]): ClvModelFit {
  let repeatCustomers = 0;
  for (const group of groups) if (group.frequency > 0) repeatCustomers += group.count;
  if (repeatCustomers < MIN_REPEAT_CUSTOMERS) {
    return {
      kind: "fallback",
      reason: `${repeatCustomers} repeat customers; the model needs at least ${MIN_REPEAT_CUSTOMERS}`,
    };
  }
  const bgNbd = fitBgNbd(groups);
  const params = [bgNbd.r, bgNbd.alpha, bgNbd.a, bgNbd.b];
  if (!params.every((value) => Number.isFinite(value) && value > 0) || !Number.isFinite(bgNbd.logLikelihood)) {
    return { kind: "fallback", reason: "the purchase model did not converge on this shop's history" };
  }
  // r or α on a bound means the purchase-rate distribution collapsed (e.g. nearly all one-timers).
  const { lower, upper } = BG_NBD_PARAMETER_BOUNDS;
  if (bgNbd.r <= lower * 1.0001 || bgNbd.r >= upper * 0.9999) {
    return { kind: "fallback", reason: "the purchase model degenerated on this shop's history" };
  }

  let spendCustomers = 0;
  for (const customer of spend)
    if (customer.frequency > 0 && customer.monetaryValue > 0) spendCustomers += customer.count ?? 1;
  let gammaGamma: GammaGammaFit | null = null;
  if (spendCustomers >= MIN_SPEND_CUSTOMERS) {
    const fit = fitGammaGamma(spend);
    // q ≤ 1 gives the population an infinite mean spend: no usable prior for order value.
    if ([fit.p, fit.q, fit.v].every((value) => Number.isFinite(value) && value > 0) && fit.q > 1) gammaGamma = fit;
  }
  return { kind: "fitted", bgNbd, gammaGamma };
}

/**
 * Scores one customer. Fallback fits give "unknown" and nulls. Without a Gamma-Gamma fit the
 * expected order value is the customer's own mean repeat spend (null for one-time buyers).
 */
export function scoreCustomer(
  fit: ClvModelFit,
  customer: PurchaseSummary,
  options: {
    periodDays: number;
    horizonMonths: number;
    monthlyDiscountRate: number;
    /** The shop's bands (default CHURN_RISK_THRESHOLDS). */
    churnThresholds?: ChurnRiskThresholds;
  },
): CustomerPrediction {
  if (fit.kind === "fallback") {
    return {
      pAlive: null,
      churnRisk: "unknown",
      expectedPurchases30: null,
      expectedPurchases90: null,
      expectedPurchases365: null,
      expectedAverageOrderValue: null,
      clv: null,
    };
  }
  const { frequency, recency, T } = customer;
  const pAlive = probabilityAlive(fit.bgNbd, frequency, recency, T);
  const inDays = (days: number) => expectedPurchases(fit.bgNbd, days / options.periodDays, frequency, recency, T);
  const averageOrderValue = fit.gammaGamma
    ? expectedAverageOrderValue(fit.gammaGamma, frequency, customer.monetaryValue)
    : frequency > 0
      ? customer.monetaryValue
      : null;
  return {
    pAlive,
    churnRisk: churnRiskBandWith(pAlive, options.churnThresholds ?? CHURN_RISK_THRESHOLDS),
    expectedPurchases30: inDays(30),
    expectedPurchases90: inDays(90),
    expectedPurchases365: inDays(365),
    expectedAverageOrderValue: averageOrderValue,
    clv:
      averageOrderValue === null ? null : discountedExpectedPurchases(fit.bgNbd, customer, options) * averageOrderValue,
  };
}

/** The band with the default thresholds. */
export function churnRiskBand(pAlive: number | null): ChurnRiskBand {
  return churnRiskBandWith(pAlive, CHURN_RISK_THRESHOLDS);
}

export function churnRiskBandWith(pAlive: number | null, thresholds: ChurnRiskThresholds): ChurnRiskBand {
  if (pAlive === null || !Number.isFinite(pAlive)) return "unknown";
  const risk = 1 - pAlive;
  if (risk < thresholds.medium) return "low";
  if (risk < thresholds.high) return "medium";
  return "high";
}
