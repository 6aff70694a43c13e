import { describe, expect, it } from "vitest";

import { averageOf, csatSatisfiedShare, distributionOf, netPromoterScore, npsBand, npsCountsOf } from "./nps";

describe("NPS bands", () => {
  it("puts 9-10 in promoters, 7-8 in passives and 0-6 in detractors", () => {
    const bands = Array.from({ length: 11 }, (_, score) => npsBand(score));
    expect(bands).toEqual([...Array(7).fill("detractor"), "passive", "passive", "promoter", "promoter"]);
  });

  it("refuses answers outside 0..10 or fractions", () => {
    expect(() => npsBand(11)).toThrow(RangeError);
    expect(() => npsBand(-1)).toThrow(RangeError);
    expect(() => npsBand(7.5)).toThrow(RangeError);
  });
});

describe("net promoter score", () => {
  it("is %promoters − %detractors", () => {
    // Given 50 promoters, 30 passives, 20 detractors
    const result = netPromoterScore({ promoters: 50, passives: 30, detractors: 20 });
    // Then NPS = 50% − 20% = 30
    expect(result.nps).toBeCloseTo(30, 10);
    expect(result.responses).toBe(100);
  });

  it("has the multinomial 95% interval", () => {
    // var = (0.5 + 0.2 − 0.3²) / 100 = 0.0061; margin = 1.96 · 100 · √0.0061 ≈ 15.31
    const result = netPromoterScore({ promoters: 50, passives: 30, detractors: 20 });
    const margin = 100 * 1.959963984540054 * Math.sqrt(0.0061);
    expect(margin).toBeCloseTo(15.308, 2);
    expect(result.low).toBeCloseTo(30 - margin, 8);
    expect(result.high).toBeCloseTo(30 + margin, 8);
  });

  it("narrows with more answers in the same proportions (by √n)", () => {
    const small = netPromoterScore({ promoters: 5, passives: 3, detractors: 2 });
    const large = netPromoterScore({ promoters: 500, passives: 300, detractors: 200 });
    expect(small.nps).toBeCloseTo(large.nps!, 10);
    expect((small.high! - small.nps!) / (large.high! - large.nps!)).toBeCloseTo(10, 1);
  });

  it("clamps the interval to −100..100 and gives none below 2 answers or without answers", () => {
    const allDetractors = netPromoterScore({ promoters: 0, passives: 0, detractors: 3 });
    expect(allDetractors.nps).toBe(-100);
    expect(allDetractors.low).toBe(-100);
    expect(allDetractors.high).toBe(-100);
    const split = netPromoterScore({ promoters: 1, passives: 0, detractors: 1 });
    expect(split.nps).toBe(0);
    expect(split.low).toBe(-100);
    expect(split.high).toBe(100);
    expect(netPromoterScore({ promoters: 1, passives: 0, detractors: 0 })).toMatchObject({ nps: 100, low: null });
    expect(netPromoterScore({ promoters: 0, passives: 0, detractors: 0 })).toMatchObject({ nps: null, low: null });
  });

  it("counts bands from a 0..10 distribution", () => {
    const distribution = distributionOf(
      [
        { score: 10, count: 4 },
        { score: 9, count: 1 },
        { score: 8, count: 2 },
        { score: 6, count: 3 },
        { score: 0, count: 1 },
      ],
      0,
      10,
    );
    expect(distribution).toEqual([1, 0, 0, 0, 0, 0, 3, 0, 2, 1, 4]);
    expect(npsCountsOf(distribution)).toEqual({ promoters: 5, passives: 2, detractors: 4 });
  });
});

describe("CSAT", () => {
  it("averages a 1..5 distribution and gives the share of 4s and 5s", () => {
    const distribution = distributionOf(
      [
        { score: 5, count: 2 },
        { score: 4, count: 1 },
        { score: 1, count: 1 },
      ],
      1,
      5,
    );
    expect(distribution).toEqual([1, 0, 0, 1, 2]);
    expect(averageOf(distribution, 1)).toBeCloseTo(15 / 4, 10);
    expect(csatSatisfiedShare(distribution)).toBe(75);
    expect(averageOf([0, 0, 0, 0, 0], 1)).toBeNull();
    expect(csatSatisfiedShare([0, 0, 0, 0, 0])).toBeNull();
  });
});
