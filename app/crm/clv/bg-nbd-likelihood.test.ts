import { describe, expect, it } from "vitest";

import { createNegativeMeanLogLikelihood, prepareGroups, sampleRepeatGroups } from "./bg-nbd-likelihood";
import { simulateBgNbdGroups } from "./bg-nbd-simulation";

const groups = simulateBgNbdGroups(
  { r: 0.5, alpha: 20, a: 0.8, b: 2.5 },
  { customers: 5_000, maxAgeDays: 500, seed: 2 },
);

function evaluate(objective: ReturnType<typeof createNegativeMeanLogLikelihood>, theta: readonly number[]) {
  const gradient = new Float64Array(4);
  const hessian = new Float64Array(16);
  const value = objective(Float64Array.from(theta), gradient, hessian);
  return { value, gradient, hessian };
}

describe("the BG/NBD negative mean log-likelihood", () => {
  it.each([
    ["near the optimum", [0.5, 0.04, 0.8, 2.5]],
    ["far from it", [3, 2, 0.2, 9]],
  ])("has the gradient and Hessian of its central differences, %s", (_, params) => {
    const objective = createNegativeMeanLogLikelihood(prepareGroups(groups)!);
    const theta = params.map(Math.log);
    const at = evaluate(objective, theta);
    const step = 1e-5;

    for (let i = 0; i < 4; i++) {
      const up = evaluate(
        objective,
        theta.map((v, k) => (k === i ? v + step : v)),
      );
      const down = evaluate(
        objective,
        theta.map((v, k) => (k === i ? v - step : v)),
      );
      expect(at.gradient[i]).toBeCloseTo((up.value - down.value) / (2 * step), 7);
      for (let j = 0; j < 4; j++) {
        expect(at.hessian[i * 4 + j]).toBeCloseTo((up.gradient[j]! - down.gradient[j]!) / (2 * step), 6);
        expect(at.hessian[i * 4 + j]).toBe(at.hessian[j * 4 + i]);
      }
    }
  });

  it("is the same whatever order the groups come in, and counts one-time buyers by age", () => {
    const theta = [0.4, 0.1, 1.3, 3.1].map(Math.log);
    const oneTimeSplit = groups.flatMap((g) =>
      g.frequency === 0 && g.count > 1
        ? [
            { ...g, count: 1 },
            { ...g, count: g.count - 1 },
          ]
        : [g],
    );

    const forwards = evaluate(createNegativeMeanLogLikelihood(prepareGroups(groups)!), theta);
    const backwards = evaluate(createNegativeMeanLogLikelihood(prepareGroups([...oneTimeSplit].reverse())!), theta);

    expect(backwards.value).toBeCloseTo(forwards.value, 12);
    for (let i = 0; i < 4; i++) expect(backwards.gradient[i]).toBeCloseTo(forwards.gradient[i]!, 12);
  });

  it("of every 16th repeat group, weighted by 16, is close to the full likelihood", () => {
    const many = simulateBgNbdGroups(
      { r: 0.5, alpha: 20, a: 0.8, b: 2.5 },
      { customers: 50_000, maxAgeDays: 800, seed: 5 },
    );
    const data = prepareGroups(many)!;
    const theta = [0.5, 0.04, 0.8, 2.5].map(Math.log);

    const full = evaluate(createNegativeMeanLogLikelihood(data), theta).value;
    const sampled = evaluate(createNegativeMeanLogLikelihood(sampleRepeatGroups(data, 16)), theta).value;

    expect(Math.abs(sampled / full - 1)).toBeLessThan(0.02);
    expect(sampleRepeatGroups(data, 16).repeat.count.length).toBeLessThan(data.repeat.count.length / 15);
  });

  it("leaves out groups that cannot be (recency past the age, no customers, NaN)", () => {
    const data = prepareGroups([
      { frequency: 2, recency: 10, T: 20, count: 3 },
      { frequency: 1, recency: 30, T: 20, count: 5 },
      { frequency: 1, recency: 5, T: 20, count: 0 },
      { frequency: 1, recency: Number.NaN, T: 20, count: 2 },
    ])!;

    expect(data.totalCount).toBe(3);
    expect(data.repeat.count).toEqual(Float64Array.of(3));
    expect(prepareGroups([{ frequency: 1, recency: 30, T: 20, count: 5 }])).toBeNull();
  });
});
