import { describe, expect, it } from "vitest";

import { seededRandom } from "../../lib/seeded-random";
import { gammaSample } from "./bg-nbd-simulation";
import { expectedAverageOrderValue, fitGammaGamma } from "./gamma-gamma";

describe("fitGammaGamma", () => {
  it("recovers the parameters of simulated spend", () => {
    // Given customers whose order values are Gamma(p, ν) with ν ~ Gamma(q, v)
    const truth = { p: 6, q: 4, v: 15 };
    const random = seededRandom(11);
    const customers = Array.from({ length: 20_000 }, (_, i) => {
      const frequency = 1 + (i % 6);
      const nu = gammaSample(truth.q, random) / truth.v;
      let total = 0;
      for (let k = 0; k < frequency; k++) total += gammaSample(truth.p, random) / nu;
      return { frequency, monetaryValue: total / frequency };
    });

    const fit = fitGammaGamma(customers);

    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.p / truth.p - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.q / truth.q - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.v / truth.v - 1)).toBeLessThan(0.15);
  });

  it("leaves out one-time buyers and zero spend, and counts grouped customers", () => {
    const customers = [
      { frequency: 2, monetaryValue: 30, count: 3 },
      { frequency: 1, monetaryValue: 10 },
      { frequency: 4, monetaryValue: 55 },
      { frequency: 3, monetaryValue: 0, count: 10 },
      { frequency: 0, monetaryValue: 0, count: 100 },
    ];

    expect(fitGammaGamma(customers).customers).toBe(5);
  });

  it("never returns NaN when nobody can enter the fit (zero spend only)", () => {
    const fit = fitGammaGamma([{ frequency: 3, monetaryValue: 0, count: 40 }]);

    expect(fit).toMatchObject({ customers: 0, converged: false });
    for (const value of [fit.p, fit.q, fit.v, fit.logLikelihood]) expect(Number.isNaN(value)).toBe(false);
  });

  it("never returns NaN for one customer or identical spend", () => {
    for (const customers of [
      [{ frequency: 1, monetaryValue: 20 }],
      [{ frequency: 2, monetaryValue: 20, count: 500 }],
    ]) {
      const fit = fitGammaGamma(customers);
      for (const value of [fit.p, fit.q, fit.v, fit.logLikelihood]) expect(Number.isFinite(value)).toBe(true);
    }
  });
});

describe("expectedAverageOrderValue", () => {
  const params = { p: 6.25, q: 3.74, v: 15.44 };

  it("is the population mean pv/(q − 1) without repeat purchases", () => {
    expect(expectedAverageOrderValue(params, 0, 0)).toBeCloseTo((6.25 * 15.44) / 2.74, 10);
  });

  it("moves from the population mean towards the customer's own mean as purchases accumulate", () => {
    const populationMean = (6.25 * 15.44) / 2.74;
    const few = expectedAverageOrderValue(params, 1, 100);
    const many = expectedAverageOrderValue(params, 50, 100);

    expect(few).toBeGreaterThan(populationMean);
    expect(many).toBeGreaterThan(few);
    expect(many).toBeLessThan(100);
    expect(many).toBeCloseTo(100, -1);
  });

  it("falls back to the customer's own mean when the population mean is infinite (q ≤ 1)", () => {
    expect(expectedAverageOrderValue({ p: 1, q: 0.5, v: 10 }, 0, 0)).toBe(0);
    expect(expectedAverageOrderValue({ p: 1, q: 0.5, v: 10 }, 1, 42)).toBeCloseTo(
      (1 * (10 + 1 * 42)) / (1 * 1 + 0.5 - 1),
      10,
    );
  });
});
