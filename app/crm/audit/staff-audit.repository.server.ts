// The staff audit log: append-only (nothing here updates or deletes), one row per staff action.
import type { Prisma, PrismaClient } from "@prisma/client";

import type { StaffMember } from "./staff-member";

export const STAFF_ACTIONS = [
  "points.adjusted",
  "customers.tagged",
  "customers.exported",
  "customer.note_added",
  "segment.created",
  "segment.updated",
  "segment.deleted",
  "segment.exported",
  "segment.synced",
  "settings.updated",
  "history.reimport_requested",
  "privacy.request_viewed",
] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

type Db = PrismaClient | Prisma.TransactionClient;

export async function recordStaffAction(
  db: Db,
  entry: {
    shopId: number;
    staff: StaffMember;
    action: StaffAction;
    customerId?: bigint | null;
    details?: Prisma.InputJsonObject;
  },
): Promise<void> {
  await db.staffAuditEntry.create({
    data: {
      shopId: entry.shopId,
      staffUserId: entry.staff.userId,
      staffName: entry.staff.name,
      action: entry.action,
      customerId: entry.customerId ?? null,
      details: entry.details ?? {},
    },
  });
}

/** Newest first, keyset on id. */
export async function staffAuditPage(db: Db, shopId: number, before: bigint | null, limit: number) {
  return db.staffAuditEntry.findMany({
    where: { shopId, ...(before === null ? {} : { id: { lt: before } }) },
    orderBy: { id: "desc" },
    take: limit,
  });
}
