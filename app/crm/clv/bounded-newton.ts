// Newton's method with box bounds for small fits whose Hessian is cheap next to their value (the
// BG/NBD likelihood: every group already pays for an exp and a log, the second derivatives are a
// few more multiplications). Near the optimum it converges quadratically, so a fit takes a
// handful of passes over the data where BFGS takes a few dozen. A variable on a bound with the
// gradient pushing it out is held there; steps that would leave the box end on its surface.
import type { MinimiseOptions, MinimiseResult } from "./bounded-minimiser";

/**
 * Writes the gradient and the Hessian (row-major n × n) into the arrays it is given and returns
 * the value; a non-finite value rejects the point.
 */
export type ObjectiveWithHessian = (x: Float64Array, gradient: Float64Array, hessian: Float64Array) => number;

export interface NewtonOptions extends MinimiseOptions {
  /** The largest change of any variable in one step (the fits' variables are logs). */
  maxStep?: number;
}

export function minimiseNewtonWithBounds(
  objective: ObjectiveWithHessian,
  start: readonly number[],
  options: NewtonOptions,
): MinimiseResult {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 200;
  const tolerance = options.gradientTolerance ?? 1e-10;
  const maxStep = options.maxStep ?? 3;
  const project = (v: Float64Array) => {
    for (let i = 0; i < n; i++) v[i] = Math.min(options.upper[i]!, Math.max(options.lower[i]!, v[i]!));
  };

  const x = Float64Array.from(start);
  project(x);
  let g = new Float64Array(n);
  let h = new Float64Array(n * n);
  let evaluations = 1;
  let value = objective(x, g, h);
  if (!Number.isFinite(value)) return { x, value, converged: false, iterations: 0, evaluations };

  const trial = new Float64Array(n);
  let trialGradient = new Float64Array(n);
  let trialHessian = new Float64Array(n * n);
  const direction = new Float64Array(n);
  const free = new Uint8Array(n);
  let converged = false;
  let iterations = 0;

  for (; iterations < maxIterations; iterations++) {
    for (let i = 0; i < n; i++) free[i] = isHeldOnBound(x, g, i, options) ? 0 : 1;
    const projectedGradientNorm = projectedNorm(x, g, options);
    if (projectedGradientNorm < tolerance) {
      converged = true;
      // Where the curvature is positive, the Newton step from here is far below the tolerance
      // and squares the remaining error: taken without another evaluation (the value changes
      // by about g·d/2, below its rounding), it puts x at the optimum to working precision.
      if (newtonDirection(h, g, free, n, direction, maxStep) === "newton") {
        for (let i = 0; i < n; i++) x[i] = x[i]! + direction[i]!;
        project(x);
      }
      break;
    }

    // A step that would leave the box is shortened to end on the first bound it meets rather
    // than cut off there: cutting off bends a coupled step (moving along a ridge, one variable
    // stops while the others go on, off the ridge), shortening keeps its direction. The
    // variable on the bound is then held from the next iteration on if the gradient pushes it
    // out. A variable the step would push out from where it already sits on its bound is held
    // at once, and the step solved again without it.
    newtonDirection(h, g, free, n, direction, maxStep);
    capLength(direction, maxStep);
    if (stepToBounds(x, direction, options) <= 1e-12) {
      for (let i = 0; i < n; i++) {
        const pushedOut =
          (x[i]! <= options.lower[i]! && direction[i]! < 0) || (x[i]! >= options.upper[i]! && direction[i]! > 0);
        if (pushedOut) free[i] = 0;
      }
      newtonDirection(h, g, free, n, direction, maxStep);
      capLength(direction, maxStep);
    }
    let descent = 0;
    for (let i = 0; i < n; i++) descent += g[i]! * direction[i]!;
    if (!(descent < 0)) {
      for (let i = 0; i < n; i++) direction[i] = free[i] ? -g[i]! : 0;
      capLength(direction, maxStep);
    }
    const room = Math.min(1, stepToBounds(x, direction, options));
    for (let i = 0; i < n; i++) direction[i] = direction[i]! * room;

    // Backtracking (Armijo); the full Newton step is taken near the optimum.
    let step = 1;
    let trialValue = Number.POSITIVE_INFINITY;
    let accepted = false;
    for (let attempt = 0; attempt < 60; attempt++) {
      for (let i = 0; i < n; i++) trial[i] = x[i]! + step * direction[i]!;
      // Rounding must neither overshoot a bound nor stop a hair short of the one the step aims at.
      if (step === 1) snapToBounds(trial, options);
      project(trial);
      let slope = 0;
      for (let i = 0; i < n; i++) slope += g[i]! * (trial[i]! - x[i]!);
      evaluations++;
      trialValue = objective(trial, trialGradient, trialHessian);
      if (!Number.isFinite(trialValue)) {
        step *= 0.5;
        continue;
      }
      // Near the optimum the decrease is below the value's rounding error (a likelihood with
      // a and b in the thousands sums lnΓ differences that lose ten digits) while the gradient
      // still shrinks a thousandfold: there a step that at least halves the gradient is taken
      // unless the value rises past its rounding.
      const decreases = slope < 0 && trialValue <= value + 1e-4 * slope;
      const nearOptimum = projectedGradientNorm < Math.sqrt(tolerance);
      const withinRounding = trialValue - value <= 1e-9 * (1 + Math.abs(value));
      const gradientHalves = projectedNorm(trial, trialGradient, options) <= 0.5 * projectedGradientNorm;
      if (decreases || (nearOptimum && withinRounding && gradientHalves)) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) {
      // No decrease the arithmetic can see along a descent direction: as converged as it gets.
      converged = projectedGradientNorm < Math.sqrt(tolerance);
      break;
    }

    x.set(trial);
    value = trialValue;
    [g, trialGradient] = [trialGradient, g];
    [h, trialHessian] = [trialHessian, h];
  }
  return { x, value, converged, iterations, evaluations };
}

function capLength(direction: Float64Array, maxStep: number) {
  let longest = 0;
  for (const component of direction) longest = Math.max(longest, Math.abs(component));
  if (longest > maxStep) for (let i = 0; i < direction.length; i++) direction[i] = (direction[i]! * maxStep) / longest;
}

function snapToBounds(v: Float64Array, options: MinimiseOptions) {
  for (let i = 0; i < v.length; i++) {
    const lower = options.lower[i]!;
    const upper = options.upper[i]!;
    if (Math.abs(v[i]! - lower) <= 1e-12 * (1 + Math.abs(lower))) v[i] = lower;
    if (Math.abs(v[i]! - upper) <= 1e-12 * (1 + Math.abs(upper))) v[i] = upper;
  }
}

/** The longest step t along `direction` with x + t·direction inside the bounds. */
function stepToBounds(x: Float64Array, direction: Float64Array, options: MinimiseOptions): number {
  let room = Number.POSITIVE_INFINITY;
  for (let i = 0; i < x.length; i++) {
    const d = direction[i]!;
    if (d < 0) room = Math.min(room, (options.lower[i]! - x[i]!) / d);
    else if (d > 0) room = Math.min(room, (options.upper[i]! - x[i]!) / d);
  }
  return Math.max(0, room);
}

/** A variable on a bound with the gradient pushing it out stays there. */
function isHeldOnBound(x: Float64Array, g: Float64Array, i: number, options: MinimiseOptions): boolean {
  return (x[i]! <= options.lower[i]! && g[i]! > 0) || (x[i]! >= options.upper[i]! && g[i]! < 0);
}

/** The largest gradient component of the variables not held on a bound. */
function projectedNorm(x: Float64Array, g: Float64Array, options: MinimiseOptions): number {
  let norm = 0;
  for (let i = 0; i < x.length; i++) if (!isHeldOnBound(x, g, i, options)) norm = Math.max(norm, Math.abs(g[i]!));
  return norm;
}

/**
 * Newton's step −H⁻¹g on the free variables, through H's eigenvalues: where one is negative or
 * nearly zero (away from the optimum, or along a ridge where the likelihood barely changes) it
 * is replaced by its absolute value, floored at a small share of the largest (Nocedal and
 * Wright 3.4). The step is then always a descent direction, at most `maxStep` along each
 * eigenvector (flat directions would ask for more), and Newton's own wherever H is convex.
 */
function newtonDirection(
  h: Float64Array,
  g: Float64Array,
  free: Uint8Array,
  n: number,
  direction: Float64Array,
  maxStep: number,
): "newton" | "modified" | "steepest" {
  const index: number[] = [];
  for (let i = 0; i < n; i++) if (free[i]) index.push(i);
  const m = index.length;
  direction.fill(0);
  if (m === 0) return "newton";
  const matrix = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) matrix[i * m + j] = h[index[i]! * n + index[j]!]!;
  const eigen = symmetricEigen(matrix, m);
  let largest = 0;
  for (const value of eigen.values) largest = Math.max(largest, Math.abs(value));
  if (!Number.isFinite(largest) || largest === 0) {
    for (const i of index) direction[i] = -g[i]!;
    return "steepest";
  }
  const floor = 1e-10 * largest;
  let modified = false;
  for (let k = 0; k < m; k++) {
    let projection = 0;
    for (let i = 0; i < m; i++) projection += eigen.vectors[i * m + k]! * g[index[i]!]!;
    const value = eigen.values[k]!;
    if (!(value > floor)) modified = true;
    // Clamped along each eigenvector, so that a long step along a flat direction does not
    // shorten the Newton step along the others.
    const length = Math.max(-maxStep, Math.min(maxStep, -projection / Math.max(Math.abs(value), floor)));
    for (let i = 0; i < m; i++) direction[index[i]!]! += eigen.vectors[i * m + k]! * length;
  }
  return modified ? "modified" : "newton";
}

/** Eigenvalues and eigenvectors (columns of `vectors`) of a small symmetric matrix, by cyclic Jacobi rotations. */
function symmetricEigen(matrix: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const a = matrix.slice();
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let offDiagonal = 0;
    let diagonal = 0;
    for (let i = 0; i < m; i++) {
      diagonal += a[i * m + i]! ** 2;
      for (let j = i + 1; j < m; j++) offDiagonal += a[i * m + j]! ** 2;
    }
    if (!(offDiagonal > 1e-30 * diagonal)) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q]!;
        if (apq === 0) continue;
        // The rotation that zeroes a[p][q] (Golub and Van Loan 8.4).
        const theta = (a[q * m + q]! - a[p * m + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = a[k * m + p]!;
          const akq = a[k * m + q]!;
          a[k * m + p] = c * akp - s * akq;
          a[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = a[p * m + k]!;
          const aqk = a[q * m + k]!;
          a[p * m + k] = c * apk - s * aqk;
          a[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p]!;
          const vkq = v[k * m + q]!;
          v[k * m + p] = c * vkp - s * vkq;
          v[k * m + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: m }, (_, i) => a[i * m + i]!), vectors: v };
}

/** Runs from each start in turn until one converges; the best point found wins. */
export function minimiseNewtonFromStarts(
  objective: ObjectiveWithHessian,
  starts: readonly (readonly number[])[],
  options: NewtonOptions,
): MinimiseResult {
  let best: MinimiseResult | null = null;
  let iterations = 0;
  let evaluations = 0;
  for (const start of starts) {
    const result = minimiseNewtonWithBounds(objective, start, options);
    iterations += result.iterations;
    evaluations += result.evaluations;
    if (!best || result.value < best.value || (result.value === best.value && result.converged)) best = result;
    if (best.converged) break;
  }
  return { ...best!, iterations, evaluations };
}
