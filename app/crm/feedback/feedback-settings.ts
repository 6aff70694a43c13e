// The shop's survey settings and the admin form that edits them (FormData strings → zod, one
// message per field). Pure: no Remix, no Prisma.
import { z } from "zod";

import type { SurveyKind } from "./survey-kinds";

export const MAX_LIKERT_STATEMENTS = 5;

export const feedbackSettingsSchema = z.object({
  surveys: z.object({ nps: z.boolean(), csat: z.boolean(), likert: z.boolean() }),
  likertStatements: z.array(z.string().trim().min(3).max(140)).max(MAX_LIKERT_STATEMENTS),
  /** Loyalty points for each answer (0: none); paid through the ledger, once per answer. */
  pointsForAnswer: z.number().int().min(0).max(10_000),
  /** A loyalty reward (loyalty_rewards.id) issued free as a discount code to a detractor; null: none. */
  recoveryRewardId: z.number().int().positive().nullable(),
  /** Orders become askable this many days after they were placed (a stand-in for delivery). */
  askAfterDays: z.number().int().min(0).max(90),
  /** How long a signed survey link stays valid. */
  linkValidDays: z.number().int().min(1).max(365),
});

export type FeedbackSettings = z.infer<typeof feedbackSettingsSchema>;

export const DEFAULT_FEEDBACK_SETTINGS: FeedbackSettings = {
  surveys: { nps: true, csat: false, likert: false },
  likertStatements: ["The product matched its description", "Delivery was quick", "I would buy from this shop again"],
  pointsForAnswer: 0,
  recoveryRewardId: null,
  askAfterDays: 7,
  linkValidDays: 60,
};

/** Stored settings (or none) as FeedbackSettings: unknown or invalid stored values fall back to defaults. */
export function parseFeedbackSettings(stored: unknown): FeedbackSettings {
  const parsed = feedbackSettingsSchema.safeParse({
    ...DEFAULT_FEEDBACK_SETTINGS,
    ...(typeof stored === "object" && stored !== null ? stored : {}),
  });
  return parsed.success ? parsed.data : DEFAULT_FEEDBACK_SETTINGS;
}

export function enabledSurveys(settings: FeedbackSettings): SurveyKind[] {
  return (["nps", "csat", "likert"] as const).filter(
    (kind) => settings.surveys[kind] && (kind !== "likert" || settings.likertStatements.length > 0),
  );
}

export type FieldErrors = Record<string, string>;
type FormValues = Record<string, FormDataEntryValue | undefined>;

const text = (values: FormValues, name: string) => {
  const value = values[name];
  return typeof value === "string" ? value.trim() : "";
};
const checkbox = (values: FormValues, name: string) => values[name] === "on" || values[name] === "true";

const wholeNumber = (label: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${label} must be a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `${label} must be at least ${min}`).max(max, `${label} must be at most ${max}`));

const statementsField = z
  .string()
  .transform((value) =>
    value
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(
        z
          .string()
          .min(3, "Each statement needs at least 3 characters")
          .max(140, "Each statement must be at most 140 characters"),
      )
      .max(MAX_LIKERT_STATEMENTS, `At most ${MAX_LIKERT_STATEMENTS} statements, one per line`),
  );

/** The settings form; `rewardIds` are the shop's active loyalty rewards. */
export function parseFeedbackSettingsForm(
  values: FormValues,
  rewardIds: readonly number[],
): { ok: true; value: FeedbackSettings } | { ok: false; errors: FieldErrors } {
  const form = z
    .object({
      likertStatements: statementsField,
      pointsForAnswer: wholeNumber("Points for answering", 0, 10_000),
      askAfterDays: wholeNumber("Days after the order", 0, 90),
      linkValidDays: wholeNumber("Link validity", 1, 365),
      recoveryRewardId: z
        .string()
        .transform((value) => (value === "" || value === "none" ? null : Number(value)))
        .refine((id) => id === null || rewardIds.includes(id), "Choose one of the loyalty program's rewards"),
    })
    .superRefine((input, ctx) => {
      if (checkbox(values, "likert") && input.likertStatements.length === 0)
        ctx.addIssue({ code: "custom", path: ["likertStatements"], message: "The questionnaire needs a statement" });
    });
  const parsed = form.safeParse({
    likertStatements: text(values, "likertStatements"),
    pointsForAnswer: text(values, "pointsForAnswer") || "0",
    askAfterDays: text(values, "askAfterDays"),
    linkValidDays: text(values, "linkValidDays"),
    recoveryRewardId: text(values, "recoveryRewardId"),
  });
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      surveys: { nps: checkbox(values, "nps"), csat: checkbox(values, "csat"), likert: checkbox(values, "likert") },
      ...parsed.data,
    },
  };
}
