// Programs, tiers, rewards, members and the order data loyalty reads. The ledger itself is
// written only by loyalty-ledger.repository.server.ts.
import { randomBytes } from "node:crypto";

import type { Prisma } from "@prisma/client";

import type { PrismaClient } from "../../db.server";
import type { LoyaltyTx } from "./loyalty-ledger.repository.server";
import {
  parseProgramSettings,
  type LoyaltyProgramSettings,
  type LoyaltyRewardRule,
  type LoyaltyTierRule,
} from "./loyalty-program";
import { referralCodeFrom } from "./referral-rules";
import type { MemberTierState } from "./tiers";

export interface LoyaltyProgramRecord {
  shopId: number;
  enabled: boolean;
  version: number;
  launchedAt: Date;
  settings: LoyaltyProgramSettings;
  tiers: LoyaltyTierRule[];
  rewards: LoyaltyRewardRule[];
}

// Tiers and rewards come with the program as JSON (bigints as text): one round trip.
const PROGRAM_COLUMNS = `
  p.enabled, p.version, p.launched_at AS "launchedAt", p.settings,
  COALESCE((
    SELECT json_agg(json_build_object('id', t.id, 'name', t.name, 'threshold', t.threshold::text,
             'earnMultiplierPermille', t.earn_multiplier_permille, 'entryBonusPoints', t.entry_bonus_points)
           ORDER BY t.threshold, t.id)
    FROM loyalty_tiers AS t WHERE t.shop_id = p.shop_id AND t.archived_at IS NULL), '[]') AS tiers,
  COALESCE((
    SELECT json_agg(json_build_object('id', r.id, 'title', r.title, 'kind', r.kind, 'pointsCost', r.points_cost,
             'amountMinor', r.amount_minor::text, 'percentage', r.percentage,
             'minimumSubtotalMinor', r.minimum_subtotal_minor::text, 'tierId', r.tier_id)
           ORDER BY r.points_cost, r.id)
    FROM loyalty_rewards AS r WHERE r.shop_id = p.shop_id AND r.archived_at IS NULL), '[]') AS rewards`;

interface ProgramRow {
  enabled: boolean;
  version: number;
  launchedAt: Date;
  settings: unknown;
  tiers: (Omit<LoyaltyTierRule, "threshold"> & { threshold: string })[];
  rewards: (Omit<LoyaltyRewardRule, "amountMinor" | "minimumSubtotalMinor"> & {
    amountMinor: string | null;
    minimumSubtotalMinor: string | null;
  })[];
}

const bigintOrNull = (value: string | null) => (value === null ? null : BigInt(value));

function programOf(shopId: number, row: ProgramRow): LoyaltyProgramRecord {
  return {
    shopId,
    enabled: row.enabled,
    version: row.version,
    launchedAt: row.launchedAt,
    settings: parseProgramSettings(row.settings),
    tiers: row.tiers.map((tier) => ({ ...tier, threshold: BigInt(tier.threshold) })),
    rewards: row.rewards.map((reward) => ({
      ...reward,
      kind: reward.kind as LoyaltyRewardRule["kind"],
      amountMinor: bigintOrNull(reward.amountMinor),
      minimumSubtotalMinor: bigintOrNull(reward.minimumSubtotalMinor),
    })),
  };
}

export async function findProgram(db: PrismaClient | LoyaltyTx, shopId: number): Promise<LoyaltyProgramRecord | null> {
  const rows = await db.$queryRawUnsafe<ProgramRow[]>(
    `SELECT ${PROGRAM_COLUMNS} FROM loyalty_programs AS p WHERE p.shop_id = $1`,
    shopId,
  );
  return rows[0] ? programOf(shopId, rows[0]) : null;
}

/** The shop by domain with its program (null when it has none), in one round trip. */
export async function findShopProgram(db: PrismaClient, shopDomain: string) {
  const rows = await db.$queryRawUnsafe<({ shopId: number; currencyCode: string; hasProgram: boolean } & ProgramRow)[]>(
    `SELECT s.id AS "shopId", s.currency_code AS "currencyCode", p.shop_id IS NOT NULL AS "hasProgram", ${PROGRAM_COLUMNS}
     FROM shops AS s LEFT JOIN loyalty_programs AS p ON p.shop_id = s.id
     WHERE s.domain = $1`,
    shopDomain,
  );
  const row = rows[0];
  if (!row) return null;
  return {
    shop: { id: row.shopId, domain: shopDomain, currencyCode: row.currencyCode },
    program: row.hasProgram ? programOf(row.shopId, row) : null,
  };
}

export class StaleProgramError extends Error {
  readonly code = "stale_program";
}

/** Saves settings; with `expectedVersion`, refuses an edit made from an outdated form. */
export async function saveProgramSettings(
  db: PrismaClient,
  shopId: number,
  settings: LoyaltyProgramSettings,
  options: { expectedVersion?: number; enabled?: boolean; launchedAt?: Date } = {},
): Promise<number> {
  const json = settings as unknown as Prisma.InputJsonValue;
  if (options.expectedVersion === undefined) {
    const saved = await db.loyaltyProgram.upsert({
      where: { shopId },
      create: { shopId, settings: json, enabled: options.enabled ?? true, launchedAt: options.launchedAt },
      update: { settings: json, enabled: options.enabled, version: { increment: 1 } },
    });
    return saved.version;
  }
  const updated = await db.loyaltyProgram.updateMany({
    where: { shopId, version: options.expectedVersion },
    data: { settings: json, enabled: options.enabled, version: { increment: 1 } },
  });
  if (updated.count === 0) throw new StaleProgramError("The program changed since this form was opened");
  return options.expectedVersion + 1;
}

export function createTier(db: PrismaClient, shopId: number, tier: Omit<LoyaltyTierRule, "id">) {
  return db.loyaltyTier.create({ data: { shopId, ...tier } });
}

export function createReward(db: PrismaClient, shopId: number, reward: Omit<LoyaltyRewardRule, "id">) {
  return db.loyaltyReward.create({ data: { shopId, ...reward } });
}

export interface MemberRecord {
  id: bigint;
  shopId: number;
  customerId: bigint;
  referralCode: string;
  tierId: number | null;
  tierSince: Date | null;
  tierPeriodEndsAt: Date | null;
  pointsBalance: number;
  birthdayMonth: number | null;
  birthdayDay: number | null;
  joinedAt: Date;
}

export async function findMemberByCustomer(
  db: PrismaClient | LoyaltyTx,
  customerId: bigint,
): Promise<MemberRecord | null> {
  return db.loyaltyMember.findUnique({ where: { customerId } });
}

/** The member of a customer, created (with a fresh referral code) on first use. */
export async function ensureMember(
  db: PrismaClient,
  shopId: number,
  customerId: bigint,
): Promise<{ member: MemberRecord; created: boolean }> {
  const existing = await findMemberByCustomer(db, customerId);
  if (existing) return { member: existing, created: false };
  for (let attempt = 0; attempt < 5; attempt++) {
    const rows = await db.$queryRaw<{ id: bigint }[]>`
      INSERT INTO loyalty_members (shop_id, customer_id, referral_code, updated_at)
      VALUES (${shopId}, ${customerId}, ${referralCodeFrom(randomBytes(8))}, now())
      ON CONFLICT DO NOTHING RETURNING id`;
    const member = await findMemberByCustomer(db, customerId);
    if (member) return { member, created: rows[0]?.id === member.id };
    // No row for the customer: the referral code collided; draw another.
  }
  throw new Error(`Could not create a loyalty member for customer ${customerId}`);
}

export async function setMemberTier(tx: LoyaltyTx | PrismaClient, memberId: bigint, state: MemberTierState) {
  await tx.loyaltyMember.update({
    where: { id: memberId },
    data: { tierId: state.tierId, tierSince: state.since, tierPeriodEndsAt: state.periodEndsAt },
  });
}

export async function setMemberBirthday(db: PrismaClient, memberId: bigint, month: number, day: number) {
  await db.loyaltyMember.update({ where: { id: memberId }, data: { birthdayMonth: month, birthdayDay: day } });
}

export function findCustomer(db: PrismaClient | LoyaltyTx, shopId: number, customerShopifyId: bigint) {
  return db.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: customerShopifyId } },
    select: { id: true, shopifyId: true, email: true, deletedAt: true, redactedAt: true },
  });
}

export function findCustomerById(db: PrismaClient | LoyaltyTx, customerId: bigint) {
  return db.customer.findUnique({
    where: { id: customerId },
    select: { id: true, shopifyId: true, email: true, deletedAt: true, redactedAt: true },
  });
}

/** The order with what loyalty needs: lines, refunds, and its customer (or the guest e-mail's). */
export async function findOrderForLoyalty(db: PrismaClient, shopId: number, orderShopifyId: bigint) {
  const order = await db.order.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: orderShopifyId } },
    include: { lineItems: true, refunds: true },
  });
  if (!order) return null;
  let customerId = order.customerId;
  if (customerId === null && order.customerShopifyId === null && order.email) {
    // A guest order: credited to the customer account with the same e-mail, once there is one.
    const match = await db.customer.findFirst({
      where: { shopId, email: { equals: order.email, mode: "insensitive" }, deletedAt: null, redactedAt: null },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    customerId = match?.id ?? null;
  }
  return { ...order, loyaltyCustomerId: customerId };
}

/** Paid orders of a customer (own, and guest orders with their e-mail) to evaluate when they appear. */
export async function ordersToCredit(db: PrismaClient, shopId: number, customerId: bigint, email: string | null) {
  const orders = await db.order.findMany({
    where: {
      shopId,
      OR: [
        { customerId },
        ...(email
          ? [{ customerId: null, customerShopifyId: null, email: { equals: email, mode: "insensitive" as const } }]
          : []),
      ],
    },
    select: { shopifyId: true },
    orderBy: { processedAt: "asc" },
  });
  return orders.map((order) => order.shopifyId);
}

/** Paid orders of the customer other than this one, processed before it (for first-order and referral rules). */
export async function paidOrdersBefore(
  db: PrismaClient,
  shopId: number,
  customerId: bigint,
  before: Date,
  except?: bigint,
) {
  return db.order.count({
    where: {
      shopId,
      customerId,
      processedAt: { lt: before },
      financialStatus: { in: ["paid", "partially_refunded", "refunded"] },
      ...(except === undefined ? {} : { shopifyId: { not: except } }),
    },
  });
}

/** Net spend of the customer's orders in a window: the spend basis of tiers. */
export async function spendBetween(
  db: PrismaClient | LoyaltyTx,
  customerId: bigint,
  from: Date,
  to: Date,
): Promise<bigint> {
  const rows = await db.$queryRaw<{ total: bigint | null }[]>`
    SELECT SUM(total_minor - refunded_minor)::bigint AS total FROM orders
    WHERE customer_id = ${customerId} AND processed_at >= ${from} AND processed_at <= ${to} AND cancelled_at IS NULL
      AND financial_status IN ('paid', 'partially_refunded', 'refunded')`;
  return rows[0]?.total ?? 0n;
}
