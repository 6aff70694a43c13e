// The admin's loyalty forms: FormData values (strings) parsed with zod into the program's types,
// with one message per field for Polaris to show beside the input. Pure: no Remix, no Prisma.
import { z } from "zod";

import { currencyExponent, decimalStringToMinor } from "../money/money";
import { parseProgramSettings, type LoyaltyProgramSettings, type LoyaltyRewardRule } from "./loyalty-program";

export type FieldErrors = Record<string, string>;
export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

type FormValues = Record<string, FormDataEntryValue | undefined>;

const text = (values: FormValues, name: string) => {
  const value = values[name];
  return typeof value === "string" ? value.trim() : "";
};

const wholeNumber = (label: string, min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+$/, `${label} must be a whole number`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `${label} must be at least ${min}`)
        .max(max, `${label} must be at most ${max.toLocaleString("en-US")}`),
    );

const money = (label: string, currencyCode: string) =>
  z.string().transform((value, ctx) => {
    const exponent = currencyExponent(currencyCode);
    if (!/^\d+(\.\d+)?$/.test(value)) {
      ctx.addIssue({ code: "custom", message: `${label} must be an amount like ${exponent > 0 ? "5.00" : "500"}` });
      return z.NEVER;
    }
    try {
      return decimalStringToMinor(value, currencyCode);
    } catch {
      ctx.addIssue({ code: "custom", message: `${label} has more decimals than ${currencyCode} allows` });
      return z.NEVER;
    }
  });

// An empty input means "none"; anything else must pass the field's own schema (and its message).
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? null : value), schema.nullable());

const checkbox = (values: FormValues, name: string) => values[name] === "on" || values[name] === "true";

function collectErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

function run<T>(schema: z.ZodType<T>, input: unknown): FormResult<T> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: collectErrors(parsed.error) };
}

const idList = z
  .string()
  .transform((value) => value.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.string().regex(/^\d+$/, "Product ids are numbers, separated by commas")));

// One collection per line: "<collection id>: <product id>, <product id>" (orders carry products).
const collectionLines = z.string().transform((value, ctx) => {
  const collections: { id: string; productIds: string[] }[] = [];
  for (const line of value
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)) {
    const match = /^(\d+)\s*:\s*([\d\s,]*)$/.exec(line);
    if (!match) {
      ctx.addIssue({ code: "custom", message: `“${line}” is not “collection id: product ids”` });
      return z.NEVER;
    }
    collections.push({ id: match[1]!, productIds: match[2]!.split(/[\s,]+/).filter(Boolean) });
  }
  return collections;
});

/** Program settings; tier basis and period are kept from `current` (they are edited on the tiers page). */
export function parseSettingsForm(
  values: FormValues,
  current: LoyaltyProgramSettings,
): FormResult<{ settings: LoyaltyProgramSettings; enabled: boolean; version: number | null }> {
  const points = (label: string) => wholeNumber(label, 0, 1_000_000);
  const schema = z.object({
    pointsPerCurrencyUnit: wholeNumber("Points per unit", 0, 10_000),
    signupBonus: points("Sign-up bonus"),
    birthdayBonus: points("Birthday bonus"),
    referrerBonus: points("Referrer bonus"),
    referredFriendBonus: points("Friend bonus"),
    firstOrderBonus: points("First-order bonus"),
    excludedProductIds: idList,
    excludedCollections: collectionLines,
    expiryPolicy: z.enum(["none", "inactivity", "per_lot"], "Choose an expiry policy"),
    expiryMonths: optional(wholeNumber("Months", 1, 120)),
    expiryWarningDays: wholeNumber("Warning days", 0, 365),
    version: optional(wholeNumber("Version", 1, 2_147_483_647)),
  });
  const parsed = run(schema, {
    pointsPerCurrencyUnit: text(values, "pointsPerCurrencyUnit"),
    signupBonus: text(values, "signupBonus"),
    birthdayBonus: text(values, "birthdayBonus"),
    referrerBonus: text(values, "referrerBonus"),
    referredFriendBonus: text(values, "referredFriendBonus"),
    firstOrderBonus: text(values, "firstOrderBonus"),
    excludedProductIds: text(values, "excludedProductIds"),
    excludedCollections: text(values, "excludedCollections"),
    expiryPolicy: text(values, "expiryPolicy"),
    expiryMonths: text(values, "expiryMonths"),
    expiryWarningDays: text(values, "expiryWarningDays"),
    version: text(values, "version"),
  });
  if (!parsed.ok) return parsed;
  const form = parsed.value;
  if (form.expiryPolicy !== "none" && form.expiryMonths === null) {
    return { ok: false, errors: { expiryMonths: "Say after how many months points expire" } };
  }
  const settings = parseProgramSettings({
    ...current,
    earn: {
      pointsPerCurrencyUnit: form.pointsPerCurrencyUnit,
      includeShipping: checkbox(values, "includeShipping"),
      includeTax: checkbox(values, "includeTax"),
    },
    bonuses: {
      signup: form.signupBonus,
      birthday: form.birthdayBonus,
      referrer: form.referrerBonus,
      referredFriend: form.referredFriendBonus,
      firstOrder: form.firstOrderBonus,
    },
    exclusions: { productIds: form.excludedProductIds, collections: form.excludedCollections },
    expiry:
      form.expiryPolicy === "none" ? { policy: "none" } : { policy: form.expiryPolicy, months: form.expiryMonths },
    expiryWarningDays: form.expiryWarningDays,
  });
  return { ok: true, value: { settings, enabled: checkbox(values, "enabled"), version: form.version } };
}

export interface TierInput {
  name: string;
  threshold: bigint;
  earnMultiplierPermille: number;
  entryBonusPoints: number;
}

/** A tier; on the spend basis the threshold is an amount of the shop currency. */
export function parseTierForm(
  values: FormValues,
  options: { basis: LoyaltyProgramSettings["tiers"]["basis"]; currencyCode: string },
): FormResult<TierInput> {
  const schema = z.object({
    name: z.string().min(1, "Give the tier a name").max(100, "At most 100 characters"),
    threshold:
      options.basis === "spend"
        ? money("Threshold", options.currencyCode)
        : z.string().regex(/^\d+$/, "Threshold must be a whole number of points").transform(BigInt),
    earnMultiplier: z
      .string()
      .regex(/^\d+(\.\d{1,3})?$/, "Multiplier must be a number like 1.5")
      .transform((value) => Math.round(Number(value) * 1000))
      .pipe(z.number().min(1000, "Multiplier must be at least 1").max(10_000, "Multiplier must be at most 10")),
    entryBonusPoints: wholeNumber("Entry bonus", 0, 1_000_000),
  });
  const parsed = run(schema, {
    name: text(values, "name"),
    threshold: text(values, "threshold"),
    earnMultiplier: text(values, "earnMultiplier") || "1",
    entryBonusPoints: text(values, "entryBonusPoints") || "0",
  });
  if (!parsed.ok) return parsed;
  const { name, threshold, earnMultiplier, entryBonusPoints } = parsed.value;
  return { ok: true, value: { name, threshold, earnMultiplierPermille: earnMultiplier, entryBonusPoints } };
}

export const tierQualificationSchema = z.object({
  basis: z.enum(["points_earned", "spend"], "Choose what tiers are based on"),
  period: z.enum(["rolling_12_months", "calendar_year"], "Choose the qualifying period"),
});

export function parseTierQualificationForm(values: FormValues) {
  return run(tierQualificationSchema, { basis: text(values, "basis"), period: text(values, "period") });
}

export function parseRewardForm(
  values: FormValues,
  options: { currencyCode: string; tierIds: readonly number[] },
): FormResult<Omit<LoyaltyRewardRule, "id">> {
  const schema = z
    .object({
      title: z.string().min(1, "Give the reward a title").max(255, "At most 255 characters"),
      kind: z.enum(["fixed_amount", "percentage", "free_shipping"], "Choose the kind of reward"),
      pointsCost: z
        .string()
        .regex(/^-?\d+$/, "Points cost must be a whole number")
        .transform(Number)
        .pipe(z.number().min(1, "Points cost must be at least 1").max(10_000_000, "Points cost is too high")),
      amount: optional(money("Amount", options.currencyCode)),
      percentage: optional(wholeNumber("Percentage", 1, 100)),
      minimumSubtotal: optional(money("Minimum order", options.currencyCode)),
      tierId: optional(
        z
          .string()
          .transform(Number)
          .refine((id) => options.tierIds.includes(id), "Choose one of the tiers"),
      ),
    })
    .superRefine((reward, ctx) => {
      if (reward.kind === "fixed_amount" && (reward.amount === null || reward.amount <= 0n))
        ctx.addIssue({ code: "custom", path: ["amount"], message: "A fixed amount reward needs an amount above 0" });
      if (reward.kind === "percentage" && reward.percentage === null)
        ctx.addIssue({ code: "custom", path: ["percentage"], message: "A percentage reward needs a percentage" });
      if (reward.minimumSubtotal === 0n)
        ctx.addIssue({ code: "custom", path: ["minimumSubtotal"], message: "Leave empty for no minimum" });
    });
  const parsed = run(schema, {
    title: text(values, "title"),
    kind: text(values, "kind"),
    pointsCost: text(values, "pointsCost"),
    amount: text(values, "amount"),
    percentage: text(values, "percentage"),
    minimumSubtotal: text(values, "minimumSubtotal"),
    tierId: text(values, "tierId"),
  });
  if (!parsed.ok) return parsed;
  const reward = parsed.value;
  return {
    ok: true,
    value: {
      title: reward.title,
      kind: reward.kind,
      pointsCost: reward.pointsCost,
      amountMinor: reward.kind === "fixed_amount" ? reward.amount : null,
      percentage: reward.kind === "percentage" ? reward.percentage : null,
      minimumSubtotalMinor: reward.minimumSubtotal,
      tierId: reward.tierId,
    },
  };
}

export function parseAdjustmentForm(
  values: FormValues,
): FormResult<{ points: number; reason: string; requestId: string }> {
  return run(
    z.object({
      points: z
        .string()
        .regex(/^[+-]?\d+$/, "Points must be a whole number, negative to take points away")
        .transform(Number)
        .pipe(
          z
            .number()
            .refine((n) => n !== 0, "Points cannot be 0")
            .refine((n) => Math.abs(n) <= 1_000_000, "At most 1,000,000 points at once"),
        ),
      reason: z.string().min(1, "Say why: the reason is kept in the ledger").max(500, "At most 500 characters"),
      requestId: z.string().regex(/^[\w-]{8,64}$/, "Reload the page and try again"),
    }),
    { points: text(values, "points"), reason: text(values, "reason"), requestId: text(values, "requestId") },
  );
}

/** "1500" permille → "1.5". */
export const multiplierText = (permille: number) => String(permille / 1000);
