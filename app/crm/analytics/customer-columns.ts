// A shop's customers as columns (typed arrays, one index per customer), so a run over a million
// customers holds a few flat arrays rather than a million objects.
import type { PurchaseSummary } from "../clv/purchase-summary";

/** The model's period: weeks, as in the BG/NBD literature; purchases are merged per day first. */
export const MODEL_PERIOD_DAYS = 7;

/** What the summary SQL gives per customer (see customer-summaries.repository.server.ts). */
export interface CustomerColumns {
  size: number;
  customerId: Float64Array;
  /** Distinct purchase days (in the shop's time zone). */
  purchaseDays: Int32Array;
  /** Days from the last purchase day to the run's day. */
  recencyDays: Int32Array;
  /** Days from the first purchase day to the run's day. */
  ageDays: Int32Array;
  /** Days from the first to the last purchase day. */
  spanDays: Int32Array;
  netSpentMinor: Float64Array;
  /** Net value of the first purchase day. */
  firstDayMinor: Float64Array;
  /** Purchase days with a positive net value (zero-value orders count as purchases, not as spend). */
  positiveDays: Int32Array;
  rScore: Uint8Array;
  fScore: Uint8Array;
  mScore: Uint8Array;
}

export function allocateCustomerColumns(size: number): CustomerColumns {
  return {
    size,
    customerId: new Float64Array(size),
    purchaseDays: new Int32Array(size),
    recencyDays: new Int32Array(size),
    ageDays: new Int32Array(size),
    spanDays: new Int32Array(size),
    netSpentMinor: new Float64Array(size),
    firstDayMinor: new Float64Array(size),
    positiveDays: new Int32Array(size),
    rScore: new Uint8Array(size),
    fScore: new Uint8Array(size),
    mScore: new Uint8Array(size),
  };
}

/** Copies the first `size` entries into right-sized arrays. */
export function truncateCustomerColumns(columns: CustomerColumns, size: number): CustomerColumns {
  if (size === columns.size) return columns;
  const out = allocateCustomerColumns(size);
  for (const key of Object.keys(out) as (keyof CustomerColumns)[]) {
    if (key === "size") continue;
    (out[key] as Float64Array).set((columns[key] as Float64Array).subarray(0, size));
  }
  return out;
}

/** The BG/NBD and Gamma-Gamma summary of customer `i`, in model periods (as summarisePurchases gives it). */
export function purchaseSummaryAt(columns: CustomerColumns, i: number): PurchaseSummary {
  const frequency = columns.purchaseDays[i]! - 1;
  return {
    frequency,
    recency: columns.spanDays[i]! / MODEL_PERIOD_DAYS,
    T: columns.ageDays[i]! / MODEL_PERIOD_DAYS,
    monetaryValue: frequency > 0 ? (columns.netSpentMinor[i]! - columns.firstDayMinor[i]!) / frequency : 0,
  };
}

/**
 * The spend model's input for customer `i`: repeat days with a positive value only, since a
 * zero-value purchase has no place in a gamma spend distribution.
 */
export function positiveRepeatSpendAt(columns: CustomerColumns, i: number) {
  const firstPositive = columns.firstDayMinor[i]! > 0 ? 1 : 0;
  const frequency = columns.positiveDays[i]! - firstPositive;
  const repeatSpend = columns.netSpentMinor[i]! - columns.firstDayMinor[i]!;
  return { frequency, monetaryValue: frequency > 0 ? repeatSpend / frequency : 0 };
}
