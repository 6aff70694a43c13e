// A shopper's answer (a posted form or the extension's JSON), checked against its survey's scale.
// Pure: no Remix, no Prisma.
import { z } from "zod";

import { npsBand, type NpsBand } from "./nps";
import { SURVEY_SCALES, type SurveyKind } from "./survey-kinds";

export const MAX_COMMENT_LENGTH = 2000;

export interface SurveyAnswer {
  kind: SurveyKind;
  score: number;
  band: NpsBand | null;
  answers: number[];
  statements: string[];
  comment: string | null;
}

export type AnswerErrors = Record<string, string>;

const scaleValue = (min: number, max: number, message: string) =>
  z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);

const comment = z
  .string()
  .trim()
  .max(MAX_COMMENT_LENGTH, `Comments are at most ${MAX_COMMENT_LENGTH} characters`)
  .transform((value) => (value === "" ? null : value))
  .nullish();

/** `statements` are the Likert statements asked (the shop's current ones). */
export function parseSurveyAnswer(
  kind: SurveyKind,
  statements: readonly string[],
  raw: Record<string, unknown>,
): { ok: true; answer: SurveyAnswer } | { ok: false; errors: AnswerErrors } {
  const { min, max } = SURVEY_SCALES[kind];
  const pick = `Choose a number from ${min} to ${max}`;
  if (kind === "likert") {
    const given = Array.isArray(raw.answers) ? raw.answers : statements.map((_, i) => raw[`answer${i}`]);
    const schema = z.object({
      answers: z.array(z.preprocess((v) => (v === "" ? undefined : v), scaleValue(min, max, "Answer every statement"))),
      comment,
    });
    const parsed = schema.safeParse({ answers: given, comment: raw.comment ?? null });
    if (!parsed.success || parsed.data.answers.length !== statements.length || statements.length === 0)
      return { ok: false, errors: errorsOf(parsed.success ? null : parsed.error, "answers", "Answer every statement") };
    const answers = parsed.data.answers;
    const mean = answers.reduce((a, b) => a + b, 0) / answers.length;
    return {
      ok: true,
      answer: {
        kind,
        score: Math.round(mean),
        band: null,
        answers,
        statements: [...statements],
        comment: parsed.data.comment ?? null,
      },
    };
  }
  const schema = z.object({
    score: z.preprocess((v) => (v === "" || v === null ? undefined : v), scaleValue(min, max, pick)),
    comment,
  });
  const parsed = schema.safeParse({ score: raw.score, comment: raw.comment ?? null });
  if (!parsed.success) return { ok: false, errors: errorsOf(parsed.error, "score", pick) };
  const score = parsed.data.score;
  return {
    ok: true,
    answer: {
      kind,
      score,
      band: kind === "nps" ? npsBand(score) : null,
      answers: [],
      statements: [],
      comment: parsed.data.comment ?? null,
    },
  };
}

function errorsOf(error: z.ZodError | null, field: string, fallback: string): AnswerErrors {
  const errors: AnswerErrors = {};
  for (const issue of error?.issues ?? []) errors[String(issue.path[0] ?? field)] ??= issue.message;
  if (Object.keys(errors).length === 0) errors[field] = fallback;
  return errors;
}
