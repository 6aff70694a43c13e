// The analytics settings form: parsed on the server with field-level errors, and the before/after
// record the staff audit log keeps of a change. Pure.
import { z } from "zod";

import type { ShopAnalyticsSettings } from "../analytics/analytics-runs.repository.server";

/** The names the form posts, one per field error. */
export const ANALYTICS_SETTINGS_FIELDS = [
  "monthlyDiscountRatePercent",
  "clvHorizonMonths",
  "churnMediumThreshold",
  "churnHighThreshold",
] as const;
export type AnalyticsSettingsField = (typeof ANALYTICS_SETTINGS_FIELDS)[number];

// Form values arrive as strings; an empty field is "missing", not zero.
const numberField = (label: string) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? Number(value.trim()) : undefined),
    z.number({
      error: (issue) => (issue.input === undefined ? `Enter the ${label}` : `Enter the ${label} as a number`),
    }),
  );

const analyticsSettingsSchema = z
  .object({
    monthlyDiscountRatePercent: numberField("monthly discount rate").pipe(
      z.number().min(0, "The discount rate cannot be negative").max(20, "At most 20% a month"),
    ),
    clvHorizonMonths: numberField("horizon").pipe(
      z.number().int("Whole months only").min(1, "At least 1 month").max(120, "At most 120 months"),
    ),
    churnMediumThreshold: numberField("medium risk threshold").pipe(z.number().gt(0, "Above 0").lt(1, "Below 1")),
    churnHighThreshold: numberField("high risk threshold").pipe(z.number().gt(0, "Above 0").lt(1, "Below 1")),
  })
  .superRefine((value, context) => {
    if (value.churnHighThreshold <= value.churnMediumThreshold) {
      context.addIssue({
        code: "custom",
        path: ["churnHighThreshold"],
        message: "High risk must start above medium risk",
      });
    }
  });

export type AnalyticsSettingsFormResult =
  | { ok: true; settings: ShopAnalyticsSettings }
  | { ok: false; errors: Partial<Record<AnalyticsSettingsField, string>> };

export function parseAnalyticsSettingsForm(values: Record<string, unknown>): AnalyticsSettingsFormResult {
  const parsed = analyticsSettingsSchema.safeParse(values);
  if (!parsed.success) {
    const errors: Partial<Record<AnalyticsSettingsField, string>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as AnalyticsSettingsField;
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const form = parsed.data;
  return {
    ok: true,
    settings: {
      // Percent on screen, a fraction in the database; rounded so 1.1% is stored as 0.011, not 0.011000000000000001.
      monthlyDiscountRate: Math.round(form.monthlyDiscountRatePercent * 1e6) / 1e8,
      clvHorizonMonths: form.clvHorizonMonths,
      churnThresholds: { medium: form.churnMediumThreshold, high: form.churnHighThreshold },
    },
  };
}

/** What the form shows for stored settings. */
export function analyticsSettingsFormValues(settings: ShopAnalyticsSettings): Record<AnalyticsSettingsField, string> {
  return {
    monthlyDiscountRatePercent: String(Math.round(settings.monthlyDiscountRate * 1e8) / 1e6),
    clvHorizonMonths: String(settings.clvHorizonMonths),
    churnMediumThreshold: String(settings.churnThresholds.medium),
    churnHighThreshold: String(settings.churnThresholds.high),
  };
}

type FlatSettings = {
  monthlyDiscountRate: number;
  clvHorizonMonths: number;
  churnMediumThreshold: number;
  churnHighThreshold: number;
};

function flatten(settings: ShopAnalyticsSettings): FlatSettings {
  return {
    monthlyDiscountRate: settings.monthlyDiscountRate,
    clvHorizonMonths: settings.clvHorizonMonths,
    churnMediumThreshold: settings.churnThresholds.medium,
    churnHighThreshold: settings.churnThresholds.high,
  };
}

/** The fields that changed, each with its value before and after; empty when nothing did. */
export function settingsChanges(before: ShopAnalyticsSettings, after: ShopAnalyticsSettings) {
  const from = flatten(before);
  const to = flatten(after);
  const changes: Partial<Record<keyof FlatSettings, { before: number; after: number }>> = {};
  for (const key of Object.keys(from) as (keyof FlatSettings)[]) {
    if (from[key] !== to[key]) changes[key] = { before: from[key], after: to[key] };
  }
  return changes;
}
