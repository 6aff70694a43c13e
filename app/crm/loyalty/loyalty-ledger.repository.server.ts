// The one writer of the points ledger. Every append runs in one transaction that locks the
// member row, inserts with ON CONFLICT (shop_id, idempotency_key) DO NOTHING, and moves the
// cached balance and its version only for rows actually inserted: a replayed source changes
// nothing, and concurrent writers for one member take turns.
import type { Prisma } from "@prisma/client";

import type { PrismaClient } from "../../db.server";
import { checkEntryAgainstBalance, type LedgerEntryDraft } from "./ledger-entry";
import type { LedgerLine } from "./points-expiry";

export type LoyaltyTx = Prisma.TransactionClient;

/** Generous limits: 100 redemptions for one member queue on its row lock. */
export const LEDGER_TX_OPTIONS = { maxWait: 60_000, timeout: 60_000 } as const;

export interface LockedMember {
  id: bigint;
  shopId: number;
  customerId: bigint;
  pointsBalance: number;
  balanceVersion: number;
}

export async function lockMember(tx: LoyaltyTx, memberId: bigint): Promise<LockedMember> {
  const rows = await tx.$queryRaw<LockedMember[]>`
    SELECT id, shop_id AS "shopId", customer_id AS "customerId", points_balance AS "pointsBalance",
           balance_version AS "balanceVersion"
    FROM loyalty_members WHERE id = ${memberId} FOR UPDATE`;
  const member = rows[0];
  if (!member) throw new Error(`Loyalty member ${memberId} does not exist`);
  return member;
}

/**
 * Locks several members in one statement, in id order (as lockMember one after another in id
 * order would), so two batches never wait on each other in a cycle.
 */
export async function lockMembers(tx: LoyaltyTx, memberIds: readonly bigint[]): Promise<Map<bigint, LockedMember>> {
  if (memberIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<LockedMember[]>`
    SELECT id, shop_id AS "shopId", customer_id AS "customerId", points_balance AS "pointsBalance",
           balance_version AS "balanceVersion"
    FROM loyalty_members WHERE id = ANY (${[...memberIds]}::bigint[]) ORDER BY id FOR UPDATE`;
  const locked = new Map(rows.map((row) => [row.id, row]));
  for (const id of memberIds) if (!locked.has(id)) throw new Error(`Loyalty member ${id} does not exist`);
  return locked;
}

export interface AppendResult {
  inserted: { id: bigint; idempotencyKey: string; points: number }[];
  balance: number;
}

/**
 * Appends entries to a member locked by `lockMember` in the same transaction. Entries whose key
 * is already in the ledger are skipped; each new one is checked against the running balance
 * (LoyaltyLedgerError when a debit would overdraw).
 */
export async function appendLockedEntries(
  tx: LoyaltyTx,
  member: LockedMember,
  entries: readonly LedgerEntryDraft[],
  now = new Date(),
): Promise<AppendResult> {
  let balance = member.pointsBalance;
  const inserted: AppendResult["inserted"] = [];
  for (const entry of entries) {
    checkEntryAgainstBalance(balance, entry);
    const rows = await tx.$queryRaw<{ id: bigint }[]>`
      INSERT INTO loyalty_ledger_entries
        (shop_id, member_id, kind, points, idempotency_key, order_shopify_id, refund_shopify_id, redemption_id,
         base_minor, reason, staff_user_id, staff_name, expires_at, created_at)
      VALUES (${member.shopId}, ${member.id}, ${entry.kind}, ${entry.points}, ${entry.idempotencyKey},
        ${entry.orderShopifyId ?? null}, ${entry.refundShopifyId ?? null}, ${entry.redemptionId ?? null},
        ${entry.baseMinor ?? null}, ${entry.reason ?? null}, ${entry.staffUserId ?? null}, ${entry.staffName ?? null},
        ${entry.expiresAt ?? null}, ${now})
      ON CONFLICT (shop_id, idempotency_key) DO NOTHING
      RETURNING id`;
    const row = rows[0];
    if (!row) continue;
    balance += entry.points;
    inserted.push({ id: row.id, idempotencyKey: entry.idempotencyKey, points: entry.points });
  }
  if (inserted.length > 0) {
    // Expiries are not activity: they must not restart the inactivity clock.
    const active = entries.some(
      (entry) => entry.kind !== "expire" && inserted.some((i) => i.idempotencyKey === entry.idempotencyKey),
    );
    await tx.$executeRaw`
      UPDATE loyalty_members
      SET points_balance = ${balance}, balance_version = balance_version + ${inserted.length},
          last_entry_id = ${inserted.at(-1)!.id},
          last_activity_at = CASE WHEN ${active} THEN ${now}::timestamptz ELSE last_activity_at END,
          updated_at = ${now}
      WHERE id = ${member.id}`;
  }
  return { inserted, balance };
}

/** Locks the member and appends, in a transaction of its own. */
export async function appendLedgerEntries(
  db: PrismaClient,
  memberId: bigint,
  entries: readonly LedgerEntryDraft[],
  now = new Date(),
): Promise<AppendResult> {
  return db.$transaction(
    async (tx) => appendLockedEntries(tx, await lockMember(tx, memberId), entries, now),
    LEDGER_TX_OPTIONS,
  );
}

/** The cached balance: one indexed row, whatever the ledger's length. */
export async function memberBalance(
  db: PrismaClient,
  memberId: bigint,
): Promise<{ balance: number; version: number } | null> {
  const member = await db.loyaltyMember.findUnique({
    where: { id: memberId },
    select: { pointsBalance: true, balanceVersion: true },
  });
  return member ? { balance: member.pointsBalance, version: member.balanceVersion } : null;
}

export interface BalanceCheck {
  memberId: bigint;
  cachedBalance: number;
  ledgerBalance: number;
  cachedVersion: number;
  ledgerEntries: number;
}

/** Members of a shop whose cached balance or version disagrees with their ledger (the nightly check). */
export async function inconsistentBalances(db: PrismaClient, shopId: number): Promise<BalanceCheck[]> {
  const rows = await db.$queryRaw<BalanceCheck[]>`
    SELECT m.id AS "memberId", m.points_balance AS "cachedBalance", COALESCE(l.total, 0)::int AS "ledgerBalance",
           m.balance_version AS "cachedVersion", COALESCE(l.entries, 0)::int AS "ledgerEntries"
    FROM loyalty_members m
    LEFT JOIN (
      SELECT member_id, SUM(points) AS total, COUNT(*) AS entries
      FROM loyalty_ledger_entries WHERE shop_id = ${shopId} GROUP BY member_id
    ) l ON l.member_id = m.id
    WHERE m.shop_id = ${shopId}
      AND (m.points_balance <> COALESCE(l.total, 0) OR m.balance_version <> COALESCE(l.entries, 0))`;
  return rows;
}

export async function ledgerLines(tx: LoyaltyTx | PrismaClient, memberId: bigint): Promise<LedgerLine[]> {
  return tx.loyaltyLedgerEntry.findMany({
    where: { memberId },
    orderBy: { id: "asc" },
    select: { id: true, points: true, kind: true, createdAt: true, expiresAt: true },
  });
}

export async function orderLedgerEntries(tx: LoyaltyTx, memberId: bigint, orderShopifyId: bigint) {
  return tx.loyaltyLedgerEntry.findMany({
    where: { memberId, orderShopifyId },
    select: { kind: true, points: true, idempotencyKey: true, refundShopifyId: true, baseMinor: true },
  });
}

/** The entries of several (member, order) pairs, read in one statement (after their members are locked). */
export async function orderLedgerEntriesOf(
  tx: LoyaltyTx,
  pairs: readonly { memberId: bigint; orderShopifyId: bigint }[],
): Promise<Map<string, Awaited<ReturnType<typeof orderLedgerEntries>>>> {
  const rows = await tx.$queryRawUnsafe<
    ({ memberId: bigint; orderShopifyId: bigint } & Awaited<ReturnType<typeof orderLedgerEntries>>[number])[]
  >(
    `SELECT member_id AS "memberId", order_shopify_id AS "orderShopifyId", kind, points,
            idempotency_key AS "idempotencyKey", refund_shopify_id AS "refundShopifyId", base_minor AS "baseMinor"
     FROM loyalty_ledger_entries
     WHERE (member_id, order_shopify_id) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))`,
    pairs.map((pair) => pair.memberId),
    pairs.map((pair) => pair.orderShopifyId),
  );
  const byPair = new Map<string, Awaited<ReturnType<typeof orderLedgerEntries>>>();
  for (const { memberId, orderShopifyId, ...entry } of rows) {
    const key = `${memberId}:${orderShopifyId}`;
    byPair.set(key, [...(byPair.get(key) ?? []), entry]);
  }
  return byPair;
}

export async function recentLedger(db: PrismaClient, memberId: bigint, take = 20) {
  return db.loyaltyLedgerEntry.findMany({
    where: { memberId },
    orderBy: { id: "desc" },
    take,
    select: { id: true, kind: true, points: true, reason: true, createdAt: true, orderShopifyId: true },
  });
}

/** Points earned (net of reversals) in a window: the points basis of tiers. */
export async function pointsEarnedBetween(
  tx: LoyaltyTx | PrismaClient,
  memberId: bigint,
  from: Date,
  to: Date,
): Promise<bigint> {
  const rows = await tx.$queryRaw<{ total: bigint | null }[]>`
    SELECT SUM(points)::bigint AS total FROM loyalty_ledger_entries
    WHERE member_id = ${memberId} AND created_at >= ${from} AND created_at <= ${to}
      AND kind IN ('earn', 'first_order', 'referral', 'reverse')`;
  const total = rows[0]?.total ?? 0n;
  return total > 0n ? total : 0n;
}
