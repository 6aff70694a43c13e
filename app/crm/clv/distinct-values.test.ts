import { describe, expect, it } from "vitest";

import { DistinctValueIndex } from "./distinct-values";

describe("DistinctValueIndex", () => {
  it("gives every value the position of its first appearance among the distinct values", () => {
    // Given 100,000 values over 5,000 distinct ones (weeks at day granularity), far past the first table size
    const values = Float64Array.from({ length: 100_000 }, (_, i) => ((i * 7919) % 5_000) / 7);
    const index = new DistinctValueIndex();

    const positions = values.map((value) => index.positionOf(value));

    const distinct = index.values();
    expect(distinct.length).toBe(5_000);
    expect(new Set(distinct).size).toBe(5_000);
    expect(values.filter((value, i) => distinct[positions[i]!] !== value).length).toBe(0);
    expect(distinct[0]).toBe(values[0]);
  });

  it("treats −0 and +0 as one value and keeps values that differ in the last bit apart", () => {
    const close = 1 / 3;
    const next = close + Number.EPSILON / 4;
    const index = new DistinctValueIndex();

    const positions = [0, -0, close, next, close].map((value) => index.positionOf(value));

    expect(positions).toEqual([0, 0, 1, 2, 1]);
    expect(index.values().length).toBe(3);
  });
});
