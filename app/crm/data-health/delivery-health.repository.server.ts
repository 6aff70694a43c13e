// Inbox queries behind the data health card, the dead letter and the inbox sweeper.
import type { PrismaClient } from "@prisma/client";

export async function countDeliveriesByStatus(db: PrismaClient, shopDomain: string, since: Date) {
  const rows = await db.webhookDelivery.groupBy({
    by: ["status"],
    where: { shopDomain, receivedAt: { gte: since } },
    _count: { _all: true },
  });
  return rows.map((row) => ({ status: row.status, count: row._count._all }));
}

export async function findOldestPendingDelivery(db: PrismaClient, shopDomain: string) {
  return db.webhookDelivery.findFirst({
    where: { shopDomain, status: "received" },
    orderBy: { receivedAt: "asc" },
    select: { receivedAt: true },
  });
}

/** The latest dead letter (processed_at is when it failed for good). */
export async function findLastFailedDelivery(db: PrismaClient, shopDomain: string) {
  return db.webhookDelivery.findFirst({
    where: { shopDomain, status: "failed" },
    orderBy: [{ processedAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
    select: { topic: true, lastError: true, processedAt: true, receivedAt: true },
  });
}

/**
 * Dead letter: the delivery's job failed for good. Only a delivery still `received` is
 * marked (an applied one stays applied); its payload is kept for the merchant's retry.
 */
export async function markDeliveryFailed(
  db: PrismaClient,
  delivery: { id: bigint; shopDomain: string },
  failure: { error: string; attempts: number },
) {
  const { count } = await db.webhookDelivery.updateMany({
    where: { id: delivery.id, shopDomain: delivery.shopDomain, status: "received" },
    data: {
      status: "failed",
      lastError: failure.error,
      attempts: { increment: Math.max(1, failure.attempts) },
      processedAt: new Date(),
    },
  });
  return count === 1;
}

/** Puts the shop's dead letters back to `received`; returns what to enqueue. */
export async function reopenFailedDeliveries(db: PrismaClient, shopDomain: string, limit = 500) {
  return db.$queryRaw<{ id: bigint; topic: string; attempts: number }[]>`
    UPDATE webhook_deliveries SET status = 'received', processed_at = NULL
    WHERE id IN (
      SELECT id FROM webhook_deliveries
      WHERE shop_domain = ${shopDomain} AND status = 'failed' ORDER BY id LIMIT ${limit}
    ) AND shop_domain = ${shopDomain} AND status = 'failed'
    RETURNING id, topic, attempts`;
}

/**
 * Deliveries still `received` a while after they arrived (or were reopened), oldest first,
 * across shops: the sweeper is the one reader that works for every shop at once.
 */
export async function findStrandedDeliveries(db: PrismaClient, olderThan: Date, limit = 500) {
  return db.webhookDelivery.findMany({
    where: { status: "received", receivedAt: { lt: olderThan } },
    orderBy: { receivedAt: "asc" },
    take: limit,
    select: { id: true, shopDomain: true, topic: true, attempts: true },
  });
}

/**
 * Deliveries applied since `since` (by their arrival, which the index covers), in id order
 * after `afterId`: after Redis lost its data, their follow-up jobs may have been lost with it.
 */
export async function findAppliedDeliveriesSince(db: PrismaClient, since: Date, afterId: bigint, limit = 500) {
  return db.webhookDelivery.findMany({
    where: { status: "applied", receivedAt: { gte: since }, id: { gt: afterId } },
    orderBy: { id: "asc" },
    take: limit,
    select: {
      id: true,
      shopDomain: true,
      topic: true,
      payload: true,
      webhookId: true,
      triggeredAt: true,
      receivedAt: true,
    },
  });
}
