import { describe, expect, it } from "vitest";

import { lifecycleStage } from "./lifecycle-stage";

const customer = (
  ordersCount: number,
  daysSinceLastOrder: number | null,
  daysSinceFirstOrder: number | null,
  pAlive: number | null,
) => ({
  ordersCount,
  daysSinceLastOrder,
  daysSinceFirstOrder,
  pAlive,
});

describe("lifecycleStage", () => {
  it.each([
    ["no orders", customer(0, null, null, null), null],
    ["a first order last week", customer(1, 7, 7, 1), "new"],
    ["a one-time buyer from 200 days ago, P(alive) 1 notwithstanding", customer(1, 200, 200, 1), "at_risk"],
    ["a one-time buyer from two years ago", customer(1, 730, 730, 1), "churned"],
    ["a second order last month", customer(2, 30, 60, 0.9), "growing"],
    ["five orders over a year, the last recent", customer(5, 20, 380, 0.95), "loyal"],
    ["five orders, recent, but P(alive) has dropped", customer(5, 100, 380, 0.4), "at_risk"],
    ["a regular who stopped", customer(9, 150, 600, 0.1), "churned"],
    ["no model (P(alive) null): recency decides", customer(4, 250, 600, null), "at_risk"],
    ["no model, recent regular", customer(4, 20, 600, null), "loyal"],
  ] as const)("%s", (_, input, expected) => {
    expect(lifecycleStage(input)).toBe(expected);
  });
});
