// Program KPIs for the admin, shaped from the raw sums of loyalty-kpis.repository.server.ts.
// Liability assumption: a point is worth what the best fixed-amount reward of the catalogue pays
// for it (amount ÷ points cost, the highest such rate), because that is what a member can turn it
// into; with no fixed-amount reward the liability is unknown rather than guessed.
import { formatMoney } from "../money/money";
import type { LoyaltyRewardRule } from "./loyalty-program";

export interface LoyaltyKpiSums {
  members: number;
  /** Credits of every kind except `restore` (a restore gives back points already counted). */
  pointsIssued: bigint;
  /** Points taken back by refunds and cancellations (positive). */
  pointsReversed: bigint;
  /** Points spent on rewards, net of restores for refused codes (positive). */
  pointsRedeemed: bigint;
  pointsExpired: bigint;
  /** Sum of the members' balances (the ledger's sum). */
  pointsOutstanding: bigint;
  /** Net sales (after refunds, cancelled orders left out) of members' orders since launch. */
  memberRevenueMinor: bigint;
  memberOrders: number;
}

/** Value of one point as a fraction (minor units per `points`), or null when no reward sets it. */
export interface PointValue {
  amountMinor: bigint;
  points: number;
  rewardTitle: string;
}

export function pointValueFromRewards(rewards: readonly LoyaltyRewardRule[]): PointValue | null {
  let best: PointValue | null = null;
  for (const reward of rewards) {
    if (reward.kind !== "fixed_amount" || reward.amountMinor === null || reward.pointsCost <= 0) continue;
    // a/b > c/d  ⇔  a·d > c·b (integers only)
    if (!best || reward.amountMinor * BigInt(best.points) > best.amountMinor * BigInt(reward.pointsCost)) {
      best = { amountMinor: reward.amountMinor, points: reward.pointsCost, rewardTitle: reward.title };
    }
  }
  return best;
}

/** Outstanding points × value per point, rounded half up to the minor unit. */
export function liabilityMinor(outstanding: bigint, value: PointValue | null): bigint | null {
  if (!value || outstanding <= 0n) return value ? 0n : null;
  const points = BigInt(value.points);
  return (outstanding * value.amountMinor * 2n + points) / (2n * points);
}

export interface LoyaltyKpiCards {
  members: string;
  pointsIssued: string;
  pointsRedeemed: string;
  pointsOutstanding: string;
  liability: string;
  liabilityBasis: string;
  redemptionRate: string;
  memberRevenue: string;
  memberOrders: string;
}

const integer = (value: bigint | number) => new Intl.NumberFormat("en-US").format(value);

export function shapeLoyaltyKpis(
  sums: LoyaltyKpiSums,
  options: { currencyCode: string; pointValue: PointValue | null },
): LoyaltyKpiCards {
  const netIssued = sums.pointsIssued - sums.pointsReversed;
  const liability = liabilityMinor(sums.pointsOutstanding, options.pointValue);
  const value = options.pointValue;
  return {
    members: integer(sums.members),
    pointsIssued: integer(netIssued),
    pointsRedeemed: integer(sums.pointsRedeemed),
    pointsOutstanding: integer(sums.pointsOutstanding),
    liability: liability === null ? "—" : formatMoney(liability, options.currencyCode),
    liabilityBasis: value
      ? `At ${formatMoney(value.amountMinor, options.currencyCode)} per ${integer(value.points)} points (“${value.rewardTitle}”, the best fixed-amount reward)`
      : "Add a fixed-amount reward to value points in money",
    redemptionRate: netIssued > 0n ? percent(sums.pointsRedeemed, netIssued) : "—",
    memberRevenue: formatMoney(sums.memberRevenueMinor, options.currencyCode),
    memberOrders: integer(sums.memberOrders),
  };
}

/** part ÷ whole as a percentage with one decimal, computed in integers. */
function percent(part: bigint, whole: bigint): string {
  const tenths = (part * 2000n + whole) / (2n * whole);
  return `${tenths / 10n}.${tenths % 10n}%`;
}
