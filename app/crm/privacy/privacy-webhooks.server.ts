// The mandatory compliance webhooks. Each handler is idempotent: it can be retried after a
// crash at any step, or replayed, and ends in the same state with one privacy_requests row.
//
// What customers/redact erases, and why:
// - names, e-mail, country: they identify or locate the person (phone and postal address are
//   never stored: Customer 360 reads them live from Shopify);
// - tags: merchants write free text there ("met Jane at the fair", an e-mail, a birthday),
//   so they cannot be assumed anonymous;
// - orders.email of the customer's orders (by customer id, orders_to_redact, or e-mail);
// - the payloads of the customer's webhook deliveries (ids only remain) and the documents
//   of earlier data requests.
// What stays: Shopify's opaque customer id (the tombstone that keeps a later
// customers/update from writing the data back), order amounts, dates, channels and products,
// so counts, revenue and cohorts still add up. Consent states stay: without an address they
// reach no one, and they keep consent rates right.
import { findShopByDomain } from "../shop/shop.repository.server";
import type { ApplyWebhookDeps, DeliveryHandler } from "../ingest/webhook-handler";
import { unscheduleShopJobs } from "../history/shop-schedules.server";
import { parseCustomerDataRequest, parseCustomerRedact, type CustomerPrivacyRequest } from "./compliance-payloads";
import { customerDataDocument, type CustomerDataSubject } from "./customer-data-document";
import { CUSTOMER_DATA_SECTIONS } from "./customer-data-sections.server";
import { findCustomerEmail, findSubjectOrderIds } from "./customer-data.repository.server";
import { eraseShop, redactOwnComplianceDelivery, redactSubjectDeliveries } from "./privacy-inbox.repository.server";
import {
  clearPrivacyDocuments,
  findRecordedPrivacyRequest,
  recordPrivacyRequest,
} from "./privacy-requests.repository.server";

type Shop = NonNullable<Awaited<ReturnType<typeof findShopByDomain>>>;

const unique = <T>(values: T[]) => [...new Set(values)];

async function subjectOf(
  db: ApplyWebhookDeps["db"],
  shop: Shop,
  request: CustomerPrivacyRequest,
): Promise<CustomerDataSubject> {
  const stored = await findCustomerEmail(db, shop.id, request.customerShopifyId);
  const base: CustomerDataSubject = {
    shopId: shop.id,
    shopDomain: shop.domain,
    currencyCode: shop.currencyCode,
    customerShopifyId: request.customerShopifyId,
    orderShopifyIds: request.orderShopifyIds,
    emails: unique([stored, request.email].filter((email): email is string => email !== null)),
  };
  const held = await findSubjectOrderIds(db, base);
  return { ...base, orderShopifyIds: unique([...request.orderShopifyIds, ...held]) };
}

const applyDataRequest: DeliveryHandler = async ({ db, logger }, delivery) => {
  const request = parseCustomerDataRequest(delivery.payload);
  const shop = await findShopByDomain(db, delivery.shopDomain);
  if (!shop) {
    logger.info({ shop: delivery.shopDomain, topic: delivery.topic }, "data request for a shop we hold nothing of");
    return "ignored";
  }
  const key = {
    shopDomain: shop.domain,
    topic: "customers/data_request" as const,
    customerShopifyId: request.customerShopifyId,
    requestId: request.requestId,
  };
  if (await findRecordedPrivacyRequest(db, key)) return "applied";
  const subject = await subjectOf(db, shop, request);
  const sections = [];
  for (const section of CUSTOMER_DATA_SECTIONS) {
    sections.push({ key: section.key, title: section.title, data: await section.collect(db, subject) });
  }
  const completedAt = new Date();
  const document = customerDataDocument(subject, request.requestId, completedAt, sections);
  const recorded = await recordPrivacyRequest(db, {
    ...key,
    shopId: shop.id,
    document,
    receivedAt: delivery.occurredAt,
    completedAt,
  });
  logger.info({ shop: shop.domain, privacyRequestId: recorded.id }, "customer data request prepared");
  return "applied";
};

/**
 * Erases one customer's personal data everywhere Kinship holds it (the list at the top of this
 * file): for customers/redact, and for the retention job (customers deleted in Shopify).
 * `exceptDeliveryId`: a delivery whose payload the caller still needs and redacts itself.
 */
export async function eraseCustomerData(
  db: ApplyWebhookDeps["db"],
  shop: Shop,
  request: CustomerPrivacyRequest,
  at: Date,
  exceptDeliveryId = 0n,
) {
  const subject = await subjectOf(db, shop, request);
  for (const section of CUSTOMER_DATA_SECTIONS) await section.redact(db, subject, at);
  await redactSubjectDeliveries(db, subject, exceptDeliveryId);
}

const applyCustomerRedact: DeliveryHandler = async ({ db, logger }, delivery) => {
  const request = parseCustomerRedact(delivery.payload);
  const shop = await findShopByDomain(db, delivery.shopDomain);
  const at = new Date();
  if (shop) await eraseCustomerData(db, shop, request, at, delivery.id);
  await clearPrivacyDocuments(db, delivery.shopDomain, request.customerShopifyId);
  const key = {
    shopDomain: delivery.shopDomain,
    topic: "customers/redact" as const,
    customerShopifyId: request.customerShopifyId,
    requestId: null,
  };
  const recorded = await findRecordedPrivacyRequest(db, key);
  if (!recorded) {
    await recordPrivacyRequest(db, {
      ...key,
      shopId: shop?.id ?? null,
      document: null,
      receivedAt: delivery.occurredAt,
      completedAt: at,
    });
  }
  // Last: until here a retried job still needs the payload as Shopify sent it.
  await redactOwnComplianceDelivery(db, delivery.id);
  logger.info({ shop: delivery.shopDomain, topic: delivery.topic }, "customer data erased");
  return "applied";
};

const applyShopRedact: DeliveryHandler = async ({ db, logger, jobs }, delivery) => {
  const existed = (await findShopByDomain(db, delivery.shopDomain)) !== null;
  const erased = await eraseShop(db, delivery.shopDomain);
  // Normally done at app/uninstalled; again here in case that delivery never came.
  await unscheduleShopJobs(jobs, delivery.shopDomain);
  const key = {
    shopDomain: delivery.shopDomain,
    topic: "shop/redact" as const,
    customerShopifyId: null,
    requestId: null,
  };
  // A shop that reinstalled after an earlier erasure is recorded again when erased again.
  if (existed || !(await findRecordedPrivacyRequest(db, key))) {
    await recordPrivacyRequest(db, {
      ...key,
      shopId: null,
      document: null,
      receivedAt: delivery.occurredAt,
      completedAt: new Date(),
    });
  }
  logger.info({ shop: delivery.shopDomain, ...erased }, "shop data erased");
  return "applied";
};

export const PRIVACY_WEBHOOK_HANDLERS: Record<string, DeliveryHandler> = {
  "customers/data_request": applyDataRequest,
  "customers/redact": applyCustomerRedact,
  "shop/redact": applyShopRedact,
};
