// The members whose birthday Kinship may still read from Shopify, and the write that fills it
// only while it is empty (a birthday the shopper gave in the widget always wins).
import type { PrismaClient } from "../../db.server";

export interface MemberToReadBirthday {
  memberId: bigint;
  customerShopifyId: bigint;
}

/** Members without a birthday whose customer is neither deleted nor redacted, by id, after `afterId`. */
export async function membersWithoutBirthday(
  db: PrismaClient,
  shopId: number,
  options: { afterId?: bigint; memberIds?: bigint[]; take: number },
): Promise<MemberToReadBirthday[]> {
  const members = await db.loyaltyMember.findMany({
    where: {
      shopId,
      birthdayMonth: null,
      customer: { deletedAt: null, redactedAt: null },
      id: { gt: options.afterId, in: options.memberIds },
    },
    orderBy: { id: "asc" },
    take: options.take,
    select: { id: true, customer: { select: { shopifyId: true } } },
  });
  return members.map((member) => ({ memberId: member.id, customerShopifyId: member.customer.shopifyId }));
}

/** Sets the birthday unless one is already there; true when this call set it. */
export async function fillMissingBirthday(db: PrismaClient, memberId: bigint, month: number, day: number) {
  const updated = await db.loyaltyMember.updateMany({
    where: { id: memberId, birthdayMonth: null },
    data: { birthdayMonth: month, birthdayDay: day },
  });
  return updated.count > 0;
}

export function findMemberById(db: PrismaClient, memberId: bigint) {
  return db.loyaltyMember.findUnique({ where: { id: memberId } });
}
