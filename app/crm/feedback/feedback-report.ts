// The feedback page's figures from the repository's counts. Pure: no Remix, no Prisma.
import type { GroupCounts, ScoreCount } from "./feedback-report.repository.server";
import { averageOf, csatSatisfiedShare, distributionOf, netPromoterScore, npsCountsOf, type NpsResult } from "./nps";
import { SURVEY_SCALES, type SurveyKind } from "./survey-kinds";

export interface GroupScore {
  group: string;
  nps: NpsResult;
  csatAverage: number | null;
  csatResponses: number;
}

export function groupScores(rows: readonly GroupCounts[]): GroupScore[] {
  return rows.map((row) => ({
    group: row.group,
    nps: netPromoterScore(row),
    csatAverage: row.csatCount === 0 ? null : row.csatSum / row.csatCount,
    csatResponses: row.csatCount,
  }));
}

export interface FeedbackSummary {
  nps: NpsResult;
  npsDistribution: number[];
  csatDistribution: number[];
  csatAverage: number | null;
  csatSatisfied: number | null;
  likertDistribution: number[];
  likertAverage: number | null;
  responses: number;
}

export function feedbackSummary(counts: readonly ScoreCount[]): FeedbackSummary {
  const distribution = (kind: SurveyKind) =>
    distributionOf(
      counts.filter((row) => row.kind === kind),
      SURVEY_SCALES[kind].min,
      SURVEY_SCALES[kind].max,
    );
  const npsDistribution = distribution("nps");
  const csatDistribution = distribution("csat");
  const likertDistribution = distribution("likert");
  return {
    nps: netPromoterScore(npsCountsOf(npsDistribution)),
    npsDistribution,
    csatDistribution,
    csatAverage: averageOf(csatDistribution, 1),
    csatSatisfied: csatSatisfiedShare(csatDistribution),
    likertDistribution,
    likertAverage: averageOf(likertDistribution, 1),
    responses: counts.reduce((total, row) => total + row.count, 0),
  };
}

/** The last `count` months of the shop's calendar ending with `now`'s month, as "YYYY-MM". */
export function lastMonths(now: Date, timeZone: string, count: number): string[] {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(now);
  let year = Number(parts.find((p) => p.type === "year")?.value);
  let month = Number(parts.find((p) => p.type === "month")?.value);
  const months: string[] = [];
  for (let i = 0; i < count; i++) {
    months.unshift(`${year}-${String(month).padStart(2, "0")}`);
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return months;
}

/** Every month of `months` with its scores (months without answers: no score). */
export function monthlyTrend(months: readonly string[], rows: readonly GroupCounts[]): GroupScore[] {
  const byMonth = new Map(rows.map((row) => [row.group, row]));
  return groupScores(
    months.map(
      (month) =>
        byMonth.get(month) ?? { group: month, promoters: 0, passives: 0, detractors: 0, csatCount: 0, csatSum: 0 },
    ),
  );
}
