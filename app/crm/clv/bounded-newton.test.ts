import { describe, expect, it } from "vitest";

import { minimiseNewtonFromStarts, minimiseNewtonWithBounds, type ObjectiveWithHessian } from "./bounded-newton";

const open = { lower: [-10, -10], upper: [10, 10], gradientTolerance: 1e-10 };

// f(x, y) = (1 − x)² + 100 (y − x²)², indefinite Hessian away from the valley.
const rosenbrock: ObjectiveWithHessian = (v, g, h) => {
  const [x, y] = [v[0]!, v[1]!];
  g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
  g[1] = 200 * (y - x * x);
  h[0] = 2 - 400 * y + 1200 * x * x;
  h[1] = h[2] = -400 * x;
  h[3] = 200;
  return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
};

describe("minimiseNewtonWithBounds", () => {
  it("finds the minimum of Rosenbrock's valley from the classic start", () => {
    const result = minimiseNewtonWithBounds(rosenbrock, [-1.2, 1], open);

    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 9);
    expect(result.x[1]).toBeCloseTo(1, 9);
    expect(result.iterations).toBeLessThan(40);
  });

  it("takes the last Newton step without evaluating, landing closer than the tolerance asks", () => {
    // Given cosh(x − 2): from x = 3 the gradient falls below 1e-3 at |x − 2| ≈ 3e-8
    const objective: ObjectiveWithHessian = (v, g, h) => {
      g[0] = Math.sinh(v[0]! - 2);
      h[0] = Math.cosh(v[0]! - 2);
      return Math.cosh(v[0]! - 2);
    };

    const result = minimiseNewtonWithBounds(objective, [3], { lower: [-10], upper: [10], gradientTolerance: 1e-3 });

    expect(result.converged).toBe(true);
    expect(Math.abs(result.x[0]! - 2)).toBeLessThan(1e-12);
  });

  it("stops on a bound the gradient pushes against and minimises the other variable", () => {
    // Given (x − 3)² + (y + 2)² + x·y with x ≤ 1: on x = 1 the best y is −2.5
    const objective: ObjectiveWithHessian = (v, g, h) => {
      const [x, y] = [v[0]!, v[1]!];
      g[0] = 2 * (x - 3) + y;
      g[1] = 2 * (y + 2) + x;
      h[0] = 2;
      h[1] = h[2] = 1;
      h[3] = 2;
      return (x - 3) ** 2 + (y + 2) ** 2 + x * y;
    };

    const result = minimiseNewtonWithBounds(objective, [0, 0], { ...open, upper: [1, 10] });

    expect(result.converged).toBe(true);
    expect(result.x[0]).toBe(1);
    expect(result.x[1]).toBeCloseTo(-2.5, 9);
  });

  it("follows a ridge to the bound it runs into instead of zigzagging along it", () => {
    // Given a steep valley x − y = 0.5 falling towards x = 9 (a bound) under value noise of 1e-12
    const objective: ObjectiveWithHessian = (v, g, h) => {
      const [x, y] = [v[0]!, v[1]!];
      const fall = Math.exp(-(x + y));
      g[0] = 2000 * (x - y - 0.5) - fall;
      g[1] = -2000 * (x - y - 0.5) - fall;
      h[0] = h[3] = 2000 + fall;
      h[1] = h[2] = -2000 + fall;
      return 1000 * (x - y - 0.5) ** 2 + fall + 1e-12 * Math.sin(1e9 * (x + 3 * y));
    };

    const result = minimiseNewtonWithBounds(objective, [0, 0.5], { ...open, upper: [9, 9], gradientTolerance: 1e-12 });

    expect(result.converged).toBe(true);
    expect(result.x[0]).toBe(9);
    expect(result.x[1]).toBeCloseTo(8.5, 10);
    // Cutting each step off at x = 9 instead took 68 (one variable stops, the other leaves the valley).
    expect(result.iterations).toBeLessThan(30);
  });

  it("converges where the value is only known to rounding noise far above the gradient's", () => {
    // Given a quadratic whose value carries an error of 1e-10 right at the optimum (as lnΓ
    // differences of large a and b do): the last step looks like a rise of 9e-11
    const objective: ObjectiveWithHessian = (v, g, h) => {
      const [x, y] = [v[0]! - 1, v[1]! - 2];
      g[0] = 2 * x + 0.5 * y;
      g[1] = 0.5 * x + 2 * y;
      h[0] = h[3] = 2;
      h[1] = h[2] = 0.5;
      return x * x + y * y + 0.5 * x * y + 1e-10 * Math.exp(-1e14 * (x * x + y * y));
    };

    const result = minimiseNewtonWithBounds(objective, [1 + 1e-7, 2 + 1e-7], { ...open, gradientTolerance: 1e-12 });

    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 12);
    expect(result.x[1]).toBeCloseTo(2, 12);
  });

  it("leaves a variable the objective does not depend on where it started", () => {
    const objective: ObjectiveWithHessian = (v, g, h) => {
      g[0] = 2 * (v[0]! - 4);
      g[1] = 0;
      h.fill(0);
      h[0] = 2;
      return (v[0]! - 4) ** 2;
    };

    const result = minimiseNewtonWithBounds(objective, [0, 0.7], open);

    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(4, 9);
    expect(result.x[1]).toBe(0.7);
  });

  it("steps back from points where the objective is not finite", () => {
    // Given √(1 + (x − 3)²), where Newton's step overshoots, and no value beyond 3.5
    let wallHits = 0;
    const objective: ObjectiveWithHessian = (v, g, h) => {
      const u = v[0]! - 3;
      if (u > 0.5) {
        wallHits++;
        return Number.POSITIVE_INFINITY;
      }
      g[0] = u / Math.sqrt(1 + u * u);
      h[0] = (1 + u * u) ** -1.5;
      return Math.sqrt(1 + u * u);
    };

    const result = minimiseNewtonWithBounds(objective, [2], { lower: [-10], upper: [10], gradientTolerance: 1e-12 });

    expect(wallHits).toBeGreaterThan(0);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(3, 9);
  });

  it("reports a start where the objective is not finite as not converged", () => {
    const result = minimiseNewtonWithBounds(() => Number.NaN, [1, 1], open);

    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(0);
  });
});

describe("minimiseNewtonFromStarts", () => {
  it("tries the next start only when one does not converge", () => {
    let calls = 0;
    const counted: ObjectiveWithHessian = (v, g, h) => {
      calls++;
      return rosenbrock(v, g, h);
    };

    const result = minimiseNewtonFromStarts(
      counted,
      [
        [0.9, 0.8],
        [-1.2, 1],
      ],
      open,
    );

    expect(result.converged).toBe(true);
    expect(result.evaluations).toBe(calls);
    expect(calls).toBeLessThan(20); // the first start alone
  });
});
