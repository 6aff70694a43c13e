// The shared cost bucket's arithmetic: callers asking at once queue over the refill, and
// Shopify's answers lower the bucket but never raise it above what is still reserved.
import { describe, expect, it } from "vitest";

import { observedBucket, reserveCost, type ObservedThrottleStatus } from "./throttle-wait";

const bucket = (currentlyAvailable: number, observedAtMs = 0): ObservedThrottleStatus => ({
  maximumAvailable: 2000,
  currentlyAvailable,
  restoreRate: 100,
  observedAtMs,
});

describe("reserveCost", () => {
  it("sends at once while the bucket holds the cost, and takes the cost from it", () => {
    const { waitMs, bucket: after } = reserveCost(bucket(500), 100, 0);
    expect(waitMs).toBe(0);
    expect(after!.currentlyAvailable).toBe(400);
  });

  it("spreads callers asking at once over the refill: each waits for the points before it", () => {
    let shared: ObservedThrottleStatus | null = bucket(50);
    const waits = [1, 2, 3, 4].map(() => {
      const reserved = reserveCost(shared, 100, 0);
      shared = reserved.bucket;
      return reserved.waitMs;
    });
    // 50 points now, 100 a second: the k-th call of 100 points can go at (100k - 50) / 100 s
    expect(waits).toEqual([500, 1500, 2500, 3500]);
    expect(shared!.currentlyAvailable).toBe(-350);
  });

  it("counts the refill since the bucket was last written, up to the maximum", () => {
    expect(reserveCost(bucket(-100, 0), 100, 2_000).waitMs).toBe(0);
    expect(reserveCost(bucket(1900, 0), 100, 60_000).bucket!.currentlyAvailable).toBe(1900);
  });

  it("does not wait on a bucket it has not seen (the first answer tells it)", () => {
    expect(reserveCost(null, 100, 0)).toEqual({ waitMs: 0, bucket: null });
  });
});

describe("observedBucket", () => {
  it("keeps the points still reserved by other calls when Shopify reports more", () => {
    expect(observedBucket(bucket(-200, 0), bucket(300, 1_000)).currentlyAvailable).toBe(-100);
  });

  it("takes Shopify's figure when something else spent points", () => {
    expect(observedBucket(bucket(1500, 0), bucket(200, 1_000)).currentlyAvailable).toBe(200);
    expect(observedBucket(null, bucket(700, 0)).currentlyAvailable).toBe(700);
  });
});
