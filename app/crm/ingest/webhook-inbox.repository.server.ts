// The webhook inbox: each verified delivery is written once, keyed by shop and
// webhook id, before anything else happens. It is the source of truth for ingest.
import type { Prisma, PrismaClient } from "@prisma/client";
import type pg from "pg";

export interface InboxDelivery {
  shopDomain: string;
  webhookId: string;
  eventId: string | null;
  topic: string;
  apiVersion: string;
  triggeredAt: Date | null;
  payload: Prisma.InputJsonValue;
}

const INSERT_DELIVERY = `
  INSERT INTO webhook_deliveries (shop_domain, webhook_id, event_id, topic, api_version, triggered_at, payload)
  VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::jsonb)
  ON CONFLICT (shop_domain, webhook_id) DO NOTHING
  RETURNING id`;

const insertParams = (delivery: InboxDelivery) => [
  delivery.shopDomain,
  delivery.webhookId,
  delivery.eventId,
  delivery.topic,
  delivery.apiVersion,
  delivery.triggeredAt?.toISOString() ?? null,
  JSON.stringify(delivery.payload),
];

/** Stores the delivery; returns its id when new, null when it was already received. */
export async function recordDelivery(db: PrismaClient, delivery: InboxDelivery): Promise<bigint | null> {
  const rows = await db.$queryRawUnsafe<{ id: bigint }[]>(INSERT_DELIVERY, ...insertParams(delivery));
  return rows[0]?.id ?? null;
}

/** The same insert on a plain pg pool, for the webhook request path. */
export async function recordDeliveryWithPool(pool: pg.Pool, delivery: InboxDelivery): Promise<bigint | null> {
  const result = await pool.query<{ id: string }>(INSERT_DELIVERY, insertParams(delivery));
  const id = result.rows[0]?.id;
  return id === undefined ? null : BigInt(id);
}

export async function findDelivery(db: PrismaClient, id: bigint) {
  return db.webhookDelivery.findUnique({ where: { id } });
}

export async function markDelivery(
  db: PrismaClient,
  id: bigint,
  update: { status: "applied" | "ignored" | "failed"; error?: string },
) {
  await db.webhookDelivery.update({
    where: { id },
    data: {
      status: update.status,
      lastError: update.error ?? null,
      attempts: { increment: 1 },
      processedAt: update.status === "failed" ? null : new Date(),
    },
  });
}
