// Mean silhouette (Rousseeuw 1987) of labelled points: for each point, a = mean distance to its own
// cluster, b = smallest mean distance to another cluster, s = (b − a) / max(a, b); 0 for a point
// alone in its cluster. O(n²): callers pass a sample of a few thousand points.

export function meanSilhouette(points: Float64Array, dims: number, labels: Uint8Array, k: number): number {
  const n = labels.length;
  if (n < 2 || k < 2) return 0;
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i]!]!++;
  const distanceSums = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    distanceSums.fill(0);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let sum = 0;
      for (let d = 0; d < dims; d++) {
        const diff = points[i * dims + d]! - points[j * dims + d]!;
        sum += diff * diff;
      }
      distanceSums[labels[j]!]! += Math.sqrt(sum);
    }
    const own = labels[i]!;
    if (sizes[own]! <= 1) continue;
    const a = distanceSums[own]! / (sizes[own]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, distanceSums[c]! / sizes[c]!);
    if (!Number.isFinite(b)) continue;
    const largest = Math.max(a, b);
    total += largest > 0 ? (b - a) / largest : 0;
  }
  return total / n;
}
