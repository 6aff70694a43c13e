// Survey arithmetic: NPS bands and score, its 95% confidence interval, CSAT average and the
// answer distribution. Pure: the repository hands in counts.

export type NpsBand = "promoter" | "passive" | "detractor";

/** The standard bands: 9-10 promoter, 7-8 passive, 0-6 detractor. */
export function npsBand(score: number): NpsBand {
  if (!Number.isInteger(score) || score < 0 || score > 10) throw new RangeError(`Not an NPS answer: ${score}`);
  if (score >= 9) return "promoter";
  if (score >= 7) return "passive";
  return "detractor";
}

export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

export interface NpsResult extends NpsCounts {
  responses: number;
  /** −100..100, null without answers. */
  nps: number | null;
  /** The 95% interval, clamped to −100..100; null with fewer than 2 answers. */
  low: number | null;
  high: number | null;
}

const Z_95 = 1.959963984540054;

/**
 * NPS = %promoters − %detractors. Its variance follows from the multinomial:
 * var(p_pro − p_det) = (p_pro + p_det − (p_pro − p_det)²) / n, so the interval is
 * NPS ± 1.96 · 100 · √var (the normal approximation, as in Rocks 2016, "Interval estimation for the NPS").
 */
export function netPromoterScore(counts: NpsCounts): NpsResult {
  const n = counts.promoters + counts.passives + counts.detractors;
  if (n === 0) return { ...counts, responses: 0, nps: null, low: null, high: null };
  const pPro = counts.promoters / n;
  const pDet = counts.detractors / n;
  const nps = 100 * (pPro - pDet);
  if (n < 2) return { ...counts, responses: n, nps, low: null, high: null };
  const variance = (pPro + pDet - (pPro - pDet) ** 2) / n;
  const margin = 100 * Z_95 * Math.sqrt(Math.max(variance, 0));
  return {
    ...counts,
    responses: n,
    nps,
    low: Math.max(-100, nps - margin),
    high: Math.min(100, nps + margin),
  };
}

/** Counts by band from a distribution of NPS answers (index = score 0..10). */
export function npsCountsOf(distribution: readonly number[]): NpsCounts {
  const counts: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };
  distribution.forEach((count, score) => {
    const band = npsBand(score);
    if (band === "promoter") counts.promoters += count;
    else if (band === "passive") counts.passives += count;
    else counts.detractors += count;
  });
  return counts;
}

/** Answers per score from min to max (missing scores count 0). */
export function distributionOf(rows: readonly { score: number; count: number }[], min: number, max: number) {
  const counts = Array.from({ length: max - min + 1 }, () => 0);
  for (const row of rows) if (row.score >= min && row.score <= max) counts[row.score - min]! += row.count;
  return counts;
}

/** The mean of a distribution whose index 0 is `min`; null when empty. */
export function averageOf(distribution: readonly number[], min: number): number | null {
  let total = 0;
  let weighted = 0;
  distribution.forEach((count, index) => {
    total += count;
    weighted += count * (index + min);
  });
  return total === 0 ? null : weighted / total;
}

/** Percentage of CSAT answers of 4 or 5 (the usual "satisfied" share); null when empty. */
export function csatSatisfiedShare(distribution: readonly number[]): number | null {
  const total = distribution.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  return (100 * ((distribution[3] ?? 0) + (distribution[4] ?? 0))) / total;
}
