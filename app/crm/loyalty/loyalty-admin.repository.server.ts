// The admin's reads and edits of tiers, rewards and members. Ledger writes stay in
// loyalty-ledger.repository.server.ts; tiers and rewards are archived, never deleted.
import type { PrismaClient } from "../../db.server";
import type { LoyaltyRewardRule } from "./loyalty-program";
import type { TierInput } from "./loyalty-admin-forms";

export function tiersWithMemberCounts(db: PrismaClient, shopId: number) {
  return db.loyaltyTier.findMany({
    where: { shopId, archivedAt: null },
    orderBy: [{ threshold: "asc" }, { id: "asc" }],
    include: {
      _count: { select: { members: true } },
      rewards: { where: { archivedAt: null }, select: { title: true } },
    },
  });
}

/** Updates a live tier of the shop; false when there is none with that id. */
export async function updateTier(db: PrismaClient, shopId: number, tierId: number, tier: TierInput) {
  const updated = await db.loyaltyTier.updateMany({ where: { id: tierId, shopId, archivedAt: null }, data: tier });
  return updated.count > 0;
}

export async function archiveTier(db: PrismaClient, shopId: number, tierId: number, at: Date) {
  const updated = await db.loyaltyTier.updateMany({
    where: { id: tierId, shopId, archivedAt: null },
    data: { archivedAt: at },
  });
  return updated.count > 0;
}

export function liveRewards(db: PrismaClient, shopId: number) {
  return db.loyaltyReward.findMany({
    where: { shopId, archivedAt: null },
    orderBy: [{ pointsCost: "asc" }, { id: "asc" }],
    include: { tier: { select: { name: true } }, _count: { select: { redemptions: true } } },
  });
}

export async function updateReward(
  db: PrismaClient,
  shopId: number,
  rewardId: number,
  reward: Omit<LoyaltyRewardRule, "id">,
) {
  const updated = await db.loyaltyReward.updateMany({
    where: { id: rewardId, shopId, archivedAt: null },
    data: reward,
  });
  return updated.count > 0;
}

export async function archiveReward(db: PrismaClient, shopId: number, rewardId: number, at: Date) {
  const updated = await db.loyaltyReward.updateMany({
    where: { id: rewardId, shopId, archivedAt: null },
    data: { archivedAt: at },
  });
  return updated.count > 0;
}

const memberCustomer = {
  select: { shopifyId: true, firstName: true, lastName: true, email: true, redactedAt: true },
} as const;

/** The members with the highest balances, for the program page. */
export function topMembers(db: PrismaClient, shopId: number, take = 10) {
  return db.loyaltyMember.findMany({
    where: { shopId },
    orderBy: [{ pointsBalance: "desc" }, { id: "asc" }],
    take,
    include: { customer: memberCustomer, tier: { select: { name: true } } },
  });
}

export async function memberOfShopifyCustomer(db: PrismaClient, shopId: number, customerShopifyId: bigint) {
  const customer = await db.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: customerShopifyId } },
    select: { id: true },
  });
  if (!customer) return null;
  return db.loyaltyMember.findUnique({
    where: { customerId: customer.id },
    include: { customer: memberCustomer, tier: { select: { name: true } } },
  });
}

/** One page of a member's ledger, newest first, after the entry id `before` (keyset). */
export async function ledgerPage(db: PrismaClient, memberId: bigint, before: bigint | null, take: number) {
  const rows = await db.loyaltyLedgerEntry.findMany({
    where: { memberId, ...(before === null ? {} : { id: { lt: before } }) },
    orderBy: { id: "desc" },
    take: take + 1,
    select: {
      id: true,
      kind: true,
      points: true,
      reason: true,
      staffName: true,
      orderShopifyId: true,
      redemptionId: true,
      createdAt: true,
    },
  });
  return { entries: rows.slice(0, take), hasMore: rows.length > take };
}
