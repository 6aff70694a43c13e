// The answers of GET/POST /api/customer-account/survey and what the block needs of them.
export type SurveyKind = "nps" | "csat" | "likert";

export interface OpenSurveys {
  orderName: string;
  surveys: { kind: SurveyKind; statements: string[] }[];
}

export interface AnswerResult {
  status: "recorded";
  pointsAwarded: number;
  recoveryCode: string | null;
}

export const QUESTIONS: Record<SurveyKind, string> = {
  nps: "How likely are you to recommend us to a friend or colleague?",
  csat: "How satisfied are you with this order?",
  likert: "How much do you agree?",
};

/** The scale's values and the words at its two ends. */
export function scaleOf(kind: SurveyKind): { values: string[]; low: string; high: string } {
  if (kind === "nps")
    return { values: Array.from({ length: 11 }, (_, i) => String(i)), low: "Not likely", high: "Very likely" };
  return {
    values: ["1", "2", "3", "4", "5"],
    low: kind === "csat" ? "Very unsatisfied" : "Strongly disagree",
    high: kind === "csat" ? "Very satisfied" : "Strongly agree",
  };
}

export function thanksText(result: AnswerResult): string[] {
  const lines = ["Thank you for your feedback."];
  if (result.pointsAwarded > 0) lines.push(`We added ${result.pointsAwarded} points to your rewards.`);
  if (result.recoveryCode)
    lines.push(`We're sorry we let you down. Use code ${result.recoveryCode} on your next order.`);
  return lines;
}
