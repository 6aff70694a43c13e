// The worker side of the inbox, a batch at a time: one read and one status write for all
// the deliveries a batch applies, instead of two round trips for each.
import type { PrismaClient } from "../../db.server";

export async function findDeliveries(db: PrismaClient, ids: readonly bigint[]) {
  return db.webhookDelivery.findMany({ where: { id: { in: [...ids] } } });
}

export async function markDeliveriesDone(db: PrismaClient, ids: readonly bigint[], status: "applied" | "ignored") {
  if (ids.length === 0) return;
  await db.webhookDelivery.updateMany({
    where: { id: { in: [...ids] } },
    data: { status, lastError: null, attempts: { increment: 1 }, processedAt: new Date() },
  });
}
