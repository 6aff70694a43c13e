// Formatting shared by the dashboard's sections: percentages, counts, whole-unit money for band
// labels, and the labels of stages and run phases. Pure.
import { currencyExponent, minorToDecimalString } from "../money/money";

const LOCALE = "en-US";

export function formatCount(value: number): string {
  return new Intl.NumberFormat(LOCALE).format(value);
}

/** A share (0..1) as a percentage with at most one decimal; "–" when there is nothing to divide. */
export function formatShare(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return "–";
  return new Intl.NumberFormat(LOCALE, { style: "percent", maximumFractionDigits: 1 }).format(share);
}

export function formatDecimal(value: number, digits = 2): string {
  return new Intl.NumberFormat(LOCALE, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}

/** Model parameters: four significant digits, as the literature reports them. */
export function formatParameter(value: number): string {
  return new Intl.NumberFormat(LOCALE, { maximumSignificantDigits: 4 }).format(value);
}

/** Money without the minor digits when it has none ("$50", "$1,000"), exact from minor units. */
export function formatWholeMoney(minor: bigint, currencyCode: string): string {
  const exponent = currencyExponent(currencyCode);
  const whole = minor % 10n ** BigInt(exponent) === 0n;
  const formatter = new Intl.NumberFormat(LOCALE, {
    style: "currency",
    currency: currencyCode,
    ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
  });
  // Intl formats decimal strings exactly (ECMA-402 NumberFormat v3); the cast is for older lib typings.
  return formatter.format(minorToDecimalString(minor, currencyCode) as unknown as number);
}

/** Share of two bigints as a float, for display only (the figures themselves stay exact). */
export function bigShare(part: bigint, total: bigint): number | null {
  if (total <= 0n) return null;
  // Scaled to 1e6 first so the division keeps its precision in integers.
  return Number((part * 1_000_000n) / total) / 1_000_000;
}

export const LIFECYCLE_LABELS: Record<string, string> = {
  new: "New",
  growing: "Growing",
  loyal: "Loyal",
  at_risk: "At risk",
  churned: "Churned",
};

export const lifecycleLabel = (stage: string) => LIFECYCLE_LABELS[stage] ?? stage;

/** What a run has just finished (analytics_runs.phase names the phase that ended last). */
const PHASE_LABELS: Record<string, string> = {
  queued: "Waiting for a worker",
  starting: "Starting",
  purchase_days: "Purchases read",
  rfm: "RFM scored",
  read_customers: "Customers loaded",
  model_fit: "Models fitted",
  predict: "Predictions made",
  segments_lifecycle: "Segments and lifecycle stages set",
  clusters: "Clusters found",
  copy_results: "Results staged",
  write_scores: "Scores saved",
  kpis_cohorts: "KPIs and cohorts saved",
  summary: "Dashboard figures saved",
  done: "Done",
};

export const phaseLabel = (phase: string) => PHASE_LABELS[phase] ?? phase;

export const TRIGGER_LABELS: Record<string, string> = {
  nightly: "nightly run",
  merchant: "recalculation you asked for",
  bench: "benchmark run",
  test: "test run",
  demo: "demo seed",
};

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${formatDecimal(ms / 1_000, 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

/**
 * The width of a CLV band: a round number (1, 2 or 5 × 10^k minor units) giving about ten bands
 * up to the 95th percentile, never narrower than one major unit of the currency.
 */
export function clvBandWidthMinor(p95Minor: bigint, currencyCode: string): bigint {
  const minimum = 10n ** BigInt(currencyExponent(currencyCode));
  const target = p95Minor / 10n;
  if (target <= minimum) return minimum;
  let magnitude = 1n;
  while (magnitude * 10n <= target) magnitude *= 10n;
  for (const step of [1n, 2n, 5n, 10n]) if (magnitude * step >= target) return magnitude * step;
  return magnitude * 10n;
}

/** Bands 0..9 are [n·w, (n+1)·w); band 10 holds everything from 10·w up. */
export const CLV_OVERFLOW_BAND = 10;
