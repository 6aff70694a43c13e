// The BG/NBD repeat-purchase model (Fader, Hardie and Lee 2005, "Counting Your Customers the Easy
// Way"): while alive a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase they drop
// out with probability p ~ Beta(a, b). Fitted by maximum likelihood on groups of customers sharing
// (x, t_x, T), in log space.
import { minimiseWithRestarts } from "./bounded-minimiser";
import { hyp2f1 } from "./hypergeometric";
import { digamma, lgamma } from "./special-functions";

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

  const best = minimiseWithRestarts(
    objective,
    STARTS.map((start) => start.map(Math.log)),
    {
      lower,
      upper,
      gradientTolerance: 1e-9,
    },
  );
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

interface PreparedGroups {
  n: number;
  count: Float64Array;
  x: Float64Array;
  xIndex: Int32Array;
  distinctX: Float64Array;
  countByX: Float64Array;
  tIndex: Int32Array;
  recencyIndex: Int32Array;
  distinctTimes: Float64Array;
  totalCount: number;
  totalRepeats: number;
  timeScale: number;
}

function prepareGroups(groups: readonly PurchaseGroup[]): PreparedGroups | null {
  const kept = groups.filter(
    (g) => g.count > 0 && g.frequency >= 0 && g.recency >= 0 && g.T >= g.recency && Number.isFinite(g.T),
  );
  if (kept.length === 0) return null;
  let totalCount = 0;
  let totalRepeats = 0;
  let weightedT = 0;
  for (const g of kept) {
    totalCount += g.count;
    totalRepeats += g.count * g.frequency;
    weightedT += g.count * g.T;
  }
  const timeScale = weightedT > 0 ? weightedT / totalCount : 1;

  // Few distinct frequencies and ages recur across many groups: their logs are computed once per value.
  const distinctX = Float64Array.from(new Set(kept.map((g) => g.frequency))).sort();
  const xPosition = new Map(Array.from(distinctX, (v, i) => [v, i]));
  const timeValues = new Set<number>();
  for (const g of kept) timeValues.add(g.T / timeScale).add(g.recency / timeScale);
  const distinctTimes = Float64Array.from(timeValues).sort();
  const timePosition = new Map(Array.from(distinctTimes, (v, i) => [v, i]));

  const n = kept.length;
  const prepared: PreparedGroups = {
    n,
    count: new Float64Array(n),
    x: new Float64Array(n),
    xIndex: new Int32Array(n),
    distinctX,
    countByX: new Float64Array(distinctX.length),
    tIndex: new Int32Array(n),
    recencyIndex: new Int32Array(n),
    distinctTimes,
    totalCount,
    totalRepeats,
    timeScale,
  };
  kept.forEach((g, i) => {
    prepared.count[i] = g.count;
    prepared.x[i] = g.frequency;
    prepared.xIndex[i] = xPosition.get(g.frequency)!;
    prepared.countByX[prepared.xIndex[i]!]! += g.count;
    prepared.tIndex[i] = timePosition.get(g.T / timeScale)!;
    prepared.recencyIndex[i] = timePosition.get(g.recency / timeScale)!;
  });
  return prepared;
}

// ℓ = lnΓ(r+x) − lnΓ(r) + r ln α + lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x)
//     + ln[(α+T)^−(r+x) + 1{x>0} · a/(b+x−1) · (α+t_x)^−(r+x)]
// The last term is a log-sum-exp; its gradient uses the share p₂ of the second summand.
function createNegativeMeanLogLikelihood(data: PreparedGroups) {
  const { n, count, x, xIndex, distinctX, countByX, tIndex, recencyIndex, distinctTimes, totalCount } = data;
  const logTime = new Float64Array(distinctTimes.length);
  const inverseTime = new Float64Array(distinctTimes.length);
  const logDropoutOdds = new Float64Array(distinctX.length);
  const inverseBxMinus1 = new Float64Array(distinctX.length);

  return (theta: Float64Array, gradient: Float64Array): number => {
    const r = Math.exp(theta[0]!);
    const alpha = Math.exp(theta[1]!);
    const a = Math.exp(theta[2]!);
    const b = Math.exp(theta[3]!);

    let ll = totalCount * (r * Math.log(alpha) + lgamma(a + b) - lgamma(b));
    let dr = totalCount * Math.log(alpha);
    let dAlpha = (totalCount * r) / alpha;
    let da = totalCount * digamma(a + b);
    let db = totalCount * (digamma(a + b) - digamma(b));
    const digammaR = digamma(r);
    const lgammaR = lgamma(r);
    for (let k = 0; k < distinctX.length; k++) {
      const xk = distinctX[k]!;
      const c = countByX[k]!;
      ll += c * (lgamma(r + xk) - lgammaR + lgamma(b + xk) - lgamma(a + b + xk));
      dr += c * (digamma(r + xk) - digammaR);
      da -= c * digamma(a + b + xk);
      db += c * (digamma(b + xk) - digamma(a + b + xk));
      logDropoutOdds[k] = xk > 0 ? Math.log(a) - Math.log(b + xk - 1) : Number.NEGATIVE_INFINITY;
      inverseBxMinus1[k] = xk > 0 ? 1 / (b + xk - 1) : 0;
    }
    for (let k = 0; k < distinctTimes.length; k++) {
      logTime[k] = Math.log(alpha + distinctTimes[k]!);
      inverseTime[k] = 1 / (alpha + distinctTimes[k]!);
    }

    for (let i = 0; i < n; i++) {
      const w = count[i]!;
      const rx = r + x[i]!;
      const ti = tIndex[i]!;
      const e1 = -rx * logTime[ti]!;
      const xk = xIndex[i]!;
      if (x[i]! === 0) {
        ll += w * e1;
        dr -= w * logTime[ti]!;
        dAlpha -= w * rx * inverseTime[ti]!;
        continue;
      }
      const ri = recencyIndex[i]!;
      const e2 = logDropoutOdds[xk]! - rx * logTime[ri]!;
      const q = Math.exp(-Math.abs(e1 - e2));
      const p2 = e2 >= e1 ? 1 / (1 + q) : q / (1 + q);
      const p1 = 1 - p2;
      ll += w * (Math.max(e1, e2) + Math.log1p(q));
      dr -= w * (p1 * logTime[ti]! + p2 * logTime[ri]!);
      dAlpha -= w * rx * (p1 * inverseTime[ti]! + p2 * inverseTime[ri]!);
      da += (w * p2) / a;
      db -= w * p2 * inverseBxMinus1[xk]!;
    }

    // Chain rule to log-parameters; the mean keeps the tolerance independent of the shop's size.
    gradient[0] = (-dr * r) / totalCount;
    gradient[1] = (-dAlpha * alpha) / totalCount;
    gradient[2] = (-da * a) / totalCount;
    gradient[3] = (-db * b) / totalCount;
    const value = -ll / totalCount;
    return Number.isFinite(value) && gradient.every(Number.isFinite) ? value : Number.POSITIVE_INFINITY;
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
