import { describe, expect, it } from "vitest";

import { expectedPurchases, type PurchaseGroup } from "./bg-nbd";
import { simulateBgNbdGroups } from "./bg-nbd-simulation";
import { churnRiskBand, fitClvModels, MIN_REPEAT_CUSTOMERS, scoreCustomer } from "./clv-models";
import { customerLifetimeValue } from "./customer-lifetime-value";
import { expectedAverageOrderValue } from "./gamma-gamma";

const options = { periodDays: 1, horizonMonths: 12, monthlyDiscountRate: 0.01 };
const shop = simulateBgNbdGroups({ r: 0.4, alpha: 25, a: 0.8, b: 2.5 }, { customers: 3_000, maxAgeDays: 500, seed: 5 });
const spendOf = (groups: PurchaseGroup[]) =>
  groups.map((g, i) => ({
    frequency: g.frequency,
    monetaryValue: g.frequency > 0 ? 20 + (i % 13) * 3 : 0,
    count: g.count,
  }));

describe("fitClvModels", () => {
  it("fits both models on a shop with enough repeat customers", () => {
    const fit = fitClvModels(shop, spendOf(shop));

    expect(fit.kind).toBe("fitted");
    if (fit.kind !== "fitted") return;
    expect(fit.bgNbd.converged).toBe(true);
    expect(fit.gammaGamma).not.toBeNull();
  });

  it("falls back, with a reason, below the minimum number of repeat customers", () => {
    const groups = [
      { frequency: 0, recency: 0, T: 40, count: 900 },
      { frequency: 2, recency: 20, T: 40, count: MIN_REPEAT_CUSTOMERS - 1 },
    ];

    const fit = fitClvModels(groups, []);

    expect(fit).toEqual({
      kind: "fallback",
      reason: expect.stringContaining(`${MIN_REPEAT_CUSTOMERS - 1} repeat customers`),
    });
  });

  it("fits BG/NBD without Gamma-Gamma when repeat orders are all free, and scores with the customer's own mean", () => {
    const zeroSpend = spendOf(shop).map((s) => ({ ...s, monetaryValue: 0 }));

    const fit = fitClvModels(shop, zeroSpend);
    const prediction = scoreCustomer(fit, { frequency: 3, recency: 100, T: 200, monetaryValue: 0 }, options);

    expect(fit.kind === "fitted" && fit.gammaGamma).toBeNull();
    expect(prediction.expectedAverageOrderValue).toBe(0);
    expect(prediction.clv).toBe(0);
    expect(prediction.pAlive).toBeGreaterThan(0);
  });
});

describe("scoreCustomer", () => {
  const fit = fitClvModels(shop, spendOf(shop));
  const customer = { frequency: 4, recency: 300, T: 400, monetaryValue: 35 };

  it("predicts purchases over 30, 90 and 365 days, order value and CLV from the fitted models", () => {
    if (fit.kind !== "fitted") throw new Error("expected a fit");

    const prediction = scoreCustomer(fit, customer, options);

    expect(prediction.expectedPurchases30).toBeCloseTo(expectedPurchases(fit.bgNbd, 30, 4, 300, 400), 12);
    expect(prediction.expectedPurchases90).toBeGreaterThan(prediction.expectedPurchases30!);
    expect(prediction.expectedPurchases365).toBeGreaterThan(prediction.expectedPurchases90!);
    expect(prediction.expectedAverageOrderValue).toBeCloseTo(expectedAverageOrderValue(fit.gammaGamma!, 4, 35), 12);
    expect(prediction.clv).toBeCloseTo(customerLifetimeValue(fit.bgNbd, fit.gammaGamma!, customer, options), 10);
    expect(prediction.churnRisk).toBe(churnRiskBand(prediction.pAlive));
  });

  it("without discounting, CLV is the expected purchases over the horizon times the expected order value", () => {
    if (fit.kind !== "fitted") throw new Error("expected a fit");
    const undiscounted = { periodDays: 7, horizonMonths: 12, monthlyDiscountRate: 0 };
    const inWeeks = { frequency: 4, recency: 300 / 7, T: 400 / 7, monetaryValue: 35 };
    const weeklyParams = { ...fit.bgNbd, alpha: fit.bgNbd.alpha / 7 };

    const clv = customerLifetimeValue(weeklyParams, fit.gammaGamma!, inWeeks, undiscounted);

    const horizonWeeks = (12 * 30.4375) / 7;
    const expected =
      expectedPurchases(weeklyParams, horizonWeeks, 4, 300 / 7, 400 / 7) *
      expectedAverageOrderValue(fit.gammaGamma!, 4, 35);
    expect(clv).toBeCloseTo(expected, 8);
    expect(
      customerLifetimeValue(weeklyParams, fit.gammaGamma!, inWeeks, { ...undiscounted, monthlyDiscountRate: 0.05 }),
    ).toBeLessThan(clv);
  });

  it("gives unknown risk and nulls on a fallback", () => {
    const prediction = scoreCustomer({ kind: "fallback", reason: "too few" }, customer, options);

    expect(prediction).toEqual({
      pAlive: null,
      churnRisk: "unknown",
      expectedPurchases30: null,
      expectedPurchases90: null,
      expectedPurchases365: null,
      expectedAverageOrderValue: null,
      clv: null,
    });
  });

  it("bands churn risk 1 − P(alive) at 0.3 and 0.7", () => {
    expect([0.95, 0.71, 0.69, 0.31, 0.29, 0.01].map(churnRiskBand)).toEqual([
      "low",
      "low",
      "medium",
      "medium",
      "high",
      "high",
    ]);
    expect(churnRiskBand(null)).toBe("unknown");
  });
});
