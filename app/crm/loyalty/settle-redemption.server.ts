// The end of a redemption's issue attempts. The issue job retries transient failures (Shopify
// down, throttled, a lost response); once the last attempt fails, the shopper gets the points
// back rather than waiting on a code that will not come. The lookup inside issueReward runs
// first on every attempt, so a code created by an attempt whose answer was lost is kept
// (marked issued), never refunded.
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { issueReward, refundFailedRedemption } from "./redeem-reward.server";
import type { RedemptionShop } from "./redemption.repository.server";
import { pendingRedemptionsBefore } from "./redemption-sweep.repository.server";

/** One attempt of the issue job; on the last one a failure restores the points instead of throwing. */
export async function issueRewardAttempt(
  deps: LoyaltyDeps,
  redemptionId: bigint,
  shop: RedemptionShop,
  options: { lastAttempt: boolean },
) {
  try {
    return await issueReward(deps, redemptionId, shop);
  } catch (error) {
    if (!options.lastAttempt) throw error;
    await refundFailedRedemption(
      deps,
      redemptionId,
      shop,
      `No code after the last attempt: ${(error as Error).message}`,
    );
    return "failed";
  }
}

/** Far beyond the issue job's retries (8 attempts, exponential from 1 s: under 5 minutes). */
export const STALE_REDEMPTION_MS = 60 * 60 * 1000;

/**
 * The daily safety net: a redemption still pending an hour on (its job exhausted its retries, or
 * was lost with Redis) gets one more attempt, and its points back if that fails too.
 */
export async function settleStaleRedemptions(deps: LoyaltyDeps, shopId: number) {
  const now = deps.now?.() ?? new Date();
  const stale = await pendingRedemptionsBefore(deps.db, shopId, new Date(now.getTime() - STALE_REDEMPTION_MS));
  const outcome = { issued: 0, restored: 0 };
  for (const id of stale) {
    const status = await issueRewardAttempt(deps, id, { shopId }, { lastAttempt: true });
    if (status === "issued") outcome.issued++;
    else if (status === "failed") outcome.restored++;
  }
  return outcome;
}
