// Tier status. A member qualifies by points earned or by spend within the qualifying period
// (rolling 12 months, or the calendar year). Reaching a higher tier counts at once and holds
// until the end of the period; only then can the member drop, to what they qualify for then.
import type { LoyaltyProgramSettings, LoyaltyTierRule } from "./loyalty-program";

export interface MemberTierState {
  tierId: number | null;
  since: Date | null;
  periodEndsAt: Date | null;
}

/** Tiers from lowest to highest threshold. */
export function rankTiers(tiers: readonly LoyaltyTierRule[]): LoyaltyTierRule[] {
  return [...tiers].sort((a, b) => (a.threshold < b.threshold ? -1 : a.threshold > b.threshold ? 1 : a.id - b.id));
}

export function qualifyingTier(tiers: readonly LoyaltyTierRule[], qualifyingValue: bigint): LoyaltyTierRule | null {
  let found: LoyaltyTierRule | null = null;
  for (const tier of rankTiers(tiers)) if (tier.threshold <= qualifyingValue) found = tier;
  return found;
}

function addMonthsUtc(at: Date, months: number): Date {
  const result = new Date(at);
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}

/** The window the qualifying value is summed over, as of `now`. */
export function qualifyingWindow(
  period: LoyaltyProgramSettings["tiers"]["period"],
  now: Date,
): { from: Date; to: Date } {
  if (period === "rolling_12_months") return { from: addMonthsUtc(now, -12), to: now };
  return { from: new Date(Date.UTC(now.getUTCFullYear(), 0, 1)), to: now };
}

/** When a tier reached (or confirmed) at `at` comes up for review. */
export function periodEndFor(period: LoyaltyProgramSettings["tiers"]["period"], at: Date): Date {
  if (period === "rolling_12_months") return addMonthsUtc(at, 12);
  return new Date(Date.UTC(at.getUTCFullYear() + 1, 0, 1));
}

export interface TierDecision {
  next: MemberTierState;
  change: "upgrade" | "downgrade" | "renewed" | "none";
  /** The tier newly entered (for its entry bonus), on upgrade. */
  entered: LoyaltyTierRule | null;
}

/**
 * `tiers` are the live tiers; a member whose tier was archived or edited out of reach is
 * re-placed by the same rules (entry at once, a drop only at period end). Ledger history is not
 * touched: a tier decision only moves the member's tier fields.
 */
export function decideTier(input: {
  tiers: readonly LoyaltyTierRule[];
  current: MemberTierState;
  qualifyingValue: bigint;
  period: LoyaltyProgramSettings["tiers"]["period"];
  now: Date;
}): TierDecision {
  const { tiers, current, now, period } = input;
  const ranked = rankTiers(tiers);
  const rankOf = (id: number | null) => (id === null ? -1 : ranked.findIndex((tier) => tier.id === id));
  const qualified = qualifyingTier(tiers, input.qualifyingValue);
  const qualifiedRank = rankOf(qualified?.id ?? null);
  const currentRank = rankOf(current.tierId);
  const currentExists = current.tierId === null || currentRank >= 0;

  if (qualifiedRank > currentRank) {
    return {
      next: { tierId: qualified!.id, since: now, periodEndsAt: periodEndFor(period, now) },
      change: "upgrade",
      entered: qualified,
    };
  }
  const periodOver = current.periodEndsAt !== null && current.periodEndsAt.getTime() <= now.getTime();
  if (!currentExists || periodOver) {
    const tierId = qualified?.id ?? null;
    if (tierId === current.tierId) {
      return {
        next: { ...current, periodEndsAt: tierId === null ? null : periodEndFor(period, now) },
        change: "renewed",
        entered: null,
      };
    }
    return {
      next: {
        tierId,
        since: tierId === null ? null : now,
        periodEndsAt: tierId === null ? null : periodEndFor(period, now),
      },
      change: "downgrade",
      entered: null,
    };
  }
  return { next: current, change: "none", entered: null };
}

/** Progress to the next tier, for the shopper's widget. */
export function nextTierProgress(
  tiers: readonly LoyaltyTierRule[],
  currentTierId: number | null,
  qualifyingValue: bigint,
): { nextTier: LoyaltyTierRule; remaining: bigint } | null {
  const ranked = rankTiers(tiers);
  const currentRank = currentTierId === null ? -1 : ranked.findIndex((tier) => tier.id === currentTierId);
  const next = ranked.find((tier, index) => index > currentRank && tier.threshold > qualifyingValue);
  if (!next) return null;
  return { nextTier: next, remaining: next.threshold - qualifyingValue };
}
