// A redemption's Shopify discount: the code, derived from the redemption id alone so a retry
// after a crash finds the code it may already have created, and the mutation input.
import type { LoyaltyRewardRule } from "./loyalty-program";

const CHECK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** KIN-<id in base 36>-<2 check characters>: unique per redemption, stable across retries. */
export function discountCodeForRedemption(redemptionId: bigint): string {
  const body = redemptionId.toString(36).toUpperCase();
  let hash = 2166136261;
  for (const char of `kinship:${body}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return `KIN-${body}-${CHECK_ALPHABET[hash % 32]}${CHECK_ALPHABET[(hash >>> 5) % 32]}`;
}

export function isLoyaltyDiscountCode(code: string): boolean {
  return /^KIN-[0-9A-Z]+-[A-Z2-9]{2}$/.test(code);
}

/** The reward as it was redeemed (kept on the redemption row). */
export type RewardSnapshot = Omit<LoyaltyRewardRule, "amountMinor" | "minimumSubtotalMinor"> & {
  amountMinor: string | null;
  minimumSubtotalMinor: string | null;
};

export function rewardSnapshot(reward: LoyaltyRewardRule): RewardSnapshot {
  return {
    ...reward,
    amountMinor: reward.amountMinor?.toString() ?? null,
    minimumSubtotalMinor: reward.minimumSubtotalMinor?.toString() ?? null,
  };
}

export type DiscountMutation =
  | { mutation: "discountCodeBasicCreate"; variables: { basicCodeDiscount: Record<string, unknown> } }
  | { mutation: "discountCodeFreeShippingCreate"; variables: { freeShippingCodeDiscount: Record<string, unknown> } };

/**
 * Single use, for that customer only (the 2026-07 `context` field), combinable with nothing
 * but shipping discounts. `toDecimal` formats minor units in the shop currency.
 */
export function discountMutationFor(input: {
  reward: RewardSnapshot;
  code: string;
  customerGid: string;
  startsAt: Date;
  toDecimal: (minor: bigint) => string;
}): DiscountMutation {
  const { reward, code } = input;
  const common = {
    title: `${reward.title} (loyalty reward ${code})`,
    code,
    startsAt: input.startsAt.toISOString(),
    context: { customers: { add: [input.customerGid] } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    minimumRequirement: reward.minimumSubtotalMinor
      ? { subtotal: { greaterThanOrEqualToSubtotal: input.toDecimal(BigInt(reward.minimumSubtotalMinor)) } }
      : null,
  };
  if (reward.kind === "free_shipping") {
    return {
      mutation: "discountCodeFreeShippingCreate",
      variables: {
        freeShippingCodeDiscount: {
          ...common,
          destination: { all: true },
          combinesWith: { productDiscounts: true, orderDiscounts: true, shippingDiscounts: false },
        },
      },
    };
  }
  const value =
    reward.kind === "percentage"
      ? { percentage: (reward.percentage ?? 0) / 100 }
      : { discountAmount: { amount: input.toDecimal(BigInt(reward.amountMinor ?? "0")), appliesOnEachItem: false } };
  return {
    mutation: "discountCodeBasicCreate",
    variables: {
      basicCodeDiscount: {
        ...common,
        customerGets: { value, items: { all: true } },
        combinesWith: { productDiscounts: false, orderDiscounts: false, shippingDiscounts: true },
      },
    },
  };
}
