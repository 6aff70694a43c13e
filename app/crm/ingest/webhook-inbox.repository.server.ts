// The webhook inbox: each verified delivery is written once, keyed by shop and
// webhook id, before anything else happens. It is the source of truth for ingest.
import type { Prisma, PrismaClient } from "@prisma/client";

export interface InboxDelivery {
  shopDomain: string;
  webhookId: string;
  eventId: string | null;
  topic: string;
  apiVersion: string;
  triggeredAt: Date | null;
  payload: Prisma.InputJsonValue;
}

/** Stores the delivery; returns its id when new, null when it was already received. */
export async function recordDelivery(db: PrismaClient, delivery: InboxDelivery): Promise<bigint | null> {
  const rows = await db.$queryRaw<{ id: bigint }[]>`
    INSERT INTO webhook_deliveries (shop_domain, webhook_id, event_id, topic, api_version, triggered_at, payload)
    VALUES (${delivery.shopDomain}, ${delivery.webhookId}, ${delivery.eventId}, ${delivery.topic},
            ${delivery.apiVersion}, ${delivery.triggeredAt?.toISOString() ?? null}::timestamptz,
            ${JSON.stringify(delivery.payload)}::jsonb)
    ON CONFLICT (shop_domain, webhook_id) DO NOTHING
    RETURNING id`;
  return rows[0]?.id ?? null;
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
