// A shop's loyalty program rules, as the admin edits them and as every other loyalty module
// reads them. Stored as JSON beside a version (loyalty_programs.settings); always parsed here.
import { z } from "zod";

const points = z.number().int().min(0).max(1_000_000);

export const expiryPolicySchema = z.discriminatedUnion("policy", [
  z.object({ policy: z.literal("none") }),
  /** Every unspent point expires once the member has had no ledger activity for N months. */
  z.object({ policy: z.literal("inactivity"), months: z.number().int().min(1).max(120) }),
  /** Each credit (lot) expires N months after it was earned; spending uses the oldest lots first. */
  z.object({ policy: z.literal("per_lot"), months: z.number().int().min(1).max(120) }),
]);
export type ExpiryPolicy = z.infer<typeof expiryPolicySchema>;

export const loyaltyProgramSettingsSchema = z.object({
  earn: z
    .object({
      /** Points per whole unit of the shop currency (1 = one point per dollar). */
      pointsPerCurrencyUnit: z.number().int().min(0).max(10_000).default(1),
      /** The earn base is the subtotal after discounts; shipping and tax are left out unless set. */
      includeShipping: z.boolean().default(false),
      includeTax: z.boolean().default(false),
    })
    .prefault({}),
  bonuses: z
    .object({
      signup: points.default(0),
      birthday: points.default(0),
      referrer: points.default(0),
      referredFriend: points.default(0),
      firstOrder: points.default(0),
    })
    .prefault({}),
  exclusions: z
    .object({
      /** Shopify product ids (numeric, as strings) whose lines never earn. */
      productIds: z.array(z.string().regex(/^\d+$/)).default([]),
      /**
       * Excluded collections, with the product ids they held when the merchant saved them
       * (orders carry products, not collections).
       */
      collections: z
        .array(z.object({ id: z.string().regex(/^\d+$/), productIds: z.array(z.string().regex(/^\d+$/)) }))
        .default([]),
    })
    .prefault({}),
  tiers: z
    .object({
      basis: z.enum(["points_earned", "spend"]).default("points_earned"),
      period: z.enum(["rolling_12_months", "calendar_year"]).default("rolling_12_months"),
    })
    .prefault({}),
  expiry: expiryPolicySchema.default({ policy: "none" }),
  /** How long before points expire the member is told (an event for automations). */
  expiryWarningDays: z.number().int().min(0).max(365).default(30),
  /** A refund of an order paid with a reward code gives back the points spent, proportionally, at most once. */
  refundRestoresRedeemedPoints: z.boolean().default(true),
});

/** The program's rules (parsed settings JSON). */
export type LoyaltyProgramSettings = z.infer<typeof loyaltyProgramSettingsSchema>;

export function parseProgramSettings(json: unknown): LoyaltyProgramSettings {
  return loyaltyProgramSettingsSchema.parse(json ?? {});
}

export const DEFAULT_PROGRAM_SETTINGS: LoyaltyProgramSettings = parseProgramSettings({});

/** A tier as the rules see it (loyalty_tiers row). */
export interface LoyaltyTierRule {
  id: number;
  name: string;
  /** Points earned, or spend in minor units, within the qualifying period. */
  threshold: bigint;
  earnMultiplierPermille: number;
  entryBonusPoints: number;
}

export const rewardInputSchema = z
  .object({
    title: z.string().trim().min(1).max(255),
    kind: z.enum(["fixed_amount", "percentage", "free_shipping"]),
    pointsCost: z.number().int().min(1).max(10_000_000),
    amountMinor: z.bigint().positive().nullable().default(null),
    percentage: z.number().int().min(1).max(100).nullable().default(null),
    minimumSubtotalMinor: z.bigint().positive().nullable().default(null),
    tierId: z.number().int().nullable().default(null),
  })
  .refine((r) => r.kind !== "fixed_amount" || r.amountMinor !== null, "A fixed amount reward needs an amount")
  .refine((r) => r.kind !== "percentage" || r.percentage !== null, "A percentage reward needs a percentage");

/** A reward of the catalogue (loyalty_rewards row), as redemption and the widget see it. */
export type LoyaltyRewardRule = z.infer<typeof rewardInputSchema> & { id: number };

/** Every product id whose lines do not earn. */
export function excludedProductIds(settings: LoyaltyProgramSettings): Set<string> {
  return new Set([...settings.exclusions.productIds, ...settings.exclusions.collections.flatMap((c) => c.productIds)]);
}
