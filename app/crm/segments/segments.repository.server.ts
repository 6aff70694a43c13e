// Saved segments: create, update, soft delete, lists. Every query is scoped to its shop, so a
// segment id of another shop reads as "not found". Names are unique among a shop's live segments
// and handles among all of them (a deleted segment's tag may still be on customers in Shopify);
// both are checked under a per-shop transaction lock so two saves cannot race past the check.
import { Prisma } from "@prisma/client";

import type { PrismaClient } from "../../db.server";
import { customerFilterSchema, type CustomerFilter } from "../customers/customer-filter";
import { type SegmentInput, segmentHandleBase, uniqueHandle } from "./segment-form";
import { SegmentError } from "./segment-error";

type Db = PrismaClient | Prisma.TransactionClient;

export interface SegmentRecord {
  id: number;
  shopId: number;
  name: string;
  handle: string;
  rule: CustomerFilter;
  syncToShopify: boolean;
  memberCount: number;
  lastComputedAt: Date | null;
  lastSyncedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

type SegmentRow = Prisma.SegmentGetPayload<object>;

function recordOf(row: SegmentRow): SegmentRecord {
  const { filter, createdByStaffId: _staff, ...rest } = row;
  // Stored rules were validated on write; a rule an older version wrote that no longer parses
  // matches nobody rather than everybody.
  const parsed = customerFilterSchema.safeParse(filter);
  return { ...rest, rule: parsed.success ? parsed.data : { combinator: "or", conditions: [] } };
}

async function lockShopSegments(tx: Prisma.TransactionClient, shopId: number) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('kinship:segments'), ${shopId}::int)`;
}

async function nameTaken(tx: Prisma.TransactionClient, shopId: number, name: string, exceptId?: number) {
  const found = await tx.segment.findFirst({
    where: {
      shopId,
      deletedAt: null,
      name: { equals: name, mode: "insensitive" },
      ...(exceptId === undefined ? {} : { id: { not: exceptId } }),
    },
    select: { id: true },
  });
  return found !== null;
}

export async function createSegment(
  db: PrismaClient,
  shopId: number,
  input: SegmentInput,
  createdByStaffId: bigint | null,
): Promise<SegmentRecord> {
  return db.$transaction(async (tx) => {
    await lockShopSegments(tx, shopId);
    if (await nameTaken(tx, shopId, input.name)) throw new SegmentError("name_taken", "A segment has this name");
    const base = segmentHandleBase(input.name);
    const taken = await tx.segment.findMany({
      where: { shopId, handle: { startsWith: base } },
      select: { handle: true },
    });
    const row = await tx.segment.create({
      data: {
        shopId,
        name: input.name,
        handle: uniqueHandle(base, new Set(taken.map((t) => t.handle))),
        filter: input.rule as unknown as Prisma.InputJsonObject,
        syncToShopify: input.syncToShopify,
        createdByStaffId,
      },
    });
    return recordOf(row);
  });
}

/** Saves name, rule and sync; a changed rule marks the segment for recomputation. */
export async function updateSegment(
  db: PrismaClient,
  shopId: number,
  segmentId: number,
  input: SegmentInput,
): Promise<{ before: SegmentRecord; after: SegmentRecord }> {
  return db.$transaction(async (tx) => {
    await lockShopSegments(tx, shopId);
    const existing = await tx.segment.findFirst({ where: { id: segmentId, shopId, deletedAt: null } });
    if (!existing) throw new SegmentError("not_found", "No such segment");
    if (await nameTaken(tx, shopId, input.name, segmentId))
      throw new SegmentError("name_taken", "A segment has this name");
    const before = recordOf(existing);
    const ruleChanged = JSON.stringify(before.rule) !== JSON.stringify(input.rule);
    const row = await tx.segment.update({
      where: { id: segmentId },
      data: {
        name: input.name,
        filter: input.rule as unknown as Prisma.InputJsonObject,
        syncToShopify: input.syncToShopify,
        ...(ruleChanged ? { lastComputedAt: null } : {}),
      },
    });
    return { before, after: recordOf(row) };
  });
}

export async function setSegmentSync(db: PrismaClient, shopId: number, segmentId: number, on: boolean, now: Date) {
  return db.$transaction(async (tx) => {
    const existing = await tx.segment.findFirst({ where: { id: segmentId, shopId, deletedAt: null } });
    if (!existing) throw new SegmentError("not_found", "No such segment");
    if (on) {
      // History from before sync was on is not replayed: the push job writes the whole current
      // membership instead, and Flow hears only of changes from now on.
      await tx.segmentMembershipChange.updateMany({
        where: { segmentId, syncedAt: null },
        data: { syncedAt: now },
      });
    }
    const row = await tx.segment.update({ where: { id: segmentId }, data: { syncToShopify: on } });
    return { before: recordOf(existing), after: recordOf(row) };
  });
}

/** Soft delete: history stays; the segment stops syncing and leaves every list. */
export async function deleteSegment(db: PrismaClient, shopId: number, segmentId: number, now: Date) {
  const existing = await db.segment.findFirst({ where: { id: segmentId, shopId, deletedAt: null } });
  if (!existing) throw new SegmentError("not_found", "No such segment");
  await db.segment.update({ where: { id: segmentId }, data: { deletedAt: now, syncToShopify: false } });
  return recordOf(existing);
}

export async function findSegment(db: Db, shopId: number, segmentId: number): Promise<SegmentRecord | null> {
  const row = await db.segment.findFirst({ where: { id: segmentId, shopId, deletedAt: null } });
  return row ? recordOf(row) : null;
}

/** Including deleted ones (the push job removes a deleted segment's tags). */
export async function findSegmentAnyState(db: Db, shopId: number, segmentId: number) {
  const row = await db.segment.findFirst({ where: { id: segmentId, shopId } });
  return row ? recordOf(row) : null;
}

/** Live segments, newest first, keyset on id. */
export async function segmentsPage(db: Db, shopId: number, beforeId: number | null, limit: number) {
  const rows = await db.segment.findMany({
    where: { shopId, deletedAt: null, ...(beforeId === null ? {} : { id: { lt: beforeId } }) },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  return { segments: rows.slice(0, limit).map(recordOf), hasMore: rows.length > limit };
}

export interface MembershipChangeRow {
  id: bigint;
  change: string;
  at: Date;
  customerId: bigint;
  /** Customer 360 is addressed by the Shopify customer id. */
  customerShopifyId: bigint;
  customerName: string | null;
  email: string | null;
  syncedAt: Date | null;
  flowFiredAt: Date | null;
}

/** A segment's history (entered / left), newest first, keyset on id. */
export async function membershipChangesPage(
  db: Db,
  shopId: number,
  segmentId: number,
  beforeId: bigint | null,
  limit: number,
): Promise<{ changes: MembershipChangeRow[]; hasMore: boolean }> {
  const rows = await db.$queryRaw<MembershipChangeRow[]>`
    SELECT h.id, h.change, h.at, h.customer_id AS "customerId", c.shopify_id AS "customerShopifyId", h.synced_at AS "syncedAt",
           h.flow_fired_at AS "flowFiredAt",
           NULLIF(concat_ws(' ', c.first_name, c.last_name), '') AS "customerName", c.email
    FROM segment_membership_changes h
    JOIN customers c ON c.id = h.customer_id
    WHERE h.segment_id = ${segmentId} AND h.shop_id = ${shopId}
      ${beforeId === null ? Prisma.empty : Prisma.sql`AND h.id < ${beforeId}`}
    ORDER BY h.id DESC
    LIMIT ${limit + 1}`;
  return { changes: rows.slice(0, limit), hasMore: rows.length > limit };
}

export async function shopOfSegments(db: Db, shopId: number) {
  return db.shop.findUnique({
    where: { id: shopId },
    select: { id: true, domain: true, ianaTimezone: true, currencyCode: true, uninstalledAt: true },
  });
}
