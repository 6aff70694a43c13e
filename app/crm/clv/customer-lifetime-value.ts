// Customer lifetime value the way the `lifetimes` package's customer_lifetime_value computes it:
// for each month of the horizon, the purchases the BG/NBD model expects in that month, discounted
// to today at the monthly rate, times the expected average order value from Gamma-Gamma.
import { type BgNbdParams, expectedPurchases } from "./bg-nbd";
import { expectedAverageOrderValue, type GammaGammaParams } from "./gamma-gamma";
import { PERIOD_DAYS, type PurchaseSummary } from "./purchase-summary";

export interface LifetimeValueOptions {
  /** Horizon in months (a month = 30.4375 days); a fractional last month is discounted at its end. */
  horizonMonths: number;
  /** Monthly discount rate, e.g. 0.01. */
  monthlyDiscountRate: number;
  /** Days per period of the customer's times (1 for days, 7 for weeks). */
  periodDays: number;
}

/** Σ over months m of (E[Y(m)] − E[Y(m−1)]) / (1 + d)^m: discounted expected purchases. */
export function discountedExpectedPurchases(
  bgNbd: BgNbdParams,
  customer: PurchaseSummary,
  options: LifetimeValueOptions,
): number {
  const { horizonMonths, monthlyDiscountRate, periodDays } = options;
  if (!(horizonMonths > 0)) return 0;
  const periodsPerMonth = PERIOD_DAYS.month / periodDays;
  const { frequency, recency, T } = customer;
  let total = 0;
  let previous = 0;
  const months = Math.ceil(horizonMonths);
  for (let month = 1; month <= months; month++) {
    const end = Math.min(month, horizonMonths);
    const cumulative = expectedPurchases(bgNbd, end * periodsPerMonth, frequency, recency, T);
    total += (cumulative - previous) / Math.pow(1 + monthlyDiscountRate, end);
    previous = cumulative;
  }
  return total;
}

export function customerLifetimeValue(
  bgNbd: BgNbdParams,
  gammaGamma: GammaGammaParams,
  customer: PurchaseSummary,
  options: LifetimeValueOptions,
): number {
  const averageOrderValue = expectedAverageOrderValue(gammaGamma, customer.frequency, customer.monetaryValue);
  return discountedExpectedPurchases(bgNbd, customer, options) * averageOrderValue;
}
