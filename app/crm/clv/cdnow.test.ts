// Accuracy against the literature: Fader, Hardie and Lee (2005) and Fader and Hardie (2013) on the
// CDNOW sample, calibration 1997-01-01..1997-09-30 in weeks, purchases merged per day.
import { describe, expect, it } from "vitest";

import { readCdnowSample } from "../../../test/fixtures/cdnow/cdnow-sample";
import { expectedPurchases, fitBgNbd, type PurchaseGroup } from "./bg-nbd";
import { fitGammaGamma } from "./gamma-gamma";
import { summarisePurchases } from "./purchase-summary";

function cdnowSummaries() {
  const purchases = readCdnowSample().purchases.map((p) => ({
    customerId: String(p.customerId),
    orderedAt: new Date(`${p.date}T00:00:00Z`),
    amount: p.amountCents / 100,
  }));
  return summarisePurchases(purchases, { calibrationEnd: new Date("1997-09-30T00:00:00Z"), period: "week" });
}

function groupsOf(summaries: Map<string, { frequency: number; recency: number; T: number }>): PurchaseGroup[] {
  const groups = new Map<string, PurchaseGroup>();
  for (const { frequency, recency, T } of summaries.values()) {
    const key = `${frequency}|${recency}|${T}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { frequency, recency, T, count: 1 });
  }
  return [...groups.values()];
}

const toThreeSignificant = (value: number) => Number(value.toPrecision(3));

describe("CDNOW sample (Fader, Hardie and Lee 2005)", () => {
  it("summarises customer 1 as 2 repeat purchases, recency 30.43 and T 38.86 weeks", () => {
    const summaries = cdnowSummaries();

    expect(summaries.size).toBe(2357);
    const first = summaries.get("1")!;
    expect(first.frequency).toBe(2);
    expect(first.recency.toFixed(2)).toBe("30.43");
    expect(first.T.toFixed(2)).toBe("38.86");
  });

  it("fits the published BG/NBD parameters and predicts 1.226 purchases for customer 1 over 39 weeks", () => {
    const summaries = cdnowSummaries();

    const fit = fitBgNbd(groupsOf(summaries));

    expect(fit.converged).toBe(true);
    expect(toThreeSignificant(fit.r)).toBe(0.243);
    expect(toThreeSignificant(fit.alpha)).toBe(4.41);
    expect(toThreeSignificant(fit.a)).toBe(0.793);
    expect(toThreeSignificant(fit.b)).toBe(2.43);
    // and to the paper's printed digits
    expect([fit.r, fit.alpha, fit.a, fit.b].map((value) => value.toFixed(3))).toEqual([
      "0.243",
      "4.414",
      "0.793",
      "2.426",
    ]);
    expect(fit.logLikelihood.toFixed(1)).toBe("-9582.4"); // the paper's −9582.4
    const first = summaries.get("1")!;
    expect(expectedPurchases(fit, 39, first.frequency, first.recency, first.T).toFixed(3)).toBe("1.226");
  });

  it("fits the published Gamma-Gamma parameters on the 946 repeat customers", () => {
    const summaries = [...cdnowSummaries().values()];

    const fit = fitGammaGamma(summaries);

    expect(fit.customers).toBe(946);
    expect(fit.converged).toBe(true);
    expect(toThreeSignificant(fit.p)).toBe(6.25);
    expect(toThreeSignificant(fit.q)).toBe(3.74);
    expect(toThreeSignificant(fit.v)).toBe(15.4);
    expect(fit.v.toFixed(2)).toBe("15.44");
  });
});
