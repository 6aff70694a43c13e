// A reward given rather than bought (an automation's win-back or birthday code): a redemption
// with no points spent, issued as a Shopify discount code by the same machinery as a redeemed
// reward (issueReward: the code derives from the redemption id, so retries never make two).
import type { Prisma } from "@prisma/client";

import { insertPendingRedemption } from "./redemption.repository.server";
import { discountCodeForRedemption, type RewardSnapshot } from "./reward-discount";

export interface GiftReward {
  title: string;
  kind: "fixed_amount" | "percentage" | "free_shipping";
  amountMinor: string | null;
  percentage: number | null;
  minimumSubtotalMinor: string | null;
}

export function giftSnapshot(gift: GiftReward): RewardSnapshot {
  return {
    id: 0,
    title: gift.title,
    kind: gift.kind,
    pointsCost: 0,
    amountMinor: gift.kind === "fixed_amount" ? gift.amountMinor : null,
    percentage: gift.kind === "percentage" ? gift.percentage : null,
    minimumSubtotalMinor: gift.minimumSubtotalMinor,
    tierId: null,
  };
}

/** Records the gift's redemption `pending` (inside the caller's transaction); issue it with issueReward. */
export async function createGiftRedemption(
  tx: Prisma.TransactionClient,
  input: { shopId: number; memberId: bigint; gift: GiftReward },
): Promise<bigint> {
  const created = await insertPendingRedemption(
    tx,
    {
      shopId: input.shopId,
      memberId: input.memberId,
      rewardId: null,
      snapshot: giftSnapshot(input.gift),
      pointsSpent: 0,
    },
    discountCodeForRedemption,
  );
  return created.id;
}
