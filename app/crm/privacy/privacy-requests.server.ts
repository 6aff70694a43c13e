// What the admin shows of compliance requests, and the download of a data-request document.
import type { PrismaClient } from "../../db.server";
import { formatShopDateTime } from "../../lib/shop-time";
import { findShopByDomain } from "../shop/shop.repository.server";
import { PrivacyError } from "./privacy-error";
import { findPrivacyDocument, listPrivacyRequests } from "./privacy-requests.repository.server";

const TOPIC_LABELS: Record<string, string> = {
  "customers/data_request": "Customer data request",
  "customers/redact": "Customer erasure",
  "shop/redact": "Shop erasure",
};

export interface PrivacyRequestListItem {
  id: number;
  label: string;
  /** Shopify's customer id (opaque, not personal data on its own). */
  customerShopifyId: string | null;
  receivedAt: string;
  completedAt: string | null;
  /** The document's path in the app, for a data request whose document is still held. */
  downloadPath: string | null;
}

/** The shop's recent compliance requests, newest first, with times in the shop's zone. */
export async function loadPrivacyRequests(db: PrismaClient, shopDomain: string): Promise<PrivacyRequestListItem[]> {
  const shop = await findShopByDomain(db, shopDomain);
  if (!shop) return [];
  const rows = await listPrivacyRequests(db, shop.domain);
  return rows.map((row) => ({
    id: row.id,
    label: TOPIC_LABELS[row.topic] ?? row.topic,
    customerShopifyId: row.customerShopifyId?.toString() ?? null,
    receivedAt: formatShopDateTime(row.receivedAt, shop.ianaTimezone),
    completedAt: row.completedAt ? formatShopDateTime(row.completedAt, shop.ianaTimezone) : null,
    downloadPath: row.hasDocument ? `/app/privacy/${row.id}` : null,
  }));
}

/**
 * A data-request document as a JSON attachment. A request of another shop is "not found",
 * exactly like one that does not exist, so ids reveal nothing across shops.
 */
export async function loadPrivacyDownload(db: PrismaClient, shopDomain: string, id: number) {
  const found = await findPrivacyDocument(db, shopDomain, id);
  if (!found) throw new PrivacyError("not_found", "No such data request");
  const name = `kinship-customer-${found.customerShopifyId ?? "unknown"}-request-${found.requestId ?? found.id}.json`;
  return { filename: name.replace(/[^\w.-]/g, "_"), body: JSON.stringify(found.document, null, 2) };
}
