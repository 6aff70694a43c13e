import { describe, expect, it } from "vitest";

import { parseAdjustmentForm, parseRewardForm, parseSettingsForm, parseTierForm } from "./loyalty-admin-forms";
import { DEFAULT_PROGRAM_SETTINGS } from "./loyalty-program";

const settingsForm = (over: Record<string, string> = {}) => ({
  pointsPerCurrencyUnit: "2",
  signupBonus: "100",
  birthdayBonus: "50",
  referrerBonus: "0",
  referredFriendBonus: "0",
  firstOrderBonus: "25",
  excludedProductIds: "111, 222",
  excludedCollections: "9: 333, 444\n10: 555",
  expiryPolicy: "inactivity",
  expiryMonths: "12",
  expiryWarningDays: "30",
  includeShipping: "on",
  enabled: "on",
  version: "3",
  ...over,
});

describe("settings form", () => {
  it("becomes program settings, keeping the tier qualification it does not edit", () => {
    const current = {
      ...DEFAULT_PROGRAM_SETTINGS,
      tiers: { basis: "spend" as const, period: "calendar_year" as const },
    };
    const result = parseSettingsForm(settingsForm(), current);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.version).toBe(3);
    expect(result.value.enabled).toBe(true);
    expect(result.value.settings).toMatchObject({
      earn: { pointsPerCurrencyUnit: 2, includeShipping: true, includeTax: false },
      bonuses: { signup: 100, birthday: 50, firstOrder: 25 },
      exclusions: {
        productIds: ["111", "222"],
        collections: [
          { id: "9", productIds: ["333", "444"] },
          { id: "10", productIds: ["555"] },
        ],
      },
      tiers: { basis: "spend", period: "calendar_year" },
      expiry: { policy: "inactivity", months: 12 },
    });
  });

  it("names each bad field", () => {
    const result = parseSettingsForm(
      settingsForm({ pointsPerCurrencyUnit: "-1", signupBonus: "ten", excludedProductIds: "abc", expiryMonths: "" }),
      DEFAULT_PROGRAM_SETTINGS,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        pointsPerCurrencyUnit: "Points per unit must be at least 0",
        signupBonus: "Sign-up bonus must be a whole number",
        excludedProductIds: "Product ids are numbers, separated by commas",
      },
    });
    expect(parseSettingsForm(settingsForm({ expiryMonths: "" }), DEFAULT_PROGRAM_SETTINGS)).toEqual({
      ok: false,
      errors: { expiryMonths: "Say after how many months points expire" },
    });
  });
});

describe("tier form", () => {
  it("reads a spend threshold as money and the multiplier in thousandths", () => {
    expect(
      parseTierForm(
        { name: "Gold", threshold: "250.50", earnMultiplier: "1.25", entryBonusPoints: "100" },
        { basis: "spend", currencyCode: "EUR" },
      ),
    ).toEqual({
      ok: true,
      value: { name: "Gold", threshold: 25050n, earnMultiplierPermille: 1250, entryBonusPoints: 100 },
    });
  });

  it("refuses a threshold that is not a number", () => {
    const result = parseTierForm({ name: "", threshold: "lots" }, { basis: "points_earned", currencyCode: "EUR" });
    expect(result).toEqual({
      ok: false,
      errors: { name: "Give the tier a name", threshold: "Threshold must be a whole number of points" },
    });
  });
});

describe("reward form", () => {
  const options = { currencyCode: "USD", tierIds: [7] };

  it("keeps only the amount its kind uses", () => {
    expect(
      parseRewardForm(
        { title: "10% off", kind: "percentage", pointsCost: "300", percentage: "10", amount: "5", tierId: "7" },
        options,
      ),
    ).toEqual({
      ok: true,
      value: {
        title: "10% off",
        kind: "percentage",
        pointsCost: 300,
        amountMinor: null,
        percentage: 10,
        minimumSubtotalMinor: null,
        tierId: 7,
      },
    });
  });

  it("refuses a negative points cost, a missing amount and an unknown tier", () => {
    const result = parseRewardForm(
      { title: "5 off", kind: "fixed_amount", pointsCost: "-5", amount: "", tierId: "99" },
      options,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      amount: "A fixed amount reward needs an amount above 0",
      pointsCost: "Points cost must be at least 1",
      tierId: "Choose one of the tiers",
    });
    const noAmount = parseRewardForm({ title: "5 off", kind: "fixed_amount", pointsCost: "5", amount: "" }, options);
    expect(noAmount).toEqual({ ok: false, errors: { amount: "A fixed amount reward needs an amount above 0" } });
    const tooPrecise = parseRewardForm({ title: "x", kind: "fixed_amount", pointsCost: "5", amount: "1.234" }, options);
    expect(tooPrecise).toEqual({ ok: false, errors: { amount: "Amount has more decimals than USD allows" } });
  });
});

describe("adjustment form", () => {
  it("needs a reason and a non-zero whole number", () => {
    expect(parseAdjustmentForm({ points: "-40", reason: " Damaged parcel ", requestId: "abcdef12-3456" })).toEqual({
      ok: true,
      value: { points: -40, reason: "Damaged parcel", requestId: "abcdef12-3456" },
    });
    expect(parseAdjustmentForm({ points: "0", reason: "  ", requestId: "abcdef12-3456" })).toEqual({
      ok: false,
      errors: { points: "Points cannot be 0", reason: "Say why: the reason is kept in the ledger" },
    });
  });
});
