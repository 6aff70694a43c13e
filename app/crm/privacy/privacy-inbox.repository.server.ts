// The webhook inbox keeps every delivery's payload, so an erasure reaches it too. Rows are
// redacted rather than deleted: the row (shop, webhook id) is what stops Shopify's retry of
// an old delivery from being stored, and applied, again.
import { Prisma, type PrismaClient } from "@prisma/client";

import type { CustomerDataSubject } from "./customer-data-document";

const REDACTED_NOTE = "payload redacted (customers/redact)";

// Ids only, so that a retried job can still parse the request.
const complianceIdsOnly = Prisma.sql`jsonb_strip_nulls(jsonb_build_object(
  'redacted', true,
  'shop_id', d.payload -> 'shop_id',
  'shop_domain', d.payload -> 'shop_domain',
  'customer', jsonb_build_object('id', d.payload -> 'customer' -> 'id'),
  'orders_to_redact', d.payload -> 'orders_to_redact',
  'orders_requested', d.payload -> 'orders_requested',
  'data_request', d.payload -> 'data_request'))`;

/**
 * Replaces the payloads of the subject's deliveries (customer, order, refund and compliance
 * topics) with their ids only. Deliveries not yet applied are set aside as ignored: what
 * they carried is gone. `except` is the delivery being applied, redacted last by
 * redactOwnComplianceDelivery.
 */
export async function redactSubjectDeliveries(db: PrismaClient, subject: CustomerDataSubject, except: bigint) {
  const customerId = subject.customerShopifyId.toString();
  const orderIds = subject.orderShopifyIds.map(String);
  return db.$executeRaw`
    UPDATE webhook_deliveries AS d
    SET payload = CASE
          WHEN d.topic IN ('customers/redact', 'customers/data_request') THEN ${complianceIdsOnly}
          ELSE jsonb_strip_nulls(jsonb_build_object('redacted', true, 'id', d.payload -> 'id'))
        END,
        status = CASE WHEN d.status IN ('received', 'failed') THEN 'ignored' ELSE d.status END,
        last_error = CASE WHEN d.status IN ('received', 'failed') THEN ${REDACTED_NOTE} ELSE d.last_error END,
        processed_at = CASE WHEN d.status IN ('received', 'failed') THEN now() ELSE d.processed_at END
    WHERE d.shop_domain = ${subject.shopDomain}
      AND d.id <> ${except}
      AND NOT (d.payload ? 'redacted')
      AND (
        (d.topic LIKE 'customers/%' AND d.topic NOT IN ('customers/redact', 'customers/data_request')
          AND d.payload ->> 'id' = ${customerId})
        OR (d.topic IN ('customers/redact', 'customers/data_request')
          AND d.payload -> 'customer' ->> 'id' = ${customerId})
        OR (d.topic LIKE 'orders/%'
          AND (d.payload -> 'customer' ->> 'id' = ${customerId}
               OR d.payload ->> 'id' = ANY (${orderIds}::text[])
               OR lower(d.payload ->> 'email') = ANY (${subject.emails}::text[])
               OR lower(d.payload ->> 'contact_email') = ANY (${subject.emails}::text[])))
        OR (d.topic = 'refunds/create' AND d.payload ->> 'order_id' = ANY (${orderIds}::text[]))
      )`;
}

/** The compliance delivery itself carries the customer's e-mail and phone: only ids stay. */
export async function redactOwnComplianceDelivery(db: PrismaClient, deliveryId: bigint) {
  await db.$executeRaw`
    UPDATE webhook_deliveries AS d SET payload = ${complianceIdsOnly}
    WHERE d.id = ${deliveryId} AND NOT (d.payload ? 'redacted')`;
}

/**
 * shop/redact: every row of the shop goes. The shop row cascades to customers, orders, line
 * items, refunds and sync runs (privacy_requests keep their record with shop_id null);
 * sessions and inbox rows are keyed by domain. shop/redact deliveries stay (they hold only
 * the shop's ids), so a retry or a replay of one finds it already applied.
 */
export async function eraseShop(db: PrismaClient, shopDomain: string) {
  const [, sessions, deliveries, shops] = await db.$transaction([
    db.$executeRaw`UPDATE privacy_requests SET document = NULL WHERE shop_domain = ${shopDomain} AND document IS NOT NULL`,
    db.session.deleteMany({ where: { shop: shopDomain } }),
    db.webhookDelivery.deleteMany({ where: { shopDomain, topic: { not: "shop/redact" } } }),
    db.shop.deleteMany({ where: { domain: shopDomain } }),
  ]);
  return { sessions: sessions.count, deliveries: deliveries.count, shops: shops.count };
}
