// privacy_requests: each compliance request as received and what was done about it.
import type { Prisma, PrismaClient } from "@prisma/client";

export interface PrivacyRequestRecord {
  shopId: number | null;
  shopDomain: string;
  topic: "customers/data_request" | "customers/redact" | "shop/redact";
  customerShopifyId: bigint | null;
  requestId: string | null;
  /** Built from plain JSON values (strings, numbers, arrays, objects). */
  document: object | null;
  receivedAt: Date;
  completedAt: Date;
}

/**
 * The request already recorded for the same subject, if any: a data request by Shopify's
 * request id, a customer erasure by customer, a shop erasure by shop domain. A retried job
 * that crashed after recording finds it and records nothing twice.
 */
export async function findRecordedPrivacyRequest(
  db: PrismaClient,
  key: Pick<PrivacyRequestRecord, "shopDomain" | "topic" | "customerShopifyId" | "requestId">,
) {
  return db.privacyRequest.findFirst({
    where: {
      shopDomain: key.shopDomain,
      topic: key.topic,
      ...(key.topic === "shop/redact" ? {} : { customerShopifyId: key.customerShopifyId }),
      ...(key.topic === "customers/data_request" ? { requestId: key.requestId } : {}),
    },
    select: { id: true },
  });
}

export async function recordPrivacyRequest(db: PrismaClient, record: PrivacyRequestRecord) {
  return db.privacyRequest.create({
    data: {
      shopId: record.shopId,
      shopDomain: record.shopDomain,
      topic: record.topic,
      customerShopifyId: record.customerShopifyId,
      requestId: record.requestId,
      document: (record.document as Prisma.InputJsonValue | null) ?? undefined,
      receivedAt: record.receivedAt,
      completedAt: record.completedAt,
    },
    select: { id: true },
  });
}

/** Data-request documents hold personal data: an erasure clears them (the record stays). */
export async function clearPrivacyDocuments(db: PrismaClient, shopDomain: string, customerShopifyId?: bigint) {
  await db.$executeRaw`
    UPDATE privacy_requests SET document = NULL
    WHERE shop_domain = ${shopDomain} AND document IS NOT NULL
      AND (${customerShopifyId ?? null}::bigint IS NULL OR customer_shopify_id = ${customerShopifyId ?? null}::bigint)`;
}

export async function listPrivacyRequests(db: PrismaClient, shopDomain: string, limit = 20) {
  const rows = await db.privacyRequest.findMany({
    where: { shopDomain },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      topic: true,
      customerShopifyId: true,
      requestId: true,
      receivedAt: true,
      completedAt: true,
      // Whether there is a document to download, without loading it.
      document: false,
    },
  });
  const withDocument = await db.$queryRaw<{ id: number }[]>`
    SELECT id FROM privacy_requests
    WHERE shop_domain = ${shopDomain} AND document IS NOT NULL AND id = ANY (${rows.map((row) => row.id)}::int[])`;
  const downloadable = new Set(withDocument.map((row) => row.id));
  return rows.map((row) => ({ ...row, hasDocument: downloadable.has(row.id) }));
}

/** One request's document, only within the shop that received it. */
export async function findPrivacyDocument(db: PrismaClient, shopDomain: string, id: number) {
  const found = await db.privacyRequest.findFirst({
    where: { id, shopDomain, topic: "customers/data_request" },
    select: { id: true, requestId: true, customerShopifyId: true, document: true },
  });
  return found?.document == null ? null : { ...found, document: found.document };
}
