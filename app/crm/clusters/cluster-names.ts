// Names a cluster from its centroid, in words a merchant reads at a glance. The centroid's
// standardised features (z, i.e. standard deviations from the shop's mean of log1p values) decide:
//   recency word: z(recency days) ≤ −0.5 "Recent", ≥ 0.5 "Lapsed", otherwise "Cooling";
//   buying word:  frequency within 0.5 of the shop's lowest frequency "one-timers"; else
//                 z(frequency) ≥ 0.5 and z(monetary) ≥ 0.5 "big-spending regulars";
//                 z(monetary) ≥ 0.5 "big spenders"; z(frequency) ≥ 0.5 "regulars"; else "occasional buyers".
// Clusters that end up with the same name are told apart by predicted CLV: "(higher CLV)" and
// "(lower CLV)" for two, "(CLV rank 1)", "(CLV rank 2)", … for more.

export interface StandardisedCentroid {
  recency: number;
  frequency: number;
  monetary: number;
  /** Centroid frequency in original units minus the shop's lowest frequency. */
  frequencyAboveMinimum: number;
  /** Mean predicted CLV in original units, for telling apart clusters with the same name. */
  clv: number;
}

const HIGH = 0.5;

export function baseClusterName(centroid: StandardisedCentroid): string {
  const recency = centroid.recency <= -HIGH ? "Recent" : centroid.recency >= HIGH ? "Lapsed" : "Cooling";
  let buying: string;
  if (centroid.frequencyAboveMinimum < 0.5) buying = "one-timers";
  else if (centroid.frequency >= HIGH && centroid.monetary >= HIGH) buying = "big-spending regulars";
  else if (centroid.monetary >= HIGH) buying = "big spenders";
  else if (centroid.frequency >= HIGH) buying = "regulars";
  else buying = "occasional buyers";
  return `${recency} ${buying}`;
}

export function clusterNames(centroids: readonly StandardisedCentroid[]): string[] {
  const names = centroids.map(baseClusterName);
  const byName = new Map<string, number[]>();
  names.forEach((name, i) => byName.set(name, [...(byName.get(name) ?? []), i]));
  for (const [name, indices] of byName) {
    if (indices.length < 2) continue;
    indices.sort((i, j) => centroids[j]!.clv - centroids[i]!.clv || i - j);
    indices.forEach((index, rank) => {
      const suffix = indices.length === 2 ? (rank === 0 ? "higher CLV" : "lower CLV") : `CLV rank ${rank + 1}`;
      names[index] = `${name} (${suffix})`;
    });
  }
  return names;
}
