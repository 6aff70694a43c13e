// The reads and writes of the Shopify sync: membership changes not yet synced (the outbox, in
// id order per synced segment), what a customer is in now, and the marks once Shopify has them.
import type { PrismaClient } from "../../db.server";

export interface SyncedSegment {
  id: number;
  name: string;
  handle: string;
}

export interface PendingChange {
  id: bigint;
  segmentId: number;
  customerId: bigint;
  change: "entered" | "left";
  customerShopifyId: bigint;
  /** Set when its Flow trigger was sent by an attempt that failed later on. */
  flowFiredAt: Date | null;
  /** Deleted or redacted in the meantime: nothing is sent for them. */
  gone: boolean;
}

export async function syncedSegmentsOf(db: PrismaClient, shopId: number): Promise<SyncedSegment[]> {
  return db.segment.findMany({
    where: { shopId, deletedAt: null, syncToShopify: true },
    select: { id: true, name: true, handle: true },
    orderBy: { id: "asc" },
  });
}

/** The oldest unsynced changes of these segments (index segment_id, synced_at, id). */
export async function pendingChanges(db: PrismaClient, segmentIds: number[], limit: number): Promise<PendingChange[]> {
  if (segmentIds.length === 0) return [];
  const rows = await db.$queryRaw<(Omit<PendingChange, "change"> & { change: string })[]>`
    SELECT h.id, h.segment_id AS "segmentId", h.customer_id AS "customerId", h.change, h.flow_fired_at AS "flowFiredAt",
           c.shopify_id AS "customerShopifyId", (c.deleted_at IS NOT NULL OR c.redacted_at IS NOT NULL) AS gone
    FROM segment_membership_changes h
    JOIN customers c ON c.id = h.customer_id
    WHERE h.segment_id = ANY(${segmentIds}::int[]) AND h.synced_at IS NULL
    ORDER BY h.id
    LIMIT ${limit}`;
  return rows.map((row) => ({ ...row, change: row.change === "left" ? "left" : "entered" }));
}

export async function hasPendingChanges(db: PrismaClient, segmentIds: number[]): Promise<boolean> {
  return (await pendingChanges(db, segmentIds, 1)).length > 0;
}

/** Customer id → handles of the synced live segments they are a member of now. */
export async function syncedHandlesOf(db: PrismaClient, customerIds: bigint[]): Promise<Map<bigint, string[]>> {
  const byCustomer = new Map<bigint, string[]>(customerIds.map((id) => [id, []]));
  if (customerIds.length === 0) return byCustomer;
  const rows = await db.$queryRaw<{ customerId: bigint; handle: string }[]>`
    SELECT m.customer_id AS "customerId", s.handle
    FROM segment_members m JOIN segments s ON s.id = m.segment_id
    WHERE m.customer_id = ANY(${customerIds.map(String)}::bigint[])
      AND s.sync_to_shopify AND s.deleted_at IS NULL
    ORDER BY s.handle`;
  for (const row of rows) byCustomer.get(row.customerId)?.push(row.handle);
  return byCustomer;
}

export async function markFlowFired(db: PrismaClient, ids: bigint[], now: Date) {
  if (ids.length === 0) return;
  await db.segmentMembershipChange.updateMany({
    where: { id: { in: ids }, flowFiredAt: null },
    data: { flowFiredAt: now },
  });
}

export async function markChangesSynced(db: PrismaClient, ids: bigint[], flowFiredIds: bigint[], now: Date) {
  if (ids.length === 0) return;
  await db.$transaction([
    db.segmentMembershipChange.updateMany({ where: { id: { in: ids }, syncedAt: null }, data: { syncedAt: now } }),
    db.segmentMembershipChange.updateMany({
      where: { id: { in: flowFiredIds }, flowFiredAt: null },
      data: { flowFiredAt: now },
    }),
  ]);
}

export async function markSegmentSynced(db: PrismaClient, segmentId: number, now: Date) {
  await db.segment.update({ where: { id: segmentId }, data: { lastSyncedAt: now } });
}

/** A page of a segment's current members with their Shopify ids, keyset on customer id. */
export async function segmentMembersPage(
  db: PrismaClient,
  segmentId: number,
  afterCustomerId: bigint | null,
  limit: number,
): Promise<{ customerId: bigint; customerShopifyId: bigint }[]> {
  const rows = await db.segmentMember.findMany({
    where: {
      segmentId,
      ...(afterCustomerId === null ? {} : { customerId: { gt: afterCustomerId } }),
      customer: { deletedAt: null, redactedAt: null },
    },
    orderBy: { customerId: "asc" },
    take: limit,
    select: { customerId: true, customer: { select: { shopifyId: true } } },
  });
  return rows.map((row) => ({ customerId: row.customerId, customerShopifyId: row.customer.shopifyId }));
}
