// A run's RFM thresholds, read off the scores SQL gave (one pass, no sort): for scores 2..5, the
// least good value that reached at least that score — what scoreThresholds in
// app/crm/rfm/rfm-scores.ts defines, so scoreAgainstThresholds re-scores one customer later.
import type { ScoreThresholds } from "../rfm/rfm-scores";
import type { CustomerColumns } from "./customer-columns";

export interface RfmThresholds {
  recency: ScoreThresholds;
  frequency: ScoreThresholds;
  monetary: ScoreThresholds;
}

function thresholdsOf(
  size: number,
  value: (i: number) => number,
  score: (i: number) => number,
  higherIsBetter: boolean,
): ScoreThresholds {
  const thresholds: ScoreThresholds = [null, null, null, null];
  for (let i = 0; i < size; i++) {
    const v = value(i);
    for (let s = 2; s <= score(i); s++) {
      const current = thresholds[s - 2];
      if (current === null || current === undefined || (higherIsBetter ? v < current : v > current)) {
        thresholds[s - 2] = v;
      }
    }
  }
  return thresholds;
}

export function rfmThresholds(columns: CustomerColumns): RfmThresholds {
  return {
    recency: thresholdsOf(
      columns.size,
      (i) => columns.recencyDays[i]!,
      (i) => columns.rScore[i]!,
      false,
    ),
    frequency: thresholdsOf(
      columns.size,
      (i) => columns.purchaseDays[i]!,
      (i) => columns.fScore[i]!,
      true,
    ),
    monetary: thresholdsOf(
      columns.size,
      (i) => columns.netSpentMinor[i]!,
      (i) => columns.mScore[i]!,
      true,
    ),
  };
}
