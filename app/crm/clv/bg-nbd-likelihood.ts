// The BG/NBD log-likelihood of customer groups with its gradient and Hessian in the
// log-parameters (ln r, ln α, ln a, ln b), for Newton's method (see bg-nbd.ts for the model).
import type { PurchaseGroup } from "./bg-nbd";
import { DistinctValueIndex } from "./distinct-values";
import { digamma, lgamma, trigamma } from "./special-functions";

export interface PreparedGroups {
  /**
   * Groups with repeat purchases as parallel arrays, ordered by frequency: those with
   * frequency distinctX[k] are start[k] ≤ i < start[k + 1].
   */
  repeat: {
    start: Int32Array;
    count: Float64Array;
    tIndex: Int32Array;
    recencyIndex: Int32Array;
  };
  /** Customers without repeat purchases, by the index of their age (their term depends on T only). */
  oneTimeCountByT: Float64Array;
  distinctX: Float64Array;
  countByX: Float64Array;
  /** Distinct ages and recencies, divided by `timeScale`. */
  distinctTimes: Float64Array;
  totalCount: number;
  totalRepeats: number;
  timeScale: number;
}

export function prepareGroups(groups: readonly PurchaseGroup[]): PreparedGroups | null {
  // Few distinct frequencies and ages recur across many groups: each group keeps the positions
  // of its values, whose logs are then computed once per distinct value.
  const frequencies = new DistinctValueIndex();
  const times = new DistinctValueIndex();
  const xIndexOf = new Int32Array(groups.length);
  const tIndexOf = new Int32Array(groups.length);
  const recencyIndexOf = new Int32Array(groups.length);
  const groupCount = new Float64Array(groups.length);
  let n = 0;
  let totalCount = 0;
  let totalRepeats = 0;
  let weightedT = 0;
  for (const g of groups) {
    if (!(g.count > 0 && g.frequency >= 0 && g.recency >= 0 && g.T >= g.recency && Number.isFinite(g.T))) continue;
    xIndexOf[n] = frequencies.positionOf(g.frequency);
    tIndexOf[n] = times.positionOf(g.T);
    recencyIndexOf[n] = g.frequency > 0 ? times.positionOf(g.recency) : -1;
    groupCount[n] = g.count;
    n++;
    totalCount += g.count;
    totalRepeats += g.count * g.frequency;
    weightedT += g.count * g.T;
  }
  if (n === 0) return null;
  const timeScale = weightedT > 0 ? weightedT / totalCount : 1;
  const distinctX = frequencies.values();
  const distinctTimes = times.values().map((time) => time / timeScale);

  const oneTimeCountByT = new Float64Array(distinctTimes.length);
  const countByX = new Float64Array(distinctX.length);
  const groupsByX = new Int32Array(distinctX.length + 1);
  for (let i = 0; i < n; i++) {
    countByX[xIndexOf[i]!]! += groupCount[i]!;
    if (distinctX[xIndexOf[i]!]! > 0) groupsByX[xIndexOf[i]! + 1]!++;
  }
  for (let k = 0; k < distinctX.length; k++) groupsByX[k + 1]! += groupsByX[k]!;
  const repeatGroups = groupsByX[distinctX.length]!;
  const repeat = {
    start: groupsByX.slice(),
    count: new Float64Array(repeatGroups),
    tIndex: new Int32Array(repeatGroups),
    recencyIndex: new Int32Array(repeatGroups),
  };
  // A counting sort by frequency: groupsByX[k] becomes the next free slot of frequency k.
  for (let i = 0; i < n; i++) {
    if (distinctX[xIndexOf[i]!] === 0) {
      oneTimeCountByT[tIndexOf[i]!]! += groupCount[i]!;
      continue;
    }
    const slot = groupsByX[xIndexOf[i]!]!++;
    repeat.count[slot] = groupCount[i]!;
    repeat.tIndex[slot] = tIndexOf[i]!;
    repeat.recencyIndex[slot] = recencyIndexOf[i]!;
  }
  return { repeat, oneTimeCountByT, distinctX, countByX, distinctTimes, totalCount, totalRepeats, timeScale };
}

/**
 * The negative mean log-likelihood (the mean keeps the tolerance independent of the shop's
 * size) at θ = (ln r, ln α, ln a, ln b), its gradient and its Hessian (row-major 4 × 4). Per
 * group, with times divided by `timeScale`:
 *   ℓ = lnΓ(r+x) − lnΓ(r) + r ln α + lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x) + ln(e^E₁ + e^E₂)
 *   E₁ = −(r+x) ln(α+T),  E₂ = ln a − ln(b+x−1) − (r+x) ln(α+t_x)  (only when x > 0)
 * The log-sum-exp has gradient p₁∇E₁ + p₂∇E₂ (p the shares of the two summands) and Hessian
 * p₁∇²E₁ + p₂∇²E₂ + p₁p₂ (∇E₁ − ∇E₂)(∇E₁ − ∇E₂)ᵀ.
 */
export function createNegativeMeanLogLikelihood(data: PreparedGroups) {
  const { repeat, oneTimeCountByT, distinctX, countByX, distinctTimes, totalCount } = data;
  const { start, count, tIndex, recencyIndex } = repeat;
  const logTime = new Float64Array(distinctTimes.length);
  const inverseTime = new Float64Array(distinctTimes.length);
  const grad = new Float64Array(4);
  const hess = new Float64Array(16);

  return (theta: Float64Array, gradient: Float64Array, hessian: Float64Array): number => {
    const r = Math.exp(theta[0]!);
    const alpha = Math.exp(theta[1]!);
    const a = Math.exp(theta[2]!);
    const b = Math.exp(theta[3]!);
    const N = totalCount;
    grad.fill(0);
    hess.fill(0);

    // The gamma-function terms, by distinct x.
    let ll = N * (r * Math.log(alpha) + lgamma(a + b) - lgamma(b));
    grad[0] = N * Math.log(alpha);
    grad[1] = (N * r) / alpha;
    grad[2] = N * digamma(a + b);
    grad[3] = N * (digamma(a + b) - digamma(b));
    hess[1] = N / alpha; // ∂r∂α
    hess[5] = (-N * r) / (alpha * alpha); // ∂α∂α
    hess[10] = N * trigamma(a + b); // ∂a∂a
    hess[11] = N * trigamma(a + b); // ∂a∂b
    hess[15] = N * (trigamma(a + b) - trigamma(b)); // ∂b∂b
    const lgammaR = lgamma(r);
    const digammaR = digamma(r);
    const trigammaR = trigamma(r);
    for (let k = 0; k < distinctX.length; k++) {
      const xk = distinctX[k]!;
      const c = countByX[k]!;
      ll += c * (lgamma(r + xk) - lgammaR + lgamma(b + xk) - lgamma(a + b + xk));
      grad[0]! += c * (digamma(r + xk) - digammaR);
      grad[2]! -= c * digamma(a + b + xk);
      grad[3]! += c * (digamma(b + xk) - digamma(a + b + xk));
      const trigammaABX = trigamma(a + b + xk);
      hess[0]! += c * (trigamma(r + xk) - trigammaR);
      hess[10]! -= c * trigammaABX;
      hess[11]! -= c * trigammaABX;
      hess[15]! += c * (trigamma(b + xk) - trigammaABX);
    }
    for (let k = 0; k < distinctTimes.length; k++) {
      logTime[k] = Math.log(alpha + distinctTimes[k]!);
      inverseTime[k] = 1 / (alpha + distinctTimes[k]!);
    }

    // One-time buyers: ln(e^E₁) = −r ln(α+T).
    for (let k = 0; k < distinctTimes.length; k++) {
      const w = oneTimeCountByT[k]!;
      if (w === 0) continue;
      ll -= w * r * logTime[k]!;
      grad[0]! -= w * logTime[k]!;
      grad[1]! -= w * r * inverseTime[k]!;
      hess[1]! -= w * inverseTime[k]!;
      hess[5]! += w * r * inverseTime[k]! * inverseTime[k]!;
    }

    // Repeat buyers, frequency by frequency. With δ = 1/(α+t_x) − 1/(α+T), d = ∇E₁ − ∇E₂ =
    // (ln(α+t_x) − ln(α+T), (r+x)δ, −1/a, 1/(b+x−1)): the factors that depend on x alone are
    // applied once per frequency to sums over its groups (u = w p₁ p₂).
    let sumLogMix = 0;
    let sumP2 = 0;
    let sumP2InvB = 0;
    let sumP2InvB2 = 0;
    let sumU = 0;
    let sumUd0 = 0;
    let sumUd0d0 = 0;
    let sumUd1 = 0;
    let sumUd3 = 0;
    let sumUd0d1 = 0;
    let sumUd0d3 = 0;
    let sumUd1d1 = 0;
    let sumUd1d3 = 0;
    let sumUd3d3 = 0;
    const logA = Math.log(a);
    for (let k = 0; k < distinctX.length; k++) {
      if (start[k] === start[k + 1]) continue;
      const xk = distinctX[k]!;
      const rx = r + xk;
      const logDropoutOdds = logA - Math.log(b + xk - 1);
      const invB = 1 / (b + xk - 1);
      let invMix = 0;
      let inv2Mix = 0;
      let p2 = 0;
      let u = 0;
      let ud0 = 0;
      let ud0d0 = 0;
      let uDelta = 0;
      let ud0Delta = 0;
      let uDeltaDelta = 0;
      for (let i = start[k]!; i < start[k + 1]!; i++) {
        const w = count[i]!;
        const ti = tIndex[i]!;
        const ri = recencyIndex[i]!;
        const logT = logTime[ti]!;
        const logR = logTime[ri]!;
        const invT = inverseTime[ti]!;
        const invR = inverseTime[ri]!;
        const e1 = -rx * logT;
        const e2 = logDropoutOdds - rx * logR;
        const q = Math.exp(-Math.abs(e2 - e1));
        ll += w * (Math.max(e1, e2) + Math.log1p(q));
        const larger = 1 / (1 + q);
        const smaller = q * larger;
        const share2 = e2 > e1 ? larger : smaller;
        const share1 = e2 > e1 ? smaller : larger;
        const wp2 = w * share2;
        sumLogMix += w * (share1 * logT + share2 * logR);
        invMix += w * (share1 * invT + share2 * invR);
        inv2Mix += w * (share1 * invT * invT + share2 * invR * invR);
        p2 += wp2;
        const wu = wp2 * share1;
        const d0 = logR - logT;
        const delta = invR - invT;
        const wud0 = wu * d0;
        const wuDelta = wu * delta;
        u += wu;
        ud0 += wud0;
        ud0d0 += wud0 * d0;
        uDelta += wuDelta;
        ud0Delta += wud0 * delta;
        uDeltaDelta += wuDelta * delta;
      }
      grad[1]! -= rx * invMix;
      hess[1]! -= invMix;
      hess[5]! += rx * inv2Mix;
      sumP2 += p2;
      sumP2InvB += p2 * invB;
      sumP2InvB2 += p2 * invB * invB;
      sumU += u;
      sumUd0 += ud0;
      sumUd0d0 += ud0d0;
      sumUd1 += rx * uDelta;
      sumUd3 += u * invB;
      sumUd0d1 += rx * ud0Delta;
      sumUd0d3 += ud0 * invB;
      sumUd1d1 += rx * rx * uDeltaDelta;
      sumUd1d3 += rx * uDelta * invB;
      sumUd3d3 += u * invB * invB;
    }
    grad[0]! -= sumLogMix;
    grad[2]! += sumP2 / a;
    grad[3]! -= sumP2InvB;
    hess[0]! += sumUd0d0;
    hess[1]! += sumUd0d1;
    hess[2]! -= sumUd0 / a;
    hess[3]! += sumUd0d3;
    hess[5]! += sumUd1d1;
    hess[6]! -= sumUd1 / a;
    hess[7]! += sumUd1d3;
    hess[10]! += (sumU - sumP2) / (a * a);
    hess[11]! -= sumUd3 / a;
    hess[15]! += sumUd3d3 + sumP2InvB2;

    // Chain rule to θ = ln p: ∂²/∂θᵢ∂θⱼ = pᵢ pⱼ ∂²/∂pᵢ∂pⱼ + [i = j] pᵢ ∂/∂pᵢ; then the negative mean.
    const p = [r, alpha, a, b];
    let finite = true;
    for (let i = 0; i < 4; i++) {
      gradient[i] = (-grad[i]! * p[i]!) / N;
      for (let j = i; j < 4; j++) {
        const value = (-(p[i]! * p[j]! * hess[i * 4 + j]!) - (i === j ? p[i]! * grad[i]! : 0)) / N;
        hessian[i * 4 + j] = value;
        hessian[j * 4 + i] = value;
        finite &&= Number.isFinite(value);
      }
      finite &&= Number.isFinite(gradient[i]!);
    }
    const value = -ll / N;
    return Number.isFinite(value) && finite ? value : Number.POSITIVE_INFINITY;
  };
}

/**
 * Every `stride`-th repeat group with its count multiplied by `stride`: the likelihood of the
 * sample estimates the full one without bias, so its optimum is a close start for the full fit.
 */
export function sampleRepeatGroups(data: PreparedGroups, stride: number): PreparedGroups {
  const { start, count, tIndex, recencyIndex } = data.repeat;
  const size = Math.ceil(count.length / stride);
  const sampled = {
    start: new Int32Array(start.length),
    count: new Float64Array(size),
    tIndex: new Int32Array(size),
    recencyIndex: new Int32Array(size),
  };
  let next = 0;
  for (let k = 0; k + 1 < start.length; k++) {
    for (let i = Math.ceil(start[k]! / stride) * stride; i < start[k + 1]!; i += stride) {
      sampled.count[next] = count[i]! * stride;
      sampled.tIndex[next] = tIndex[i]!;
      sampled.recencyIndex[next] = recencyIndex[i]!;
      next++;
    }
    sampled.start[k + 1] = next;
  }
  return { ...data, repeat: sampled };
}
