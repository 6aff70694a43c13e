import { describe, expect, it } from "vitest";

import { RFM_SEGMENTS, rfmSegment } from "./rfm-segments";

const scores = [1, 2, 3, 4, 5];

describe("rfmSegment", () => {
  it("maps every (R, F, M) in 1..5³ to one of the eleven segments, and uses all eleven", () => {
    const used = new Set<string>();
    for (const recency of scores)
      for (const frequency of scores)
        for (const monetary of scores) {
          const segment = rfmSegment({ recency, frequency, monetary });
          expect(RFM_SEGMENTS).toContain(segment);
          used.add(segment);
        }

    expect(used.size).toBe(11);
    expect(RFM_SEGMENTS).toHaveLength(11);
  });

  it.each([
    [5, 5, 5, "Champions"],
    [5, 1, 1, "New"],
    [4, 1, 1, "Promising"],
    [4, 4, 4, "Loyal"],
    [5, 2, 3, "Potential loyalists"],
    [3, 3, 3, "Need attention"],
    [3, 1, 2, "About to sleep"],
    [2, 3, 4, "At risk"],
    [1, 5, 5, "Can't lose them"],
    [2, 1, 1, "Hibernating"],
    [1, 1, 1, "Lost"],
  ] as const)("R=%s F=%s M=%s is %s", (recency, frequency, monetary, segment) => {
    expect(rfmSegment({ recency, frequency, monetary })).toBe(segment);
  });

  it("rounds the FM average half up: F=4, M=5 counts as 5", () => {
    expect(rfmSegment({ recency: 4, frequency: 4, monetary: 5 })).toBe("Champions");
    expect(rfmSegment({ recency: 4, frequency: 4, monetary: 3 })).toBe("Loyal");
  });
});
