// The named RFM segments, from the recency score R and FM = round((F + M) / 2), half up:
//
//   R \ FM |  1               2                    3                    4                 5
//   -------+---------------------------------------------------------------------------------------------
//     5    |  New             Potential loyalists  Potential loyalists  Champions         Champions
//     4    |  Promising       Potential loyalists  Potential loyalists  Loyal             Champions
//     3    |  About to sleep  About to sleep       Need attention       Loyal             Loyal
//     2    |  Hibernating     Hibernating          At risk              At risk           Can't lose them
//     1    |  Lost            Hibernating          At risk              Can't lose them   Can't lose them
//
// Read it as: recent and valuable at the top right, recently active but light at the top left,
// valuable but gone quiet at the bottom right, light and gone at the bottom left. Every (R, F, M) in
// 1..5³ falls in exactly one cell.

export const RFM_SEGMENTS = [
  "Champions",
  "Loyal",
  "Potential loyalists",
  "New",
  "Promising",
  "Need attention",
  "About to sleep",
  "At risk",
  "Can't lose them",
  "Hibernating",
  "Lost",
] as const;

export type RfmSegment = (typeof RFM_SEGMENTS)[number];

// Rows R = 5..1, columns FM = 1..5.
const SEGMENT_GRID: readonly (readonly RfmSegment[])[] = [
  ["New", "Potential loyalists", "Potential loyalists", "Champions", "Champions"],
  ["Promising", "Potential loyalists", "Potential loyalists", "Loyal", "Champions"],
  ["About to sleep", "About to sleep", "Need attention", "Loyal", "Loyal"],
  ["Hibernating", "Hibernating", "At risk", "At risk", "Can't lose them"],
  ["Lost", "Hibernating", "At risk", "Can't lose them", "Can't lose them"],
];

export function rfmSegment(scores: { recency: number; frequency: number; monetary: number }): RfmSegment {
  const clamp = (score: number) => Math.min(5, Math.max(1, Math.round(score)));
  const recency = clamp(scores.recency);
  const frequencyMonetary = clamp(Math.floor((clamp(scores.frequency) + clamp(scores.monetary) + 1) / 2));
  return SEGMENT_GRID[5 - recency]![frequencyMonetary - 1]!;
}
