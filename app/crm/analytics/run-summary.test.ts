// The run's dashboard summary from its typed arrays: the same groups, sums, percentile and bands
// that grouping customer_scores in SQL gives, exact in minor units.
import { describe, expect, it } from "vitest";

import { allocateCustomerColumns } from "./customer-columns";
import { percentileDisc, runSummaryFigures, runSummaryFiguresSchema } from "./run-summary";
import { allocateResults, CHURN_RISK_BANDS, NONE } from "./score-customers";
import { RFM_SEGMENTS } from "../rfm/rfm-segments";
import { LIFECYCLE_STAGES } from "../lifecycle/lifecycle-stage";

/** Customers as [segment, stage or null, churn band, net spent, CLV or NaN]. */
function run(customers: [string, string | null, string, number, number][]) {
  const columns = allocateCustomerColumns(customers.length);
  const results = allocateResults(customers.length);
  customers.forEach(([segment, stage, band, spent, clv], i) => {
    columns.customerId[i] = i + 1;
    columns.netSpentMinor[i] = spent;
    results.rfmSegment[i] = RFM_SEGMENTS.indexOf(segment as (typeof RFM_SEGMENTS)[number]);
    results.lifecycleStage[i] = stage === null ? NONE : LIFECYCLE_STAGES.indexOf(stage as "new");
    results.churnRisk[i] = CHURN_RISK_BANDS.indexOf(band as "low");
    results.clv[i] = clv;
  });
  return { columns, results };
}

function summarise(customers: Parameters<typeof run>[0], currencyCode = "USD") {
  const { columns, results } = run(customers);
  return runSummaryFigures(columns, results, currencyCode);
}

describe("run summary figures", () => {
  it("groups customers by segment, stage and churn band with exact sums, as SQL's GROUP BY does", () => {
    // Given five customers, one without a stage, two without a CLV, one with a negative CLV
    const { columns, results } = run([
      ["Champions", "loyal", "low", 10_000, 2_500.4],
      ["Champions", "loyal", "low", 20_000, 3_500.6],
      ["Lost", "churned", "high", 500, -120.5],
      ["Lost", null, "unknown", 700, Number.NaN],
      ["New", "new", "unknown", 1_000, Number.NaN],
    ]);
    // When summarised
    const figures = runSummaryFigures(columns, results, "USD");
    // Then each group holds its customers, its net spend and the CLV of those predicted (rounded as
    // customer_scores stores it: Math.round, so -120.5 becomes -120)
    expect(figures.segments).toEqual([
      { key: "Champions", customers: 2, netSpentMinor: "30000", clvMinor: "6001", clvCustomers: 2 },
      { key: "New", customers: 1, netSpentMinor: "1000", clvMinor: null, clvCustomers: 0 },
      { key: "Lost", customers: 2, netSpentMinor: "1200", clvMinor: "-120", clvCustomers: 1 },
    ]);
    expect(figures.stages.map((row) => [row.key, row.customers])).toEqual([
      ["new", 1],
      ["loyal", 2],
      ["churned", 1],
    ]);
    expect(figures.churnRisk.map((row) => [row.key, row.customers])).toEqual([
      ["low", 2],
      ["high", 1],
      ["unknown", 2],
    ]);
    expect(runSummaryFiguresSchema.parse(JSON.parse(JSON.stringify(figures)))).toEqual(figures);
  });

  it("bands CLV from the 95th percentile, negatives in the first band, the top band open-ended", () => {
    // Given 100 customers with CLVs 100, 200, …, 10,000 cents and a whale
    const rows: [string, string, string, number, number][] = Array.from({ length: 100 }, (_, i) => [
      "Loyal",
      "growing",
      "low",
      0,
      (i + 1) * 100,
    ]);
    rows.push(["Champions", "loyal", "low", 0, 10_000_000], ["Lost", "churned", "high", 0, -50]);
    const figures = summarise(rows);
    // p95 of 102 values is the 97th (ceil(0.95 × 102)): 9,600 cents after the -50; a tenth of it
    // rounds up to a 1,000-cent band
    expect(figures.clv.p95Minor).toBe("9600");
    expect(figures.clv.widthMinor).toBe("1000");
    const bands = Object.fromEntries(figures.clv.bands.map((band) => [band.band, [band.customers, band.clvMinor]]));
    expect(bands[0]).toEqual([10, String(-50 + 100 + 200 + 300 + 400 + 500 + 600 + 700 + 800 + 900)]);
    expect(bands[9]).toEqual([10, String((9_000 + 9_900) * 5)]);
    expect(bands[10]).toEqual([2, "10010000"]);
    expect(figures.clv.bands.reduce((sum, band) => sum + band.customers, 0)).toBe(102);
  });

  it("has no bands when nobody has a prediction, and keeps sums exact beyond 2^53", () => {
    expect(summarise([["Lost", null, "unknown", 5, Number.NaN]], "EUR").clv).toEqual({
      p95Minor: null,
      widthMinor: "0",
      bands: [],
    });
    const big = 2 ** 52 - 1;
    const champions = summarise([
      ["Champions", "loyal", "low", big, big],
      ["Champions", "loyal", "low", big, big],
      ["Champions", "loyal", "low", big, big],
    ]).segments[0]!;
    expect(champions.netSpentMinor).toBe((BigInt(big) * 3n).toString());
    expect(champions.clvMinor).toBe((BigInt(big) * 3n).toString());
  });

  it("takes percentiles as percentile_disc does", () => {
    const sorted = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([0.95, 0.5, 0.1, 0, 1].map((p) => percentileDisc(sorted, p))).toEqual([10, 5, 1, 1, 10]);
    expect(percentileDisc(new Float64Array(0), 0.95)).toBeNull();
  });
});
