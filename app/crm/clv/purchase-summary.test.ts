import { describe, expect, it } from "vitest";

import { PERIOD_DAYS, summarisePurchases } from "./purchase-summary";

const at = (iso: string) => new Date(iso);

describe("summarisePurchases", () => {
  it("merges purchases of one day, excludes the first day from the mean spend and measures in periods", () => {
    const purchases = [
      { customerId: "a", orderedAt: at("2024-01-01T09:00:00Z"), amount: 10 },
      { customerId: "a", orderedAt: at("2024-01-08T10:00:00Z"), amount: 20 },
      { customerId: "a", orderedAt: at("2024-01-08T18:00:00Z"), amount: 5 },
      { customerId: "a", orderedAt: at("2024-01-15T12:00:00Z"), amount: 15 },
      { customerId: "b", orderedAt: at("2024-01-29T12:00:00Z"), amount: 0 },
    ];

    const summaries = summarisePurchases(purchases, { calibrationEnd: at("2024-01-29T00:00:00Z"), period: "week" });

    expect(summaries.get("a")).toEqual({ frequency: 2, recency: 2, T: 4, monetaryValue: 20 });
    expect(summaries.get("b")).toEqual({ frequency: 0, recency: 0, T: 0, monetaryValue: 0 });
  });

  it("ignores purchases on days after the calibration end", () => {
    const purchases = [
      { customerId: "a", orderedAt: at("2024-03-01T00:00:00Z"), amount: 10 },
      { customerId: "a", orderedAt: at("2024-03-31T23:59:00Z"), amount: 10 },
      { customerId: "a", orderedAt: at("2024-04-01T00:00:00Z"), amount: 99 },
      { customerId: "c", orderedAt: at("2024-04-02T00:00:00Z"), amount: 99 },
    ];

    const summaries = summarisePurchases(purchases, { calibrationEnd: at("2024-03-31T00:00:00Z"), period: "day" });

    expect(summaries.get("a")).toEqual({ frequency: 1, recency: 30, T: 30, monetaryValue: 10 });
    expect(summaries.has("c")).toBe(false);
  });

  it("merges by the calendar day of the shop's time zone", () => {
    // 23:30 and 01:30 UTC are one evening in New York, two days in UTC.
    const purchases = [
      { customerId: "a", orderedAt: at("2024-06-10T23:30:00Z"), amount: 10 },
      { customerId: "a", orderedAt: at("2024-06-11T01:30:00Z"), amount: 10 },
    ];
    const options = { calibrationEnd: at("2024-06-20T12:00:00Z"), period: "day" as const };

    expect(summarisePurchases(purchases, options).get("a")!.frequency).toBe(1);
    expect(summarisePurchases(purchases, { ...options, timeZone: "America/New_York" }).get("a")!.frequency).toBe(0);
  });

  it("uses 30.4375-day months", () => {
    const purchases = [{ customerId: "a", orderedAt: at("2023-01-01T00:00:00Z"), amount: 1 }];

    const summary = summarisePurchases(purchases, { calibrationEnd: at("2024-01-01T00:00:00Z"), period: "month" });

    expect(PERIOD_DAYS.month).toBe(30.4375);
    expect(summary.get("a")!.T).toBeCloseTo(365 / 30.4375, 12);
  });
});
