// The staff audit log page (keyset pages, newest first) and its CSV export, streamed page by
// page so a long log never sits in memory.
import type { PrismaClient } from "../../db.server";
import { formatShopDateTime } from "../../lib/shop-time";
import { staffAuditPage } from "../audit/staff-audit.repository.server";
import { findShopByDomain } from "../shop/shop.repository.server";
import { ACTION_LABELS, AUDIT_CSV_HEADER, auditCsvLine, detailsSummary, staffLabel } from "./staff-audit-log";
import { auditCustomersById, staffAuditPageAfter } from "./staff-audit-log.repository.server";

export const AUDIT_PAGE_SIZE = 50;
const EXPORT_BATCH = 1_000;

export type AuditCursor = { before: bigint } | { after: bigint } | null;

export interface StaffAuditLogPage {
  timeZone: string;
  entries: {
    id: string;
    at: string;
    staff: string;
    action: string;
    /** The customer's Shopify id (Customer 360's address) and name; null when gone or none. */
    customer: null | { shopifyId: string; name: string };
    details: string;
  }[];
  /** Cursors of the older and newer pages; null when there is none. */
  olderThan: string | null;
  newerThan: string | null;
}

export async function loadStaffAuditLogPage(
  db: PrismaClient,
  shopDomain: string,
  cursor: AuditCursor,
  pageSize = AUDIT_PAGE_SIZE,
): Promise<StaffAuditLogPage | null> {
  const shop = await findShopByDomain(db, shopDomain);
  if (!shop) return null;
  // One row past the page says whether there is another page in that direction.
  const rows =
    cursor && "after" in cursor
      ? await staffAuditPageAfter(db, shop.id, cursor.after, pageSize + 1)
      : await staffAuditPage(db, shop.id, cursor?.before ?? null, pageSize + 1);
  const more = rows.length > pageSize;
  // Going newer, the extra row is the newest (first); going older, it is the oldest (last).
  const page = !more ? rows : cursor && "after" in cursor ? rows.slice(1) : rows.slice(0, pageSize);
  const customerIds = [...new Set(page.flatMap((row) => (row.customerId === null ? [] : [row.customerId])))];
  const customers = await auditCustomersById(db, shop.id, customerIds);
  const first = page[0];
  const last = page[page.length - 1];
  const goingNewer = cursor !== null && "after" in cursor;
  return {
    timeZone: shop.ianaTimezone,
    entries: page.map((row) => ({
      id: row.id.toString(),
      at: formatShopDateTime(row.at, shop.ianaTimezone),
      staff: staffLabel(row),
      action: ACTION_LABELS[row.action] ?? row.action,
      customer: customerLink(row.customerId === null ? undefined : customers.get(row.customerId)),
      details: detailsSummary(row.details),
    })),
    olderThan: last && (goingNewer || more) ? last.id.toString() : null,
    newerThan: first && cursor !== null && (!goingNewer || more) ? first.id.toString() : null,
  };
}

function customerLink(customer: { shopifyId: bigint; name: string } | undefined) {
  return customer ? { shopifyId: customer.shopifyId.toString(), name: customer.name } : null;
}

/** The whole log as CSV, newest first, read in keyset batches as the client takes them. */
export async function staffAuditCsvStream(
  db: PrismaClient,
  shopDomain: string,
): Promise<ReadableStream<Uint8Array> | null> {
  const shop = await findShopByDomain(db, shopDomain);
  if (!shop) return null;
  const encoder = new TextEncoder();
  let before: bigint | null = null;
  let headerSent = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(AUDIT_CSV_HEADER));
        return;
      }
      if (done) return;
      const rows = await staffAuditPage(db, shop.id, before, EXPORT_BATCH);
      if (rows.length > 0) {
        controller.enqueue(encoder.encode(rows.map((row) => auditCsvLine(row, shop.ianaTimezone)).join("")));
        before = rows[rows.length - 1]!.id;
      }
      if (rows.length < EXPORT_BATCH) {
        done = true;
        controller.close();
      }
    },
  });
}
