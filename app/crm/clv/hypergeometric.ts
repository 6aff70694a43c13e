// Gauss hypergeometric function 2F1(a, b; c; z) for the real arguments the BG/NBD model needs.
// z in [0, 1): the power series, summed until a term no longer changes the sum.
// z < 0: Pfaff's transformation 2F1(a, b; c; z) = (1 − z)^−a · 2F1(a, c − b; c; z / (z − 1)),
// which moves the argument into [0, 1).

const MAX_TERMS = 1_000_000;
const RELATIVE_TOLERANCE = 1e-15;

export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (![a, b, c, z].every(Number.isFinite)) return Number.NaN;
  if (z >= 1) return Number.NaN; // diverges or needs the analytic continuation the models never use
  if (c <= 0 && Number.isInteger(c)) return Number.NaN; // pole of the function
  if (z < 0) return Math.pow(1 - z, -a) * hyp2f1Series(a, c - b, c, z / (z - 1));
  return hyp2f1Series(a, b, c, z);
}

function hyp2f1Series(a: number, b: number, c: number, z: number): number {
  if (z === 0 || a === 0 || b === 0) return 1;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    // A non-positive integer a or b ends the series as a polynomial.
    if (term === 0) return sum;
    // Once the ratio of successive terms is below 1 the tail is bounded by a geometric series.
    if (Math.abs(term) <= RELATIVE_TOLERANCE * Math.abs(sum) && n > Math.max(a, b, 0) - c) return sum;
    if (!Number.isFinite(sum)) return sum;
  }
  return sum;
}
