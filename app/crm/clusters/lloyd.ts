// k-means on row-major points (n × dims in one Float64Array): k-means++ seeding, then Lloyd's
// iterations. Typed arrays throughout so a million customers never become a million objects.

export interface KMeansResult {
  centroids: Float64Array; // k × dims
  assignments: Uint8Array;
  iterations: number;
}

export function kMeansPlusPlus(points: Float64Array, dims: number, k: number, random: () => number): Float64Array {
  const n = points.length / dims;
  const centroids = new Float64Array(k * dims);
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let chosen = Math.floor(random() * n);
  for (let c = 0; c < k; c++) {
    centroids.set(points.subarray(chosen * dims, chosen * dims + dims), c * dims);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = squaredDistance(points, i * dims, centroids, c * dims, dims);
      if (d < nearest[i]!) nearest[i] = d;
      total += nearest[i]!;
    }
    if (c === k - 1) break;
    // The next centre is drawn with probability proportional to the squared distance to the nearest one.
    let target = random() * total;
    chosen = n - 1;
    for (let i = 0; i < n; i++) {
      target -= nearest[i]!;
      if (target < 0) {
        chosen = i;
        break;
      }
    }
  }
  return centroids;
}

export function lloyd(points: Float64Array, dims: number, initial: Float64Array, maxIterations: number): KMeansResult {
  const n = points.length / dims;
  const k = initial.length / dims;
  const centroids = Float64Array.from(initial);
  const assignments = new Uint8Array(n);
  const sums = new Float64Array(k * dims);
  const sizes = new Float64Array(k);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const best = nearestCentroid(points, i * dims, centroids, k, dims);
      if (best !== assignments[i] || iterations === 0) {
        if (best !== assignments[i]) changed++;
        assignments[i] = best;
      }
    }
    sums.fill(0);
    sizes.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignments[i]!;
      sizes[c]!++;
      for (let d = 0; d < dims; d++) sums[c * dims + d]! += points[i * dims + d]!;
    }
    // An emptied cluster keeps its previous centre rather than vanishing.
    for (let c = 0; c < k; c++) {
      if (sizes[c]! === 0) continue;
      for (let d = 0; d < dims; d++) centroids[c * dims + d] = sums[c * dims + d]! / sizes[c]!;
    }
    if (iterations > 0 && changed <= n * 1e-4) break;
  }
  return { centroids, assignments, iterations };
}

export function nearestCentroid(
  points: Float64Array,
  offset: number,
  centroids: Float64Array,
  k: number,
  dims: number,
): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    const d = squaredDistance(points, offset, centroids, c * dims, dims);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

export function squaredDistance(
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  dims: number,
): number {
  let sum = 0;
  for (let d = 0; d < dims; d++) {
    const diff = a[aOffset + d]! - b[bOffset + d]!;
    sum += diff * diff;
  }
  return sum;
}
