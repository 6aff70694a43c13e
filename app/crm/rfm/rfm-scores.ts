// RFM quintile scores, the one definition shared with the SQL that scores whole shops:
//   score = least(5, 1 + floor(5 * percent_rank()))  over customers ordered worst → best,
// with percent_rank = (rank − 1) / (n − 1) (0 when n = 1) and ties sharing the lowest rank, so
// a shop where most customers bought once gives all of them F = 1.
// R orders by days since the last order descending (more recent is better), F by the number of
// orders (distinct purchase days), M by net spend in minor units.

/** Scores 1..5 for each value; `higherIsBetter` false for "days since last order". */
export function quintileScores(values: readonly number[], higherIsBetter: boolean): number[] {
  const n = values.length;
  const scores = new Array<number>(n);
  if (n === 0) return scores;
  const goodness = (value: number) => (higherIsBetter ? value : -value);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => goodness(values[i]!) - goodness(values[j]!));
  let rank = 1;
  for (let position = 0; position < n; position++) {
    const index = order[position]!;
    if (position > 0 && goodness(values[index]!) !== goodness(values[order[position - 1]!]!)) rank = position + 1;
    scores[index] = scoreForRank(rank, n);
  }
  return scores;
}

export function scoreForRank(rank: number, n: number): number {
  const percentRank = n > 1 ? (rank - 1) / (n - 1) : 0;
  return Math.min(5, 1 + Math.floor(5 * percentRank));
}

/**
 * Thresholds of scores 2, 3, 4 and 5: the least good value that reached at least that score in the
 * run, null when no customer did. A value at least as good as a threshold reaches its score, so
 * `scoreAgainstThresholds` re-scores one customer (e.g. after a new order) against a stored run and
 * gives every customer of that run exactly the score `quintileScores` gave.
 */
export type ScoreThresholds = [number | null, number | null, number | null, number | null];

export function scoreThresholds(values: readonly number[], higherIsBetter: boolean): ScoreThresholds {
  const scores = quintileScores(values, higherIsBetter);
  const thresholds: ScoreThresholds = [null, null, null, null];
  const better = (a: number, b: number) => (higherIsBetter ? a > b : a < b);
  values.forEach((value, i) => {
    for (let score = 2; score <= scores[i]!; score++) {
      const current = thresholds[score - 2];
      if (current === null || current === undefined || better(current, value)) thresholds[score - 2] = value;
    }
  });
  return thresholds;
}

export function scoreAgainstThresholds(value: number, thresholds: ScoreThresholds, higherIsBetter: boolean): number {
  let score = 1;
  for (const threshold of thresholds) {
    if (threshold === null) break;
    if (higherIsBetter ? value >= threshold : value <= threshold) score++;
    else break;
  }
  return score;
}
