// A small BFGS minimiser with box bounds (projected steps, active bounds frozen) for the model fits.
// The fits are 3- or 4-parameter problems on log-parameters with analytic gradients, so BFGS
// converges in tens of evaluations where Nelder–Mead needs hundreds.

export interface MinimiseResult {
  x: Float64Array;
  value: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
}

/** Writes the gradient into `gradient` and returns the value; a non-finite value rejects the point. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface MinimiseOptions {
  lower: readonly number[];
  upper: readonly number[];
  maxIterations?: number;
  gradientTolerance?: number;
}

export function minimiseWithBounds(
  objective: Objective,
  start: readonly number[],
  options: MinimiseOptions,
): MinimiseResult {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.gradientTolerance ?? 1e-10;
  const project = (v: Float64Array) => {
    for (let i = 0; i < n; i++) v[i] = Math.min(options.upper[i]!, Math.max(options.lower[i]!, v[i]!));
  };

  const x = Float64Array.from(start);
  project(x);
  const g = new Float64Array(n);
  let evaluations = 1;
  let value = objective(x, g);
  if (!Number.isFinite(value)) return { x, value, converged: false, iterations: 0, evaluations };

  let h = identity(n);
  let curvatureIsFresh = true;
  const trial = new Float64Array(n);
  const trialGradient = new Float64Array(n);
  const direction = new Float64Array(n);
  const free = new Uint8Array(n);
  let converged = false;
  let iterations = 0;

  for (; iterations < maxIterations; iterations++) {
    // A bound is active when x sits on it and the gradient pushes further out.
    let projectedGradientNorm = 0;
    for (let i = 0; i < n; i++) {
      const atLower = x[i]! <= options.lower[i]! && g[i]! > 0;
      const atUpper = x[i]! >= options.upper[i]! && g[i]! < 0;
      free[i] = atLower || atUpper ? 0 : 1;
      if (free[i]) projectedGradientNorm = Math.max(projectedGradientNorm, Math.abs(g[i]!));
    }
    if (projectedGradientNorm < tolerance) {
      converged = true;
      break;
    }

    let slope = 0;
    for (let i = 0; i < n; i++) {
      let d = 0;
      if (free[i]) for (let j = 0; j < n; j++) if (free[j]) d -= h[i * n + j]! * g[j]!;
      direction[i] = d;
      slope += d * g[i]!;
    }
    if (!(slope < 0)) {
      // Not a descent direction: fall back to steepest descent and forget the curvature.
      h = identity(n);
      curvatureIsFresh = true;
      slope = 0;
      for (let i = 0; i < n; i++) {
        direction[i] = free[i] ? -g[i]! : 0;
        slope -= free[i] ? g[i]! * g[i]! : 0;
      }
    }

    // Backtracking line search (Armijo) along the projected path.
    let step = 1;
    let trialValue = Number.POSITIVE_INFINITY;
    let accepted = false;
    for (let attempt = 0; attempt < 60; attempt++) {
      for (let i = 0; i < n; i++) trial[i] = x[i]! + step * direction[i]!;
      project(trial);
      evaluations++;
      trialValue = objective(trial, trialGradient);
      if (Number.isFinite(trialValue) && trialValue <= value + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= attempt < 3 ? 0.5 : 0.2;
    }
    if (!accepted) {
      // No progress along the direction: converged to working precision unless curvature was stale.
      if (curvatureIsFresh) {
        converged = projectedGradientNorm < Math.sqrt(tolerance);
        break;
      }
      h = identity(n);
      curvatureIsFresh = true;
      continue;
    }

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = trial[i]! - x[i]!;
      y[i] = trialGradient[i]! - g[i]!;
      sy += s[i]! * y[i]!;
    }
    const improvement = value - trialValue;
    x.set(trial);
    g.set(trialGradient);
    value = trialValue;
    if (sy > 1e-300) {
      // Before the first update, scale the identity to the observed curvature (Nocedal and Wright 6.20).
      if (curvatureIsFresh) {
        let yy = 0;
        for (let i = 0; i < n; i++) yy += y[i]! * y[i]!;
        for (let i = 0; i < n; i++) h[i * n + i] = sy / yy;
      }
      updateInverseHessian(h, s, y, sy, n);
      curvatureIsFresh = false;
    }
    // Progress below the function's rounding error: as converged as the arithmetic allows.
    if (improvement <= 1e-15 * Math.abs(value) && projectedGradientNorm < Math.sqrt(tolerance)) {
      converged = true;
      break;
    }
  }
  return { x, value, converged, iterations, evaluations };
}

function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
function updateInverseHessian(h: Float64Array, s: Float64Array, y: Float64Array, sy: number, n: number): void {
  const rho = 1 / sy;
  const hy = new Float64Array(n);
  let yhy = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += h[i * n + j]! * y[j]!;
    hy[i] = sum;
    yhy += y[i]! * sum;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      h[i * n + j] = h[i * n + j]! - rho * (hy[i]! * s[j]! + s[i]! * hy[j]!) + (rho * rho * yhy + rho) * s[i]! * s[j]!;
    }
  }
}

/**
 * Minimises from the first start, then restarts once from the optimum with fresh curvature (a
 * stale inverse Hessian can stop BFGS early); further starts are tried only when that does not
 * converge. The best point found wins.
 */
export function minimiseWithRestarts(
  objective: Objective,
  starts: readonly (readonly number[])[],
  options: MinimiseOptions,
): MinimiseResult {
  let best: MinimiseResult | null = null;
  let iterations = 0;
  let evaluations = 0;
  for (const start of starts) {
    const first = minimiseWithBounds(objective, start, options);
    const confirmed = Number.isFinite(first.value)
      ? minimiseWithBounds(objective, Array.from(first.x), options)
      : first;
    iterations += first.iterations + (confirmed === first ? 0 : confirmed.iterations);
    evaluations += first.evaluations + (confirmed === first ? 0 : confirmed.evaluations);
    const result = confirmed.value <= first.value ? confirmed : first;
    if (!best || result.value < best.value) best = result;
    if (best.converged) break;
  }
  return { ...best!, iterations, evaluations };
}
