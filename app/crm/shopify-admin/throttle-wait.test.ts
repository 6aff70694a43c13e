// The shared cost bucket's arithmetic: a call waits for its points on the bucket Shopify last
// reported, refilled since, less what other calls have reserved.
import { describe, expect, it } from "vitest";

import { reserveWaitMs, type ObservedThrottleStatus } from "./throttle-wait";

const bucket = (currentlyAvailable: number, observedAtMs = 0): ObservedThrottleStatus => ({
  maximumAvailable: 2000,
  currentlyAvailable,
  restoreRate: 100,
  observedAtMs,
});

describe("reserveWaitMs", () => {
  it("sends at once while the bucket less the others' reservations holds the cost", () => {
    expect(reserveWaitMs(bucket(500), 0, 100, 0)).toBe(0);
    expect(reserveWaitMs(bucket(500), 400, 100, 0)).toBe(0);
  });

  it("waits for the refill of what the others' reservations leave short", () => {
    // 50 points, 250 reserved by others, 100 a second: a call of 100 can go at (100 + 200) / 100 s
    expect(reserveWaitMs(bucket(50), 250, 100, 0)).toBe(3000);
  });

  it("counts the refill since Shopify reported the bucket, up to the maximum", () => {
    expect(reserveWaitMs(bucket(-100, 0), 0, 100, 2_000)).toBe(0);
    expect(reserveWaitMs(bucket(1900, 0), 1_950, 100, 60_000)).toBe(500);
  });

  it("asks no more than the bucket can ever hold, and waits at most a minute", () => {
    expect(reserveWaitMs(bucket(2000), 0, 5_000, 0)).toBe(0);
    expect(reserveWaitMs(bucket(0), 1_000_000, 100, 0)).toBe(60_000);
  });

  it("does not wait on a bucket it has not seen (the first answer tells it)", () => {
    expect(reserveWaitMs(null, 10_000, 100, 0)).toBe(0);
  });
});
