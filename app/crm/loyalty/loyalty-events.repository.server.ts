// The loyalty_events outbox: events for the automations, each written once per idempotency key
// (shop-wide) and consumed by stamping delivered_at.
import type { Prisma } from "@prisma/client";

import type { PrismaClient } from "../../db.server";

export interface LoyaltyEventDraft {
  shopId: number;
  memberId: bigint;
  kind: string;
  /** Ids and figures only: the consumer looks the shopper up when it delivers. */
  payload: Prisma.InputJsonObject;
  idempotencyKey: string;
}

/** True when this call wrote the event (false: an event with that key was already recorded). */
export async function recordLoyaltyEvent(
  db: PrismaClient | Prisma.TransactionClient,
  event: LoyaltyEventDraft,
): Promise<boolean> {
  const written = await db.loyaltyEvent.createMany({ data: [event], skipDuplicates: true });
  return written.count > 0;
}

export function undeliveredLoyaltyEvents(db: PrismaClient, shopId: number, take = 100) {
  return db.loyaltyEvent.findMany({ where: { shopId, deliveredAt: null }, orderBy: { id: "asc" }, take });
}

export async function markLoyaltyEventsDelivered(db: PrismaClient, ids: bigint[], at: Date) {
  await db.loyaltyEvent.updateMany({ where: { id: { in: ids }, deliveredAt: null }, data: { deliveredAt: at } });
}

/** Members with points whose customer may still be contacted (neither deleted nor redacted). */
export function contactableMembersWithPoints(
  db: PrismaClient,
  shopId: number,
  afterId: bigint | undefined,
  take: number,
) {
  return db.loyaltyMember.findMany({
    where: { shopId, pointsBalance: { gt: 0 }, id: { gt: afterId }, customer: { deletedAt: null, redactedAt: null } },
    orderBy: { id: "asc" },
    take,
    select: { id: true, pointsBalance: true },
  });
}
