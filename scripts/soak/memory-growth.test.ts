import { describe, expect, it } from "vitest";

import { memoryTrend, windowMean, type MemorySample } from "./memory-growth";

// A V8-like saw, one sample a second: 250 MiB underneath, the heap climbing 130 MiB between full
// collections 30 to 90 s apart (a fixed pseudo-random sequence) and dropping back, plus any drift.
function saw(seconds: number, driftMiBPerSecond = 0): MemorySample[] {
  let seed = 7;
  const nextPeriod = () => {
    seed = (seed * 48_271) % 2_147_483_647;
    return 30 + (seed % 61);
  };
  const samples: MemorySample[] = [];
  let cycleStart = 0;
  let period = nextPeriod();
  for (let at = 0; at < seconds; at++) {
    if (at - cycleStart >= period) [cycleStart, period] = [at, nextPeriod()];
    samples.push({ at, mib: 250 + driftMiBPerSecond * at + 130 * ((at - cycleStart) / period) });
  }
  return samples;
}

const minuteMeans = (samples: MemorySample[], from: number) =>
  Array.from({ length: Math.floor((samples.length - from) / 60) }, (_, i) =>
    windowMean(samples, from + i * 60, from + (i + 1) * 60),
  );

describe("memoryTrend", () => {
  it("finds no growth in a saw without drift, whose one-minute means differ by more than a tenth", () => {
    const samples = saw(1_800);
    const means = minuteMeans(samples, 360);
    expect((Math.max(...means) - Math.min(...means)) / Math.min(...means)).toBeGreaterThan(0.1);
    const trend = memoryTrend(samples, 360);
    expect(Math.abs(trend.percent)).toBeLessThan(2);
    expect(trend.swingMiB).toBeGreaterThan(30);
    expect(trend.samples).toBe(1_440);
  });

  it("measures a steady leak under the saw", () => {
    // 0.02 MiB/s over the 1,439 s after the warm-up: 28.8 MiB.
    const trend = memoryTrend(saw(1_800, 0.02), 360);
    expect(trend.toMiB - trend.fromMiB).toBeGreaterThan(0.02 * 1_439 - 6);
    expect(trend.toMiB - trend.fromMiB).toBeLessThan(0.02 * 1_439 + 6);
    expect(trend.percent).toBeCloseTo(((trend.toMiB - trend.fromMiB) / trend.fromMiB) * 100, 6);
    expect(trend.percent).toBeGreaterThan(7);
  });

  it("leaves out the warm-up and the samples of a process that is gone", () => {
    // The first three minutes 100 MiB lower, as a process still loading its code and caches.
    const clean = saw(900);
    const warmingUp = clean.map((s) => (s.at < 180 ? { ...s, mib: s.mib - 100 } : s));
    const trend = memoryTrend([...warmingUp, { at: 900, mib: NaN }], 180);
    expect(trend.samples).toBe(720);
    expect(trend).toEqual(memoryTrend(clean, 180));
    expect(memoryTrend(warmingUp, 0).percent).toBeGreaterThan(trend.percent + 10);
  });

  it("refuses to draw a line through fewer than two samples", () => {
    expect(() => memoryTrend([{ at: 10, mib: 300 }], 0)).toThrow(/two samples/);
  });
});
