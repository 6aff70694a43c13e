// Reads of the staff audit log for its page and export (appends live in
// app/crm/audit/staff-audit.repository.server.ts; nothing anywhere edits or deletes an entry).
import type { PrismaClient } from "../../db.server";

/** The page just newer than `after`, newest first (the "Newer" link of the keyset pager). */
export async function staffAuditPageAfter(db: PrismaClient, shopId: number, after: bigint, limit: number) {
  const rows = await db.staffAuditEntry.findMany({
    where: { shopId, id: { gt: after } },
    orderBy: { id: "asc" },
    take: limit,
  });
  return rows.reverse();
}

/** The customers a page mentions, for their links: Shopify id and name (a redacted customer has none). */
export async function auditCustomersById(db: PrismaClient, shopId: number, customerIds: bigint[]) {
  if (customerIds.length === 0) return new Map<bigint, { shopifyId: bigint; name: string }>();
  const rows = await db.customer.findMany({
    where: { shopId, id: { in: customerIds } },
    select: { id: true, shopifyId: true, firstName: true, lastName: true, redactedAt: true },
  });
  return new Map(
    rows.map((row) => {
      const name = row.redactedAt ? "" : [row.firstName, row.lastName].filter(Boolean).join(" ");
      return [row.id, { shopifyId: row.shopifyId, name: name || `Customer ${row.shopifyId}` }] as const;
    }),
  );
}
