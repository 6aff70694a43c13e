// The Gamma-Gamma spend model (Fader and Hardie 2013, "The Gamma-Gamma Model of Monetary Value"):
// each transaction's value is Gamma(p, ν) and the customer's ν is Gamma(q, v) across customers. The
// likelihood is of a customer's mean repeat-transaction value m given x repeat transactions.
import { minimiseWithRestarts } from "./bounded-minimiser";
import { digamma, lgamma } from "./special-functions";

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

export interface GammaGammaFit extends GammaGammaParams {
  logLikelihood: number;
  converged: boolean;
  /** Customers (with their counts) that entered the fit. */
  customers: number;
}

export interface SpendSummary {
  frequency: number;
  monetaryValue: number;
  /** How many customers share this (frequency, monetaryValue); 1 by default. */
  count?: number;
}

const BOUNDS = { lower: 1e-4, upper: 1e4 } as const;
const STARTS: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [5, 3, 10],
  [0.5, 5, 0.5],
];

/**
 * Maximum-likelihood fit on customers with at least one repeat purchase and positive mean spend
 * (a zero-value purchase is a purchase, but the Gamma density has no mass at 0). Spend is divided by
 * its mean before fitting, so v is fitted near 1 and reported in the input's units.
 */
export function fitGammaGamma(customers: readonly SpendSummary[]): GammaGammaFit {
  const kept = customers.filter(
    (c) => c.frequency > 0 && c.monetaryValue > 0 && Number.isFinite(c.monetaryValue) && (c.count ?? 1) > 0,
  );
  let total = 0;
  let weightedSpend = 0;
  for (const c of kept) {
    total += c.count ?? 1;
    weightedSpend += (c.count ?? 1) * c.monetaryValue;
  }
  // No customer can enter the fit: zeros rather than NaN, flagged as not converged.
  if (total === 0) return { p: 0, q: 0, v: 0, logLikelihood: 0, converged: false, customers: 0 };
  const spendScale = weightedSpend / total;

  const n = kept.length;
  const x = Float64Array.from(kept, (c) => c.frequency);
  const m = Float64Array.from(kept, (c) => c.monetaryValue / spendScale);
  const w = Float64Array.from(kept, (c) => c.count ?? 1);
  const logM = m.map(Math.log);
  const logX = x.map(Math.log);
  const distinctX = Float64Array.from(new Set(x)).sort();
  const xPosition = new Map(Array.from(distinctX, (value, i) => [value, i]));
  const xIndex = Int32Array.from(x, (value) => xPosition.get(value)!);
  const countByX = new Float64Array(distinctX.length);
  xIndex.forEach((k, i) => (countByX[k]! += w[i]!));
  const gammaTerms = new Float64Array(distinctX.length);
  const digammaTerms = new Float64Array(distinctX.length);

  // ℓ = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln v + (px−1) ln m + px ln x − (px+q) ln(xm+v)
  const objective = (theta: Float64Array, gradient: Float64Array): number => {
    const p = Math.exp(theta[0]!);
    const q = Math.exp(theta[1]!);
    const v = Math.exp(theta[2]!);
    const lgammaQ = lgamma(q);
    const digammaQ = digamma(q);
    let ll = 0;
    let dq = 0;
    for (let k = 0; k < distinctX.length; k++) {
      const px = p * distinctX[k]!;
      gammaTerms[k] = lgamma(px + q) - lgamma(px) - lgammaQ;
      digammaTerms[k] = digamma(px + q) - digamma(px);
      ll += countByX[k]! * gammaTerms[k]!;
      dq += countByX[k]! * (digamma(px + q) - digammaQ);
    }
    const logV = Math.log(v);
    let dp = 0;
    let dv = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      const px = p * xi;
      const sum = xi * m[i]! + v;
      const logSum = Math.log(sum);
      const wi = w[i]!;
      ll += wi * (q * logV + (px - 1) * logM[i]! + px * logX[i]! - (px + q) * logSum);
      dp += wi * xi * (digammaTerms[xIndex[i]!]! + logM[i]! + logX[i]! - logSum);
      dq += wi * (logV - logSum);
      dv += wi * (q / v - (px + q) / sum);
    }
    gradient[0] = (-dp * p) / total;
    gradient[1] = (-dq * q) / total;
    gradient[2] = (-dv * v) / total;
    const value = -ll / total;
    return Number.isFinite(value) && gradient.every(Number.isFinite) ? value : Number.POSITIVE_INFINITY;
  };

  const lower = [Math.log(BOUNDS.lower), Math.log(BOUNDS.lower), Math.log(BOUNDS.lower)];
  const upper = [Math.log(BOUNDS.upper), Math.log(BOUNDS.upper), Math.log(BOUNDS.upper)];
  const best = minimiseWithRestarts(
    objective,
    STARTS.map((start) => start.map(Math.log)),
    {
      lower,
      upper,
      gradientTolerance: 1e-9,
    },
  );
  const [p, q, vScaled] = Array.from(best.x, Math.exp) as [number, number, number];
  return {
    p,
    q,
    v: vScaled * spendScale,
    // The density of m in the input's units is the scaled density divided by the scale.
    logLikelihood: -best.value * total - total * Math.log(spendScale),
    converged: best.converged,
    customers: total,
  };
}

/**
 * E[M | x, m̄] = (p(v + x m̄)) / (px + q − 1), a weighted mean of the population mean pv/(q−1) and
 * the customer's own mean. Without repeat purchases it is the population mean; when q ≤ 1 that
 * mean is infinite, so the customer's own mean (or null) is returned instead.
 */
export function expectedAverageOrderValue(params: GammaGammaParams, frequency: number, monetaryValue: number): number {
  const { p, q, v } = params;
  const x = frequency > 0 && monetaryValue > 0 ? frequency : 0;
  const denominator = p * x + q - 1;
  if (!(denominator > 0)) return monetaryValue;
  const value = (p * (v + x * (x > 0 ? monetaryValue : 0))) / denominator;
  return Number.isFinite(value) ? value : monetaryValue;
}
