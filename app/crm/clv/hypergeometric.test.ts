import { describe, expect, it } from "vitest";

import { hyp2f1 } from "./hypergeometric";

describe("hyp2f1", () => {
  it.each([0, 0.1, 0.5, 0.9, 0.99])("matches −ln(1 − z)/z for 2F1(1, 1; 2; %s)", (z) => {
    const expected = z === 0 ? 1 : -Math.log(1 - z) / z;
    expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(expected, 12);
  });

  it.each([0.2, 0.7, -0.5, -3, -20])("matches (1 − z)^−a for 2F1(a, b; b; %s)", (z) => {
    expect(hyp2f1(0.37, 2.5, 2.5, z) / Math.pow(1 - z, -0.37)).toBeCloseTo(1, 12);
  });

  it.each([0.3, 0.8, 0.95])("matches arcsin(x)/x for 2F1(1/2, 1/2; 3/2; x²) at x = %s", (x) => {
    expect(hyp2f1(0.5, 0.5, 1.5, x * x)).toBeCloseTo(Math.asin(x) / x, 12);
  });

  it("matches ln(1 + x)/x for 2F1(1, 1; 2; −x), through the transformation for negative z", () => {
    for (const x of [0.5, 1, 4, 50]) expect(hyp2f1(1, 1, 2, -x)).toBeCloseTo(Math.log(1 + x) / x, 12);
  });

  it("is a polynomial when a is a non-positive integer: 2F1(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1))", () => {
    const [b, c, z] = [1.7, 3.2, 0.6];
    expect(hyp2f1(-2, b, c, z)).toBeCloseTo(1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1)), 14);
  });

  it("agrees with its Euler transformation on arguments of the size BG/NBD uses", () => {
    const [a, b, c, z] = [2.243, 4.426, 5.219, 0.4884];
    const direct = hyp2f1(a, b, c, z);
    const euler = Math.pow(1 - z, c - a - b) * hyp2f1(c - a, c - b, c, z);
    expect(direct / euler).toBeCloseTo(1, 12);
  });

  it("refuses arguments outside its domain instead of returning a wrong number", () => {
    expect(hyp2f1(1, 1, 2, 1)).toBeNaN();
    expect(hyp2f1(1, 1, -2, 0.5)).toBeNaN();
    expect(hyp2f1(Number.NaN, 1, 2, 0.5)).toBeNaN();
  });
});
