import { describe, expect, it } from "vitest";

import { digamma, trigamma } from "./special-functions";

describe("trigamma", () => {
  it.each([
    [1, Math.PI ** 2 / 6],
    [0.5, Math.PI ** 2 / 2],
    [10, 0.10516633568168575],
    [1000, 0.0010005001666666333],
  ])("ψ′(%s) = %s", (x, expected) => {
    expect(trigamma(x) / expected).toBeCloseTo(1, 13);
  });

  it.each([0.01, 0.3, 2, 9.99, 10, 10.01, 77])("is the derivative of digamma at %s", (x) => {
    const h = 1e-4 * x;
    expect((digamma(x + h) - digamma(x - h)) / (2 * h) / trigamma(x)).toBeCloseTo(1, 6);
  });

  it("is NaN where the models never take it", () => {
    expect(trigamma(0)).toBeNaN();
    expect(trigamma(-2)).toBeNaN();
    expect(trigamma(Number.NaN)).toBeNaN();
  });
});
