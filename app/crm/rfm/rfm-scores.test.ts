import { describe, expect, it } from "vitest";

import { quintileScores, scoreAgainstThresholds, scoreThresholds } from "./rfm-scores";

describe("quintileScores", () => {
  it("scores least(5, 1 + floor(5 · percent_rank)) with ties sharing the lowest rank", () => {
    // ranks 1,2,3,…,10 → percent_rank (rank−1)/9
    expect(quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], true)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(quintileScores([1, 1, 1, 1, 1, 1, 1, 2, 3, 9], true)).toEqual([1, 1, 1, 1, 1, 1, 1, 4, 5, 5]);
  });

  it("gives the most recent customers (fewest days since the last order) the highest R", () => {
    expect(quintileScores([400, 3, 90, 30, 200], false)).toEqual([1, 5, 3, 4, 2]);
  });

  it("scores a single customer 1 and nobody as an empty list", () => {
    expect(quintileScores([42], true)).toEqual([1]);
    expect(quintileScores([], true)).toEqual([]);
  });
});

describe("score thresholds", () => {
  it("re-score every customer of a run exactly as the run scored them", () => {
    const spend = [5, 120, 40, 40, 7, 300, 15, 15, 15, 80, 1000, 2];
    const days = [10, 400, 35, 35, 2, 180, 60, 5, 700, 90, 1, 365];

    for (const [values, higherIsBetter] of [
      [spend, true],
      [days, false],
    ] as const) {
      const scores = quintileScores(values, higherIsBetter);
      const thresholds = scoreThresholds(values, higherIsBetter);
      expect(values.map((value) => scoreAgainstThresholds(value, thresholds, higherIsBetter))).toEqual(scores);
    }
  });

  it("place a new value between the stored thresholds", () => {
    const thresholds = scoreThresholds([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], true); // [3, 5, 7, 9]

    expect(thresholds).toEqual([3, 5, 7, 9]);
    expect(scoreAgainstThresholds(0, thresholds, true)).toBe(1);
    expect(scoreAgainstThresholds(6.5, thresholds, true)).toBe(3);
    expect(scoreAgainstThresholds(1e6, thresholds, true)).toBe(5);
  });

  it("leave unreached scores null so nobody new reaches them", () => {
    const thresholds = scoreThresholds([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], true);

    expect(thresholds).toEqual([null, null, null, null]);
    expect(scoreAgainstThresholds(50, thresholds, true)).toBe(1);
  });
});
