// The BG/NBD repeat-purchase model (Fader, Hardie and Lee 2005, "Counting Your Customers the Easy
// Way"): while alive a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase they drop
// out with probability p ~ Beta(a, b). Fitted by maximum likelihood on groups of customers sharing
// (x, t_x, T), in log space, with Newton's method on the exact Hessian (bg-nbd-likelihood.ts).
import { createNegativeMeanLogLikelihood, prepareGroups, sampleRepeatGroups } from "./bg-nbd-likelihood";
import { minimiseNewtonFromStarts } from "./bounded-newton";
import { hyp2f1 } from "./hypergeometric";

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgNbdFit extends BgNbdParams {
  logLikelihood: number;
  converged: boolean;
  iterations: number;
}

/** Customers sharing one (frequency x, recency t_x, age T), times in periods. */
export interface PurchaseGroup {
  frequency: number;
  recency: number;
  T: number;
  count: number;
}

/** Every parameter is kept in [1e-4, 1e4] (α relative to the mean age, see `fitBgNbd`). */
export const BG_NBD_PARAMETER_BOUNDS = { lower: 1e-4, upper: 1e4 } as const;

const SAMPLED_START_MIN_GROUPS = 50_000;
const SAMPLED_START_STRIDE = 16;

const STARTS: readonly (readonly [number, number, number, number])[] = [
  [1, 1, 1, 1],
  [0.3, 0.2, 0.8, 2.5],
  [3, 3, 0.3, 3],
];

/**
 * Maximum-likelihood fit. Times are divided by the mean age before fitting so that α lives near 1
 * whatever the period (α scales with time, r, a and b do not); α and the log-likelihood are
 * reported in the input's units.
 */
export function fitBgNbd(groups: readonly PurchaseGroup[]): BgNbdFit {
  const data = prepareGroups(groups);
  // Nothing to fit: zeros rather than NaN, flagged as not converged.
  if (!data) return { r: 0, alpha: 0, a: 0, b: 0, logLikelihood: 0, converged: false, iterations: 0 };
  const objective = createNegativeMeanLogLikelihood(data);
  const lower = Array<number>(4).fill(Math.log(BG_NBD_PARAMETER_BOUNDS.lower));
  const upper = Array<number>(4).fill(Math.log(BG_NBD_PARAMETER_BOUNDS.upper));

  let starts = STARTS.map((start) => start.map(Math.log));
  // On a large shop Newton's first steps, far from the optimum, run on a sample of the groups;
  // the full data then needs two or three steps from the sample's optimum instead of eight.
  if (data.repeat.count.length >= SAMPLED_START_MIN_GROUPS) {
    const sample = createNegativeMeanLogLikelihood(sampleRepeatGroups(data, SAMPLED_START_STRIDE));
    const warm = minimiseNewtonFromStarts(sample, starts, { lower, upper, gradientTolerance: 1e-6 });
    if (warm.converged) starts = [Array.from(warm.x), ...starts];
  }
  const best = minimiseNewtonFromStarts(objective, starts, { lower, upper, gradientTolerance: 1e-9 });
  const iterations = best.iterations;
  const [r, alphaScaled, a, b] = Array.from(best.x, Math.exp) as [number, number, number, number];
  return {
    r,
    alpha: alphaScaled * data.timeScale,
    a,
    b,
    // Rescaling time by s multiplies each likelihood by s^−x (a density in t_x and T).
    logLikelihood: -best.value * data.totalCount - data.totalRepeats * Math.log(data.timeScale),
    converged: best.converged,
    iterations,
  };
}

/** P(alive | x, t_x, T) = 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)). */
export function probabilityAlive(params: BgNbdParams, frequency: number, recency: number, T: number): number {
  if (frequency <= 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds =
    Math.log(a) - Math.log(b + frequency - 1) + (r + frequency) * (Math.log(alpha + T) - Math.log(alpha + recency));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[Y(t) | x, t_x, T], equation (10) of Fader, Hardie and Lee (2005). The factor
 * ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z) is rewritten with Euler's transformation as
 * (1−z)^(a−1) · 2F1(a+b−1−r, a−1; a+b+x−1; z), which stays small for large x.
 */
export function expectedPurchases(
  params: BgNbdParams,
  horizon: number,
  frequency: number,
  recency: number,
  T: number,
): number {
  if (!(horizon > 0)) return 0;
  const { a } = params;
  // At a = 1 the formula is 0/0; its limit is the mean of the values just either side.
  if (Math.abs(a - 1) < 1e-5) {
    const below = expectedPurchasesAwayFromOne({ ...params, a: 1 - 1e-5 }, horizon, frequency, recency, T);
    const above = expectedPurchasesAwayFromOne({ ...params, a: 1 + 1e-5 }, horizon, frequency, recency, T);
    return (below + above) / 2;
  }
  return expectedPurchasesAwayFromOne(params, horizon, frequency, recency, T);
}

function expectedPurchasesAwayFromOne(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  const z = t / (alpha + T + t);
  const c = a + b + x - 1;
  const transformed = Math.pow(1 - z, a - 1) * hyp2f1(a + b - 1 - r, a - 1, c, z);
  const whileAlive = ((a + b + x - 1) / (a - 1)) * (1 - transformed);
  const value = whileAlive * probabilityAlive(params, x, tx, T);
  return Number.isFinite(value) && value > 0 ? value : 0;
}
