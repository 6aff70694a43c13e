// Customer clusters: k-means on standardised log features (recency, frequency, monetary, predicted
// CLV), k chosen between kMin and kMax by the mean silhouette on a sample, k-means++ with a fixed
// seed, then every customer assigned to the nearest centre and the centres refined on everyone.
import { clusterNames } from "./cluster-names";
import { kMeansPlusPlus, lloyd, nearestCentroid } from "./lloyd";
import { sampleIndices, seededRandom } from "../../lib/seeded-random";
import { meanSilhouette } from "./silhouette";

export interface ClusterFeatures {
  recencyDays: Float64Array;
  frequency: Float64Array;
  monetary: Float64Array;
  clv: Float64Array;
}

/** A cluster's centre as the mean of its members' features in original units, with its name. */
export interface ClusterCentroid {
  cluster: number;
  name: string;
  size: number;
  recencyDays: number;
  frequency: number;
  monetary: number;
  clv: number;
}

export interface ClusterResult {
  k: number;
  assignments: Uint8Array;
  centroids: ClusterCentroid[];
  silhouette: number;
}

export const DEFAULT_CLUSTER_SEED = 20_050_101;
const DIMS = 4;
const FIT_SAMPLE_SIZE = 20_000;
const FULL_REFINEMENT_ITERATIONS = 10;

export function clusterCustomers(
  features: ClusterFeatures,
  options: { seed?: number; kMin?: number; kMax?: number; sampleSize?: number } = {},
): ClusterResult {
  const n = features.recencyDays.length;
  const columns = [features.recencyDays, features.frequency, features.monetary, features.clv];
  if (columns.some((column) => column.length !== n)) throw new RangeError("feature arrays differ in length");
  const random = seededRandom(options.seed ?? DEFAULT_CLUSTER_SEED);
  const points = standardisedLogFeatures(columns, n);
  const distinct = countDistinctUpTo(points, n, (options.kMax ?? 8) + 1);
  const kMin = Math.max(2, options.kMin ?? 2);
  const kMax = Math.min(options.kMax ?? 8, 255, distinct);
  if (n === 0 || kMax < kMin) return singleCluster(features, points, n);

  const fitIndices = sampleIndices(n, FIT_SAMPLE_SIZE, random);
  const fitPoints = gatherRows(points, fitIndices);
  const silhouetteIndices = sampleIndices(fitIndices.length, options.sampleSize ?? 3_000, random);
  const silhouettePoints = gatherRows(fitPoints, silhouetteIndices);

  let best: { k: number; silhouette: number; centroids: Float64Array } = {
    k: kMin,
    silhouette: Number.NEGATIVE_INFINITY,
    centroids: new Float64Array(0),
  };
  for (let k = kMin; k <= kMax; k++) {
    const fitted = lloyd(fitPoints, DIMS, kMeansPlusPlus(fitPoints, DIMS, k, random), 100);
    const labels = new Uint8Array(silhouetteIndices.length);
    for (let i = 0; i < labels.length; i++)
      labels[i] = nearestCentroid(silhouettePoints, i * DIMS, fitted.centroids, k, DIMS);
    const silhouette = meanSilhouette(silhouettePoints, DIMS, labels, k);
    if (silhouette > best.silhouette + 1e-12) best = { k, silhouette, centroids: fitted.centroids };
  }

  const refined = lloyd(points, DIMS, best.centroids, FULL_REFINEMENT_ITERATIONS);
  return describeClusters(features, points, n, best.k, refined.assignments, best.silhouette);
}

function standardisedLogFeatures(columns: Float64Array[], n: number): Float64Array {
  const points = new Float64Array(n * DIMS);
  columns.forEach((column, d) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const value = Math.log1p(Math.max(0, Number.isFinite(column[i]!) ? column[i]! : 0));
      points[i * DIMS + d] = value;
      sum += value;
    }
    const mean = n > 0 ? sum / n : 0;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += (points[i * DIMS + d]! - mean) ** 2;
    const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
    // A feature every customer shares carries no information: it becomes 0 for all.
    for (let i = 0; i < n; i++) points[i * DIMS + d] = sd > 0 ? (points[i * DIMS + d]! - mean) / sd : 0;
  });
  return points;
}

function describeClusters(
  features: ClusterFeatures,
  points: Float64Array,
  n: number,
  k: number,
  assignments: Uint8Array,
  silhouette: number,
): ClusterResult {
  const sums = new Float64Array(k * 8);
  const sizes = new Float64Array(k);
  let minimumFrequency = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const c = assignments[i]!;
    sizes[c]!++;
    const raw = [features.recencyDays[i]!, features.frequency[i]!, features.monetary[i]!, features.clv[i]!];
    for (let d = 0; d < DIMS; d++) {
      sums[c * 8 + d]! += Number.isFinite(raw[d]!) ? raw[d]! : 0;
      sums[c * 8 + DIMS + d]! += points[i * DIMS + d]!;
    }
    minimumFrequency = Math.min(minimumFrequency, features.frequency[i]!);
  }
  // Number clusters by mean predicted CLV, highest first, so cluster 0 is the most valuable.
  const order = Array.from({ length: k }, (_, c) => c)
    .filter((c) => sizes[c]! > 0)
    .sort((a, b) => sums[b * 8 + 3]! / sizes[b]! - sums[a * 8 + 3]! / sizes[a]! || a - b);
  const renumber = new Uint8Array(k);
  order.forEach((c, position) => (renumber[c] = position));
  for (let i = 0; i < n; i++) assignments[i] = renumber[assignments[i]!]!;

  const mean = (c: number, d: number) => sums[c * 8 + d]! / sizes[c]!;
  const names = clusterNames(
    order.map((c) => ({
      recency: mean(c, DIMS),
      frequency: mean(c, DIMS + 1),
      monetary: mean(c, DIMS + 2),
      frequencyAboveMinimum: mean(c, 1) - minimumFrequency,
      clv: mean(c, 3),
    })),
  );
  const centroids = order.map((c, position) => ({
    cluster: position,
    name: names[position]!,
    size: sizes[c]!,
    recencyDays: mean(c, 0),
    frequency: mean(c, 1),
    monetary: mean(c, 2),
    clv: mean(c, 3),
  }));
  return { k: order.length, assignments, centroids, silhouette };
}

function singleCluster(features: ClusterFeatures, points: Float64Array, n: number): ClusterResult {
  const assignments = new Uint8Array(n);
  if (n === 0) return { k: 0, assignments, centroids: [], silhouette: 0 };
  return describeClusters(features, points, n, 1, assignments, 0);
}

function gatherRows(points: Float64Array, indices: Int32Array): Float64Array {
  const rows = new Float64Array(indices.length * DIMS);
  indices.forEach((index, i) => rows.set(points.subarray(index * DIMS, index * DIMS + DIMS), i * DIMS));
  return rows;
}

// Distinct standardised points, counted up to `limit` (k cannot exceed them).
function countDistinctUpTo(points: Float64Array, n: number, limit: number): number {
  const seen = new Set<string>();
  for (let i = 0; i < n && seen.size < limit; i++) seen.add(points.subarray(i * DIMS, i * DIMS + DIMS).join(","));
  return seen.size;
}
