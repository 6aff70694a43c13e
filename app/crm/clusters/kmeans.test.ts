import { describe, expect, it } from "vitest";

import { seededRandom } from "../../lib/seeded-random";
import { clusterCustomers } from "./kmeans";
import { meanSilhouette } from "./silhouette";

// Three well separated kinds of customer, in original units.
function threeKinds(perKind: number) {
  const random = seededRandom(9);
  const jitter = (value: number) => value * (0.8 + 0.4 * random());
  const kinds = [
    { recencyDays: 5, frequency: 12, monetary: 900, clv: 1500 },
    { recencyDays: 400, frequency: 1, monetary: 30, clv: 2 },
    { recencyDays: 60, frequency: 3, monetary: 150, clv: 120 },
  ];
  const n = kinds.length * perKind;
  const features = {
    recencyDays: new Float64Array(n),
    frequency: new Float64Array(n),
    monetary: new Float64Array(n),
    clv: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const kind = kinds[i % 3]!;
    features.recencyDays[i] = jitter(kind.recencyDays);
    features.frequency[i] = Math.round(jitter(kind.frequency));
    features.monetary[i] = jitter(kind.monetary);
    features.clv[i] = jitter(kind.clv);
  }
  return features;
}

describe("clusterCustomers", () => {
  it("finds three well separated groups, numbers them by CLV and names them from their centres", () => {
    const result = clusterCustomers(threeKinds(500));

    expect(result.k).toBe(3);
    expect(result.silhouette).toBeGreaterThan(0.7);
    expect(result.centroids.map((c) => c.size)).toEqual([500, 500, 500]);
    expect(result.centroids[0]!.clv).toBeGreaterThan(result.centroids[1]!.clv);
    expect(result.centroids[0]!.name).toBe("Recent big-spending regulars");
    expect(result.centroids[2]!.name).toBe("Lapsed one-timers");
    expect(new Set(result.centroids.map((c) => c.name)).size).toBe(3);
    for (let i = 0; i < 1500; i += 3) expect(result.assignments[i]).toBe(0);
  });

  it("is reproducible with the same seed", () => {
    const features = threeKinds(300);

    expect(clusterCustomers(features, { seed: 4 })).toEqual(clusterCustomers(features, { seed: 4 }));
  });

  it("handles empty, single and identical customers without failing", () => {
    const empty = {
      recencyDays: new Float64Array(0),
      frequency: new Float64Array(0),
      monetary: new Float64Array(0),
      clv: new Float64Array(0),
    };
    const same = {
      recencyDays: new Float64Array(50).fill(3),
      frequency: new Float64Array(50).fill(1),
      monetary: new Float64Array(50).fill(9),
      clv: new Float64Array(50).fill(5),
    };

    expect(clusterCustomers(empty)).toMatchObject({ k: 0, centroids: [] });
    expect(clusterCustomers(same)).toMatchObject({ k: 1, silhouette: 0 });
    expect(clusterCustomers(same).centroids[0]).toMatchObject({ size: 50, recencyDays: 3, clv: 5 });
  });

  it("clusters 200,000 customers in a few seconds", () => {
    const started = performance.now();

    const result = clusterCustomers(threeKinds(66_667));

    expect(result.assignments).toHaveLength(200_001);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe("meanSilhouette", () => {
  it("is 1 − a/b for two tight pairs far apart", () => {
    // points 0, 1 and 10, 11 on a line: a = 1, b = 10 (for 0: mean of 10, 11 = 10.5; for 1: 9.5; …)
    const points = new Float64Array([0, 1, 10, 11]);
    const labels = new Uint8Array([0, 0, 1, 1]);
    const expected = (1 - 1 / 10.5 + (1 - 1 / 9.5) + (1 - 1 / 9.5) + (1 - 1 / 10.5)) / 4;

    expect(meanSilhouette(points, 1, labels, 2)).toBeCloseTo(expected, 12);
  });
});
