// What the dashboard shows of a run, computed from the run's own typed arrays in one pass (and one
// sort for the CLV percentile), so a page view reads one stored row instead of grouping a million
// scores. Every figure equals what the same GROUP BY over customer_scores gives right after the
// run: the same rounding of CLV to minor units, the same percentile_disc, the same bands. Pure.
import { z } from "zod";

import { CLV_OVERFLOW_BAND, clvBandWidthMinor } from "../dashboard/dashboard-format";
import { LIFECYCLE_STAGES } from "../lifecycle/lifecycle-stage";
import { RFM_SEGMENTS } from "../rfm/rfm-segments";
import type { CustomerColumns } from "./customer-columns";
import { CHURN_RISK_BANDS, NONE, type CustomerResults } from "./score-customers";

/** Bumped when the stored shape changes; a reader treats another version as no summary. */
export const RUN_SUMMARY_VERSION = 1;

const minor = z.string().regex(/^-?\d+$/);
const groupSchema = z.object({
  key: z.string(),
  customers: z.number().int(),
  netSpentMinor: minor,
  /** Null when no customer of the group has a prediction (as SQL's sum of nulls). */
  clvMinor: minor.nullable(),
  clvCustomers: z.number().int(),
});

/** The stored JSON (money as decimal strings of minor units: jsonb has no 64-bit integers). */
export const runSummaryFiguresSchema = z.object({
  version: z.literal(RUN_SUMMARY_VERSION),
  segments: z.array(groupSchema),
  stages: z.array(groupSchema),
  churnRisk: z.array(groupSchema),
  clv: z.object({
    p95Minor: minor.nullable(),
    widthMinor: minor,
    bands: z.array(z.object({ band: z.number().int(), customers: z.number().int(), clvMinor: minor })),
  }),
});
export type RunSummaryFigures = z.infer<typeof runSummaryFiguresSchema>;

/**
 * An exact integer sum of doubles that each hold an integer below 2^52: the running double is
 * flushed into a bigint before it could lose a unit.
 */
class ExactSum {
  private small = 0;
  private big = 0n;
  add(value: number) {
    this.small += value;
    if (Math.abs(this.small) >= 2 ** 52) {
      this.big += BigInt(this.small);
      this.small = 0;
    }
  }
  get value(): bigint {
    return this.big + BigInt(this.small);
  }
}

class Group {
  customers = 0;
  clvCustomers = 0;
  readonly netSpent = new ExactSum();
  readonly clv = new ExactSum();
  add(netSpentMinor: number, clvMinor: number | null) {
    this.customers++;
    this.netSpent.add(netSpentMinor);
    if (clvMinor !== null) {
      this.clvCustomers++;
      this.clv.add(clvMinor);
    }
  }
  row(key: string) {
    return {
      key,
      customers: this.customers,
      netSpentMinor: this.netSpent.value.toString(),
      clvMinor: this.clvCustomers > 0 ? this.clv.value.toString() : null,
      clvCustomers: this.clvCustomers,
    };
  }
}

function groups(names: readonly string[]) {
  return names.map(() => new Group());
}

const rows = (names: readonly string[], list: Group[]) =>
  list.flatMap((group, index) => (group.customers > 0 ? [group.row(names[index]!)] : []));

/** PostgreSQL's percentile_disc: the first value whose position reaches the fraction. */
export function percentileDisc(sorted: Float64Array, fraction: number): number | null {
  if (sorted.length === 0) return null;
  const position = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[Math.min(position, sorted.length) - 1]!;
}

/** The summary figures of a run's customers, with CLV banded in the shop's currency. */
export function runSummaryFigures(
  columns: CustomerColumns,
  results: CustomerResults,
  currencyCode: string,
): RunSummaryFigures {
  const segments = groups(RFM_SEGMENTS);
  const stages = groups(LIFECYCLE_STAGES);
  const churn = groups(CHURN_RISK_BANDS);
  // CLV as customer_scores stores it: rounded to a whole minor unit, null when not predicted.
  const clv = new Float64Array(columns.size);
  let predicted = 0;
  for (let i = 0; i < columns.size; i++) {
    const raw = results.clv[i]!;
    const clvMinor = Number.isNaN(raw) ? null : Math.round(raw);
    if (clvMinor !== null) clv[predicted++] = clvMinor;
    const spent = columns.netSpentMinor[i]!;
    segments[results.rfmSegment[i]!]!.add(spent, clvMinor);
    churn[results.churnRisk[i]!]!.add(spent, clvMinor);
    const stage = results.lifecycleStage[i]!;
    if (stage !== NONE) stages[stage]!.add(spent, clvMinor);
  }
  const sorted = clv.subarray(0, predicted).sort();
  const p95 = percentileDisc(sorted, 0.95);
  return {
    version: RUN_SUMMARY_VERSION,
    segments: rows(RFM_SEGMENTS, segments),
    stages: rows(LIFECYCLE_STAGES, stages),
    churnRisk: rows(CHURN_RISK_BANDS, churn),
    clv: p95 === null ? { p95Minor: null, widthMinor: "0", bands: [] } : clvBands(sorted, BigInt(p95), currencyCode),
  };
}

/** Bands of the sorted CLVs: [n·w, (n+1)·w), negatives in band 0, the last band open-ended. */
function clvBands(sorted: Float64Array, p95Minor: bigint, currencyCode: string): RunSummaryFigures["clv"] {
  const widthMinor = clvBandWidthMinor(p95Minor, currencyCode);
  const width = Number(widthMinor);
  const bands = Array.from({ length: CLV_OVERFLOW_BAND + 1 }, () => ({ customers: 0, clv: new ExactSum() }));
  for (const value of sorted) {
    const band = bands[Math.min(Math.floor(Math.max(value, 0) / width), CLV_OVERFLOW_BAND)]!;
    band.customers++;
    band.clv.add(value);
  }
  return {
    p95Minor: p95Minor.toString(),
    widthMinor: widthMinor.toString(),
    bands: bands.flatMap((band, index) =>
      band.customers > 0 ? [{ band: index, customers: band.customers, clvMinor: band.clv.value.toString() }] : [],
    ),
  };
}
