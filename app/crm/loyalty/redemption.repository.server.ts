// Redemptions: the row that ties a points debit to one Shopify discount code.
import type { Prisma } from "@prisma/client";

import type { PrismaClient } from "../../db.server";
import type { LoyaltyTx } from "./loyalty-ledger.repository.server";
import type { RewardSnapshot } from "./reward-discount";

export type RedemptionStatus = "pending" | "issued" | "failed" | "restored";

export async function insertPendingRedemption(
  tx: LoyaltyTx,
  input: {
    shopId: number;
    memberId: bigint;
    /** Null for a reward no points paid for (an automation's gift). */
    rewardId: number | null;
    snapshot: RewardSnapshot;
    pointsSpent: number;
  },
  codeFor: (id: bigint) => string,
) {
  // The code is derived from the id, which the sequence gives first.
  const [{ id }] = await tx.$queryRaw<
    [{ id: bigint }]
  >`SELECT nextval(pg_get_serial_sequence('loyalty_redemptions', 'id')) AS id`;
  return tx.loyaltyRedemption.create({
    data: {
      id,
      shopId: input.shopId,
      memberId: input.memberId,
      rewardId: input.rewardId,
      rewardSnapshot: input.snapshot as unknown as Prisma.InputJsonValue,
      pointsSpent: input.pointsSpent,
      discountCode: codeFor(id),
    },
  });
}

/**
 * The shop a redemption is looked up in: its id alone is never enough (a job for one shop
 * carrying another shop's id must find nothing). Jobs know the domain, services the id.
 */
export type RedemptionShop = { shopId: number } | { shopDomain: string };

export function findRedemption(db: PrismaClient, redemptionId: bigint, shop: RedemptionShop) {
  return db.loyaltyRedemption.findFirst({
    where: {
      id: redemptionId,
      ...("shopId" in shop ? { shopId: shop.shopId } : { shop: { domain: shop.shopDomain } }),
    },
    include: { member: { include: { customer: { select: { shopifyId: true } } } }, shop: true },
  });
}

export async function markRedemption(
  db: PrismaClient | LoyaltyTx,
  redemptionId: bigint,
  from: RedemptionStatus[],
  data: { status: RedemptionStatus; shopifyDiscountId?: string | null; error?: string | null },
): Promise<boolean> {
  const updated = await db.loyaltyRedemption.updateMany({ where: { id: redemptionId, status: { in: from } }, data });
  return updated.count > 0;
}

/** Links redemptions to the order their code was used on (from the order's discount codes). */
export async function recordCodesUsed(db: PrismaClient, shopId: number, orderShopifyId: bigint, codes: string[]) {
  if (codes.length === 0) return 0;
  const updated = await db.loyaltyRedemption.updateMany({
    where: { shopId, discountCode: { in: codes }, orderShopifyId: null },
    data: { orderShopifyId },
  });
  return updated.count;
}

export async function pointsUsedOnOrder(db: PrismaClient, shopId: number, memberId: bigint, orderShopifyId: bigint) {
  const found = await db.loyaltyRedemption.aggregate({
    where: { shopId, memberId, orderShopifyId, status: "issued" },
    _sum: { pointsSpent: true },
  });
  return found._sum.pointsSpent ?? 0;
}

export function memberRedemptions(db: PrismaClient, memberId: bigint, take = 10) {
  return db.loyaltyRedemption.findMany({
    where: { memberId },
    orderBy: { id: "desc" },
    take,
    select: { id: true, status: true, discountCode: true, pointsSpent: true, rewardSnapshot: true, createdAt: true },
  });
}
