// Segment membership in SQL, set-based: a recompute is a handful of statements per segment
// whatever the number of customers (the rule's matches and the manual members into a temporary
// table, one INSERT … SELECT for who entered, one DELETE … RETURNING for who left, each feeding
// the history in the same statement), in one transaction that holds the segment's row lock, so
// a rerun or a concurrent run of the same job finds nothing left to change.
import { Prisma } from "@prisma/client";

import type { PrismaClient } from "../../db.server";
import type { CustomerFilter } from "../customers/customer-filter";
import {
  CUSTOMER_FILTER_FROM,
  customerFilterWhere,
  SHOP_SCOPED_FILTER_COLUMNS,
} from "../customers/customer-filter-sql";
import { withShop } from "../tenancy/shop-scope.repository.server";
import { SegmentError } from "./segment-error";

// A recompute of a million-customer segment takes seconds; Prisma's default is 5 s.
const RECOMPUTE_TIMEOUT_MS = 15 * 60_000;

export interface RecomputeOutcome {
  segmentId: number;
  entered: number;
  left: number;
  members: number;
}

/** Live segments computed before the shop's latest successful analytics run, or never. */
export async function staleSegmentIds(db: PrismaClient, shopId: number): Promise<number[]> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    SELECT s.id FROM segments s
    WHERE s.shop_id = ${shopId} AND s.deleted_at IS NULL
      AND (s.last_computed_at IS NULL OR s.last_computed_at < (
        SELECT max(r.finished_at) FROM analytics_runs r WHERE r.shop_id = ${shopId} AND r.status = 'succeeded'))
    ORDER BY s.id`;
  return rows.map((row) => row.id);
}

export async function latestSucceededRunId(db: PrismaClient, shopId: number): Promise<number | null> {
  const run = await db.analyticsRun.findFirst({
    where: { shopId, status: "succeeded" },
    orderBy: { finishedAt: "desc" },
    select: { id: true },
  });
  return run?.id ?? null;
}

export async function recomputeSegmentMembers(
  db: PrismaClient,
  segment: { id: number; shopId: number; rule: CustomerFilter },
  context: { timeZone: string; runId: number | null; now: Date },
): Promise<RecomputeOutcome | null> {
  const { id: segmentId, shopId } = segment;
  const { now, runId } = context;
  return db.$transaction(
    async (tx) => {
      const locked = await tx.$queryRaw<{ id: number }[]>`
        SELECT id FROM segments WHERE id = ${segmentId} AND shop_id = ${shopId} AND deleted_at IS NULL FOR UPDATE`;
      if (locked.length === 0) return null;
      await tx.$executeRaw`CREATE TEMP TABLE segment_target (customer_id bigint PRIMARY KEY) ON COMMIT DROP`;
      await tx.$executeRaw`
        INSERT INTO segment_target (customer_id)
        SELECT c.id ${CUSTOMER_FILTER_FROM}
        WHERE ${customerFilterWhere(shopId, segment.rule, { timeZone: context.timeZone })}
        UNION
        SELECT mm.customer_id FROM segment_manual_members mm JOIN customers c ON c.id = mm.customer_id
        WHERE mm.segment_id = ${segmentId} AND c.deleted_at IS NULL AND c.redacted_at IS NULL`;
      await tx.$executeRaw`ANALYZE segment_target`;
      const entered = await tx.$executeRaw`
        WITH entered AS (
          INSERT INTO segment_members (segment_id, customer_id, shop_id, entered_at)
          SELECT ${segmentId}, t.customer_id, ${shopId}, ${now} FROM segment_target t
          WHERE NOT EXISTS (
            SELECT 1 FROM segment_members m WHERE m.segment_id = ${segmentId} AND m.customer_id = t.customer_id)
          ON CONFLICT DO NOTHING
          RETURNING customer_id)
        INSERT INTO segment_membership_changes (shop_id, segment_id, customer_id, change, at, run_id)
        SELECT ${shopId}, ${segmentId}, customer_id, 'entered', ${now}, ${runId} FROM entered ORDER BY customer_id`;
      const left = await tx.$executeRaw`
        WITH gone AS (
          DELETE FROM segment_members m
          WHERE m.segment_id = ${segmentId}
            AND NOT EXISTS (SELECT 1 FROM segment_target t WHERE t.customer_id = m.customer_id)
          RETURNING m.customer_id)
        INSERT INTO segment_membership_changes (shop_id, segment_id, customer_id, change, at, run_id)
        SELECT ${shopId}, ${segmentId}, customer_id, 'left', ${now}, ${runId} FROM gone ORDER BY customer_id`;
      const [counted] = await tx.$queryRaw<{ members: bigint }[]>`
        UPDATE segments SET member_count = (SELECT count(*) FROM segment_target), last_computed_at = ${now}
        WHERE id = ${segmentId}
        RETURNING member_count::bigint AS members`;
      return { segmentId, entered, left, members: Number(counted?.members ?? 0) };
    },
    { timeout: RECOMPUTE_TIMEOUT_MS, maxWait: 30_000 },
  );
}

export type LiveCount = { status: "counted"; count: number } | { status: "timeout"; timeoutMs: number };

/**
 * How many of the shop's customers a rule matches now, given up after `timeoutMs`. Counted
 * inside the shop's row-level-security scope, whichever client is handed in, so that a search
 * goes through the in-scope search and its indexes (SHOP_SCOPED_FILTER_COLUMNS).
 */
export async function countMatchingCustomers(
  db: PrismaClient,
  shopId: number,
  rule: CustomerFilter,
  options: { timeZone: string; timeoutMs: number },
): Promise<LiveCount> {
  const timeoutMs = Math.max(100, Math.floor(options.timeoutMs));
  try {
    return await withShop(
      db,
      shopId,
      async (tx) => {
        // SET LOCAL takes no bind parameters; timeoutMs is an integer we computed.
        await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${timeoutMs}`);
        const [row] = await tx.$queryRaw<{ count: bigint }[]>`
          SELECT count(*) AS count ${CUSTOMER_FILTER_FROM}
          WHERE ${customerFilterWhere(shopId, rule, { timeZone: options.timeZone, columns: SHOP_SCOPED_FILTER_COLUMNS })}`;
        return { status: "counted" as const, count: Number(row?.count ?? 0) };
      },
      { timeoutMs: timeoutMs + 5_000, maxWaitMs: 5_000 },
    );
  } catch (error) {
    if (/statement timeout|57014/.test(String((error as Error).message))) return { status: "timeout", timeoutMs };
    throw error;
  }
}

/**
 * Staff's hand-picked members: kept in segment_manual_members (every recompute adds them to the
 * rule's matches) and members at once, with their `entered` history. Customers of another shop,
 * deleted or redacted ones are ignored.
 */
export async function addManualMembers(
  db: PrismaClient,
  input: { shopId: number; segmentId: number; customerIds: bigint[]; staffUserId: bigint | null; now: Date },
): Promise<{ added: number; entered: number; ignored: number }> {
  const { shopId, segmentId, now } = input;
  const ids = [...new Set(input.customerIds.map(String))];
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: number }[]>`
      SELECT id FROM segments WHERE id = ${segmentId} AND shop_id = ${shopId} AND deleted_at IS NULL FOR UPDATE`;
    if (locked.length === 0) throw new SegmentError("not_found", "No such segment");
    const valid = Prisma.sql`
      SELECT c.id FROM customers c
      WHERE c.shop_id = ${shopId} AND c.id = ANY(${ids}::bigint[]) AND c.deleted_at IS NULL AND c.redacted_at IS NULL`;
    const [counted] = await tx.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM (${valid}) v`;
    const validCount = Number(counted?.n ?? 0);
    const added = await tx.$executeRaw`
      INSERT INTO segment_manual_members (segment_id, customer_id, shop_id, added_at, added_by_staff_id)
      SELECT ${segmentId}, v.id, ${shopId}, ${now}, ${input.staffUserId} FROM (${valid}) v
      ON CONFLICT DO NOTHING`;
    const entered = await tx.$executeRaw`
      WITH entered AS (
        INSERT INTO segment_members (segment_id, customer_id, shop_id, entered_at)
        SELECT ${segmentId}, v.id, ${shopId}, ${now} FROM (${valid}) v
        ON CONFLICT DO NOTHING
        RETURNING customer_id)
      INSERT INTO segment_membership_changes (shop_id, segment_id, customer_id, change, at, run_id)
      SELECT ${shopId}, ${segmentId}, customer_id, 'entered', ${now}, NULL FROM entered ORDER BY customer_id`;
    if (entered > 0) {
      await tx.$executeRaw`UPDATE segments SET member_count = member_count + ${entered} WHERE id = ${segmentId}`;
    }
    return { added, entered, ignored: ids.length - validCount };
  });
}
