// The answer of GET /api/customer-account/loyalty (the storefront proxy's GET, see
// app/crm/loyalty/README.md), and what the block shows of it.
export interface LoyaltyMemberSummary {
  member: true;
  balance: number;
  tier: { id: number; name: string } | null;
  nextTier: { name: string; remaining: string; threshold?: string; basis: "points_earned" | "spend" } | null;
  rewards: {
    id: number;
    title: string;
    pointsCost: number;
    affordable: boolean;
    tierRequired: string | null;
  }[];
  expiring: { points: number; at: string } | null;
  /** The shop currency, whose minor units the amounts are in. */
  currencyCode: string;
}

export interface LoyaltyJoinSummary {
  member: false;
  howToJoin: {
    currencyCode: string;
    signupBonus: number;
    pointsPerCurrencyUnit: number;
    rewards: { id: number; title: string; pointsCost: number }[];
  };
}

export type LoyaltySummary = LoyaltyMemberSummary | LoyaltyJoinSummary;

/** "741 points to Gold", or the spend still needed, formatted by the caller's money formatter. */
export function nextTierText(nextTier: LoyaltyMemberSummary["nextTier"], formatMoney: (minor: string) => string) {
  if (!nextTier) return null;
  const remaining =
    nextTier.basis === "spend" ? `${formatMoney(nextTier.remaining)} of spend` : `${nextTier.remaining} points`;
  return `${remaining} to ${nextTier.name}`;
}

/** Minor units of a currency as a number of major units, with the currency's own exponent (JPY 0, KWD 3). */
export function minorToMajor(minor: string, currencyCode: string): number {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency: currencyCode }).resolvedOptions()
    .maximumFractionDigits;
  return Number(minor) / 10 ** (digits ?? 2);
}

export function rewardStatus(reward: LoyaltyMemberSummary["rewards"][number], balance: number) {
  if (reward.tierRequired) return `For ${reward.tierRequired} members`;
  if (reward.affordable) return "Available: redeem it in the shop's rewards panel";
  return `${reward.pointsCost - balance} more points needed`;
}
