import { describe, expect, it } from "vitest";

import { liabilityMinor, pointValueFromRewards, shapeLoyaltyKpis, type LoyaltyKpiSums } from "./loyalty-kpis";
import type { LoyaltyRewardRule } from "./loyalty-program";

const reward = (over: Partial<LoyaltyRewardRule>): LoyaltyRewardRule => ({
  id: 1,
  title: "Reward",
  kind: "fixed_amount",
  pointsCost: 100,
  amountMinor: 500n,
  percentage: null,
  minimumSubtotalMinor: null,
  tierId: null,
  ...over,
});

describe("point value", () => {
  it("is the best amount per point among fixed-amount rewards, ignoring other kinds", () => {
    const value = pointValueFromRewards([
      reward({ id: 1, title: "5 off", pointsCost: 100, amountMinor: 500n }), // 5 per point
      reward({ id: 2, title: "12 off", pointsCost: 200, amountMinor: 1200n }), // 6 per point
      reward({ id: 3, title: "20%", kind: "percentage", amountMinor: null, percentage: 20, pointsCost: 1 }),
    ]);
    expect(value).toEqual({ amountMinor: 1200n, points: 200, rewardTitle: "12 off" });
    expect(pointValueFromRewards([reward({ kind: "free_shipping", amountMinor: null })])).toBeNull();
  });

  it("values outstanding points exactly, rounding half up to the minor unit", () => {
    const value = { amountMinor: 500n, points: 300, rewardTitle: "5 off" };
    // 1,001 points × 500 / 300 = 1,668.33… → 1,668
    expect(liabilityMinor(1001n, value)).toBe(1668n);
    // 3 points × 500 / 300 = 5 exactly; 1 point = 1.666… → 2
    expect(liabilityMinor(3n, value)).toBe(5n);
    expect(liabilityMinor(1n, value)).toBe(2n);
    expect(liabilityMinor(0n, value)).toBe(0n);
    expect(liabilityMinor(10n, null)).toBeNull();
  });
});

describe("KPI cards", () => {
  const sums: LoyaltyKpiSums = {
    members: 1234,
    pointsIssued: 10_500n,
    pointsReversed: 500n,
    pointsRedeemed: 2_500n,
    pointsExpired: 0n,
    pointsOutstanding: 7_500n,
    memberRevenueMinor: 123_456_78n,
    memberOrders: 321,
  };

  it("shows net issued points, the redemption rate and the liability with its basis", () => {
    const cards = shapeLoyaltyKpis(sums, {
      currencyCode: "USD",
      pointValue: { amountMinor: 500n, points: 100, rewardTitle: "$5 off" },
    });
    expect(cards).toMatchObject({
      members: "1,234",
      pointsIssued: "10,000",
      pointsRedeemed: "2,500",
      pointsOutstanding: "7,500",
      liability: "$375.00",
      redemptionRate: "25.0%",
      memberRevenue: "$123,456.78",
      memberOrders: "321",
    });
    expect(cards.liabilityBasis).toContain("$5.00 per 100 points");
  });

  it("says when there is nothing to value or divide by", () => {
    const cards = shapeLoyaltyKpis(
      { ...sums, pointsIssued: 0n, pointsReversed: 0n, pointsRedeemed: 0n },
      { currencyCode: "JPY", pointValue: null },
    );
    expect(cards.liability).toBe("—");
    expect(cards.redemptionRate).toBe("—");
    expect(cards.liabilityBasis).toMatch(/fixed-amount reward/);
  });
});
