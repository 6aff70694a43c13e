import { describe, expect, it } from "vitest";

import { expectedPurchases, fitBgNbd, type BgNbdParams, probabilityAlive, type PurchaseGroup } from "./bg-nbd";
import { simulateBgNbdGroups } from "./bg-nbd-simulation";
import { hyp2f1 } from "./hypergeometric";

const CDNOW: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

// Equation (10) of Fader, Hardie and Lee (2005) as printed, without the Euler rewrite.
function expectedPurchasesAsPrinted(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const z = t / (alpha + T + t);
  const numerator =
    ((a + b + x - 1) / (a - 1)) *
    (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z));
  const denominator = 1 + (x > 0 ? (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x) : 0);
  return numerator / denominator;
}

describe("BG/NBD predictions", () => {
  it.each([
    [0, 0, 38.86, 39],
    [2, 30.43, 38.86, 39],
    [7, 35, 38, 52],
    [1, 2, 80, 10],
  ])("agree with the printed formula for x=%s, t_x=%s, T=%s, t=%s", (x, tx, T, t) => {
    expect(expectedPurchases(CDNOW, t, x, tx, T) / expectedPurchasesAsPrinted(CDNOW, t, x, tx, T)).toBeCloseTo(1, 10);
  });

  it("stays finite for a very frequent buyer (x = 600)", () => {
    const value = expectedPurchases(CDNOW, 39, 600, 38, 38.5);

    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThan(100);
  });

  it("is continuous through a = 1, where the formula is 0/0", () => {
    const at = (a: number) => expectedPurchases({ ...CDNOW, a }, 39, 2, 30, 38);

    expect(at(1)).toBeCloseTo((at(0.999) + at(1.001)) / 2, 5);
    expect(Number.isFinite(at(1))).toBe(true);
  });

  it("grows with the horizon and is 0 for no horizon", () => {
    expect(expectedPurchases(CDNOW, 0, 2, 30, 38)).toBe(0);
    expect(expectedPurchases(CDNOW, 10, 2, 30, 38)).toBeLessThan(expectedPurchases(CDNOW, 20, 2, 30, 38));
  });

  it("gives P(alive) = 1 without repeat purchases and less the longer a buyer has been quiet", () => {
    expect(probabilityAlive(CDNOW, 0, 0, 30)).toBe(1);
    expect(probabilityAlive(CDNOW, 3, 30, 38)).toBeGreaterThan(probabilityAlive(CDNOW, 3, 5, 38));
  });
});

describe("fitBgNbd", () => {
  const truth = { r: 0.5, alpha: 20, a: 0.8, b: 2.5 };
  let simulated: PurchaseGroup[] | undefined;
  // 100,000 customers in 72,627 groups, 71,626 with repeat purchases: enough for the sampled start.
  const simulatedShop = () =>
    (simulated ??= simulateBgNbdGroups(truth, { customers: 100_000, maxAgeDays: 1_000, seed: 7 }));

  it("recovers the parameters of simulated customers", () => {
    const groups = simulatedShop();

    const fit = fitBgNbd(groups);

    expect(fit.converged).toBe(true);
    // Day rounding merges some purchases, so allow a few percent (standard errors are ~2–5%).
    expect(fit.r / truth.r).toBeCloseTo(1, 1);
    expect(fit.alpha / truth.alpha).toBeCloseTo(1, 0);
    expect(Math.abs(fit.a / truth.a - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.b / truth.b - 1)).toBeLessThan(0.15);
  });

  it("lands where the BFGS fit it replaced did, in a few Newton steps from a sampled start", () => {
    // Given the optimum the BFGS minimiser found on these groups (gradient below 1e-9)
    const bfgs = { r: 0.5019362194776565, alpha: 21.2868492861309, a: 0.8144146570810116, b: 2.5563776796173348 };

    const fit = fitBgNbd(simulatedShop());

    expect(fit.converged).toBe(true);
    for (const key of ["r", "alpha", "a", "b"] as const) expect(Math.abs(fit[key] / bfgs[key] - 1)).toBeLessThan(1e-7);
    expect(fit.logLikelihood).toBeCloseTo(-1855090.6798709866, 6);
    expect(fit.iterations).toBeLessThanOrEqual(5);
  });

  it("gives the same fit whatever the time unit, with α scaled", () => {
    const groups = simulateBgNbdGroups(CDNOW, { customers: 5_000, maxAgeDays: 273, seed: 3 });
    const inWeeks = groups.map((g) => ({ ...g, recency: g.recency / 7, T: g.T / 7 }));

    const days = fitBgNbd(groups);
    const weeks = fitBgNbd(inWeeks);

    expect(weeks.r).toBeCloseTo(days.r, 5);
    expect(weeks.alpha * 7).toBeCloseTo(days.alpha, 3);
    expect(weeks.logLikelihood - days.logLikelihood).toBeCloseTo(
      groups.reduce((sum, g) => sum + g.count * g.frequency, 0) * Math.log(7),
      4,
    );
  });

  it.each([
    ["only one-time buyers", [{ frequency: 0, recency: 0, T: 30, count: 500 }]],
    [
      "one repeat customer",
      [
        { frequency: 0, recency: 0, T: 30, count: 50 },
        { frequency: 1, recency: 10, T: 30, count: 1 },
      ],
    ],
    ["everyone bought on their only day, today", [{ frequency: 0, recency: 0, T: 0, count: 10 }]],
    ["no customers", []],
    ["invalid groups only", [{ frequency: 1, recency: 40, T: 30, count: 3 }]],
  ])("never returns NaN: %s", (_, groups) => {
    const fit = fitBgNbd(groups);

    for (const value of [fit.r, fit.alpha, fit.a, fit.b, fit.logLikelihood]) expect(Number.isNaN(value)).toBe(false);
  });
});
