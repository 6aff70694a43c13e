import { describe, expect, it } from "vitest";

import { analyticsSettingsFormValues, parseAnalyticsSettingsForm, settingsChanges } from "./analytics-settings-form";

const valid = {
  monthlyDiscountRatePercent: "1.5",
  clvHorizonMonths: "24",
  churnMediumThreshold: "0.25",
  churnHighThreshold: "0.8",
};

describe("analytics settings form", () => {
  it("turns the form into settings: percent to a fraction, thresholds as given", () => {
    expect(parseAnalyticsSettingsForm(valid)).toEqual({
      ok: true,
      settings: { monthlyDiscountRate: 0.015, clvHorizonMonths: 24, churnThresholds: { medium: 0.25, high: 0.8 } },
    });
  });

  it("shows stored settings back as the form's values", () => {
    const parsed = parseAnalyticsSettingsForm({ ...valid, monthlyDiscountRatePercent: "1.1" });
    if (!parsed.ok) throw new Error("expected valid");
    expect(parsed.settings.monthlyDiscountRate).toBe(0.011);
    expect(analyticsSettingsFormValues(parsed.settings)).toEqual({ ...valid, monthlyDiscountRatePercent: "1.1" });
  });

  it("names each bad field with its own message", () => {
    const result = parseAnalyticsSettingsForm({
      monthlyDiscountRatePercent: "-1",
      clvHorizonMonths: "2.5",
      churnMediumThreshold: "",
      churnHighThreshold: "abc",
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        monthlyDiscountRatePercent: "The discount rate cannot be negative",
        clvHorizonMonths: "Whole months only",
        churnMediumThreshold: "Enter the medium risk threshold",
        churnHighThreshold: "Enter the high risk threshold as a number",
      },
    });
  });

  it.each([
    [{ churnMediumThreshold: "0", churnHighThreshold: "0.5" }, { churnMediumThreshold: "Above 0" }],
    [{ churnMediumThreshold: "0.3", churnHighThreshold: "1" }, { churnHighThreshold: "Below 1" }],
    [
      { churnMediumThreshold: "0.7", churnHighThreshold: "0.7" },
      { churnHighThreshold: "High risk must start above medium risk" },
    ],
    [
      { churnMediumThreshold: "0.8", churnHighThreshold: "0.4" },
      { churnHighThreshold: "High risk must start above medium risk" },
    ],
    [{ clvHorizonMonths: "0" }, { clvHorizonMonths: "At least 1 month" }],
    [{ clvHorizonMonths: "121" }, { clvHorizonMonths: "At most 120 months" }],
    [{ monthlyDiscountRatePercent: "25" }, { monthlyDiscountRatePercent: "At most 20% a month" }],
  ])("refuses %o", (change, errors) => {
    expect(parseAnalyticsSettingsForm({ ...valid, ...change })).toEqual({ ok: false, errors });
  });

  it("lists only the fields that changed, with before and after", () => {
    const before = { monthlyDiscountRate: 0.01, clvHorizonMonths: 12, churnThresholds: { medium: 0.3, high: 0.7 } };
    expect(settingsChanges(before, before)).toEqual({});
    expect(settingsChanges(before, { ...before, churnThresholds: { medium: 0.3, high: 0.6 } })).toEqual({
      churnHighThreshold: { before: 0.7, after: 0.6 },
    });
  });
});
