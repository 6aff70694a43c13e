// Log-gamma and digamma for the likelihoods (Lanczos and the asymptotic series), guarded so that
// a bad argument gives Infinity or NaN that the optimisers treat as "step rejected", never a throw.

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

export function lgamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return Number.POSITIVE_INFINITY; // the models only take Γ of positive arguments
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  const y = x - 1;
  let series = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) series += LANCZOS[i]! / (y + i);
  const t = y + 7.5;
  return HALF_LOG_TWO_PI + (y + 0.5) * Math.log(t) - t + Math.log(series);
}

export function digamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return Number.NaN;
  let result = 0;
  while (x < 6) {
    result -= 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    result +
    Math.log(x) -
    0.5 * inv -
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))))
  );
}

/** ψ′(x), the derivative of digamma: recurrence up to x ≥ 10, then the asymptotic series. */
export function trigamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return Number.NaN;
  let result = 0;
  while (x < 10) {
    result += 1 / (x * x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    result +
    inv +
    0.5 * inv2 +
    inv * inv2 * (1 / 6 - inv2 * (1 / 30 - inv2 * (1 / 42 - inv2 * (1 / 30 - inv2 * (5 / 66 - inv2 * (691 / 2730))))))
  );
}
