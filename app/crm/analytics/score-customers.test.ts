// The run's shortcut (score each (x, t_x, T) group once, scale CLV by each customer's order
// value) gives exactly what scoring every customer directly gives.
import { describe, expect, it } from "vitest";

import { fitClvModels, scoreCustomer, type ClvModelFit } from "../clv/clv-models";
import { allocateCustomerColumns, purchaseSummaryAt, type CustomerColumns } from "./customer-columns";
import { rfmThresholds } from "./rfm-thresholds";
import { allocateResults, CHURN_RISK_BANDS, predictCustomers, purchaseGroups, spendGroups } from "./score-customers";
import { scoreThresholds } from "../rfm/rfm-scores";

function randomColumns(size: number, seed: number): CustomerColumns {
  let state = seed;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const columns = allocateCustomerColumns(size);
  for (let i = 0; i < size; i++) {
    const days = random() < 0.4 ? 1 : 2 + Math.floor(random() * 8);
    const age = 10 + Math.floor(random() * 700);
    const span = days === 1 ? 0 : Math.floor(random() * age);
    columns.customerId[i] = i + 1;
    columns.purchaseDays[i] = days;
    columns.ageDays[i] = age;
    columns.spanDays[i] = span;
    columns.recencyDays[i] = age - span;
    columns.firstDayMinor[i] = Math.floor(random() * 5_000);
    columns.netSpentMinor[i] = columns.firstDayMinor[i]! + (days - 1) * Math.floor(random() * 6_000);
    columns.positiveDays[i] = days;
    columns.rScore[i] = 1 + Math.floor(random() * 5);
    columns.fScore[i] = 1 + Math.floor(random() * 5);
    columns.mScore[i] = 1 + Math.floor(random() * 5);
  }
  return columns;
}

const settings = { horizonMonths: 12, monthlyDiscountRate: 0.01 };

function expectSameAsDirect(fit: ClvModelFit, columns: CustomerColumns) {
  const results = allocateResults(columns.size);
  predictCustomers(fit, columns, settings, results);
  for (let i = 0; i < columns.size; i++) {
    const direct = scoreCustomer(fit, purchaseSummaryAt(columns, i), { ...settings, periodDays: 7 });
    const nanOrNull = (value: number) => (Number.isNaN(value) ? null : value);
    expect(nanOrNull(results.pAlive[i]!)).toBe(direct.pAlive);
    expect(CHURN_RISK_BANDS[results.churnRisk[i]!]).toBe(direct.churnRisk);
    expect(nanOrNull(results.expectedPurchases90[i]!)).toBe(direct.expectedPurchases90);
    expect(nanOrNull(results.expectedAverageOrderValue[i]!)).toBe(direct.expectedAverageOrderValue);
    if (direct.clv === null) expect(results.clv[i]).toBeNaN();
    else expect(results.clv[i]).toBeCloseTo(direct.clv, 9);
  }
}

describe("predictCustomers", () => {
  const columns = randomColumns(3_000, 11);

  it("equals scoring each customer directly, with a Gamma-Gamma fit", () => {
    const fit = fitClvModels(purchaseGroups(columns), spendGroups(columns));
    expect(fit.kind === "fitted" && fit.gammaGamma !== null).toBe(true);
    expectSameAsDirect(fit, columns);
  });

  it("equals scoring each customer directly without Gamma-Gamma, and on a fallback", () => {
    const fit = fitClvModels(purchaseGroups(columns), []);
    expect(fit).toMatchObject({ kind: "fitted", gammaGamma: null });
    expectSameAsDirect(fit, columns);
    expectSameAsDirect({ kind: "fallback", reason: "test" }, columns);
  });

  it("merges customers into groups that count every customer once", () => {
    const groups = purchaseGroups(columns);
    expect(groups.reduce((sum, group) => sum + group.count, 0)).toBe(columns.size);
    expect(new Set(groups.map((g) => `${g.frequency}/${g.recency}/${g.T}`)).size).toBe(groups.length);
  });
});

describe("rfmThresholds", () => {
  it("are scoreThresholds of the values, read off given quintile scores", async () => {
    const { quintileScores } = await import("../rfm/rfm-scores");
    const columns = randomColumns(500, 5);
    const values = Array.from(columns.purchaseDays);
    Uint8Array.from(quintileScores(values, true)).forEach((score, i) => (columns.fScore[i] = score));
    const recency = Array.from(columns.recencyDays);
    Uint8Array.from(quintileScores(recency, false)).forEach((score, i) => (columns.rScore[i] = score));
    const monetary = Array.from(columns.netSpentMinor);
    Uint8Array.from(quintileScores(monetary, true)).forEach((score, i) => (columns.mScore[i] = score));
    expect(rfmThresholds(columns)).toEqual({
      recency: scoreThresholds(recency, false),
      frequency: scoreThresholds(values, true),
      monetary: scoreThresholds(monetary, true),
    });
  });
});
