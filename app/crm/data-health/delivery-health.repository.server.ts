// Inbox queries behind the data health card, the dead letter and the inbox sweeper.
import type { PrismaClient } from "@prisma/client";

/**
 * The shop's deliveries by status, of the hours (UTC) from the one holding `since`: a sum over the
 * hourly counts the inbox's triggers keep (migration …_webhook_delivery_hours), never a count of
 * the deliveries themselves, so a week of a busy shop costs what a quiet one does.
 */
export async function countDeliveriesByStatus(db: PrismaClient, shopDomain: string, since: Date) {
  const hours = await db.webhookDeliveryHour.groupBy({
    by: ["kind"],
    where: { shopDomain, hour: { gte: startOfUtcHour(since) } },
    _sum: { deliveries: true },
  });
  const sum = (kind: string) => Number(hours.find((row) => row.kind === kind)?._sum.deliveries ?? 0n);
  const done = ["applied", "ignored", "failed"].map((status) => ({ status, count: sum(status) }));
  const waiting = sum("arrived") - done.reduce((total, row) => total + row.count, 0);
  return [{ status: "received", count: waiting }, ...done];
}

function startOfUtcHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
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

/** Where a sweep's previous page of stranded deliveries ended. */
export type StrandedCursor = { receivedAt: Date; id: bigint };

/**
 * A page of the deliveries still `received` a while after they arrived (or were reopened),
 * oldest first, after `after`, across shops: the sweeper is the one reader that works for every
 * shop at once. Keyset on (received_at, id) rather than an offset: the (status, received_at)
 * index starts each page where the last one ended, so a deep page costs what the first does.
 */
export async function findStrandedDeliveries(
  db: PrismaClient,
  olderThan: Date,
  page: { after?: StrandedCursor | null; limit?: number } = {},
) {
  const after = page.after ?? null;
  return db.webhookDelivery.findMany({
    where: {
      status: "received",
      receivedAt: { lt: olderThan, ...(after ? { gte: after.receivedAt } : {}) },
      ...(after ? { OR: [{ receivedAt: { gt: after.receivedAt } }, { id: { gt: after.id } }] } : {}),
    },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    take: page.limit ?? 500,
    select: { id: true, shopDomain: true, topic: true, attempts: true, receivedAt: true },
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
