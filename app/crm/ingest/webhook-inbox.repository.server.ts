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
  ON CONFLICT DO NOTHING
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

/** A delivery as the request path has it: the body kept as received (it is checked to be JSON). */
export type ReceivedDelivery = Omit<InboxDelivery, "payload"> & { payloadJson: string };

// The request path's insert: one statement for a whole micro-batch, on a plain pg pool
// (none of Prisma's query machinery on the hottest path). The batch travels as one JSON
// array with each body spliced in as received: no re-serialising, no array escaping.
// ON CONFLICT without a target: a delivery repeats by webhook id or by event id.
const INSERT_RECEIVED_DELIVERIES = `
  INSERT INTO webhook_deliveries (shop_domain, webhook_id, event_id, topic, api_version, triggered_at, payload)
  SELECT shop_domain, webhook_id, event_id, topic, api_version, triggered_at, payload
  FROM jsonb_to_recordset($1::jsonb) AS received(
    shop_domain text, webhook_id text, event_id text, topic text, api_version text,
    triggered_at timestamptz, payload jsonb)
  ON CONFLICT DO NOTHING
  RETURNING id, shop_domain, webhook_id`;

/** The inbox key of a delivery: shop and webhook id. */
export const inboxKey = (delivery: { shopDomain: string; webhookId: string }) =>
  `${delivery.shopDomain}\n${delivery.webhookId}`;

const receivedAsJson = (delivery: ReceivedDelivery) =>
  `{"shop_domain":${JSON.stringify(delivery.shopDomain)},"webhook_id":${JSON.stringify(delivery.webhookId)},` +
  `"event_id":${JSON.stringify(delivery.eventId)},"topic":${JSON.stringify(delivery.topic)},` +
  `"api_version":${JSON.stringify(delivery.apiVersion)},` +
  `"triggered_at":${JSON.stringify(delivery.triggeredAt?.toISOString() ?? null)},"payload":${delivery.payloadJson}}`;

/**
 * Stores the deliveries; returns the ids of those that were new, by inbox key. Pass each
 * key once: within one INSERT a repeat is skipped, and only the caller knows which came first.
 */
export async function recordReceivedDeliveries(
  pool: pg.Pool,
  deliveries: ReceivedDelivery[],
): Promise<Map<string, bigint>> {
  const batch = `[${deliveries.map(receivedAsJson).join(",")}]`;
  const result = await pool.query<{ id: string; shop_domain: string; webhook_id: string }>(INSERT_RECEIVED_DELIVERIES, [
    batch,
  ]);
  const ids = new Map<string, bigint>();
  for (const row of result.rows) {
    ids.set(inboxKey({ shopDomain: row.shop_domain, webhookId: row.webhook_id }), BigInt(row.id));
  }
  return ids;
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
