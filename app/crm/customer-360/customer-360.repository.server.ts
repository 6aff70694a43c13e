// Customer 360's reads and its one write (staff notes). Every read is scoped to the shop and the
// customer and served by an index: customers (shop_id, shopify_id), orders (shop_id, customer_id),
// customer_scores and loyalty_members by customer, analytics_runs by id, ledger (member_id, id),
// redemptions (member_id, created_at), notes (customer_id, created_at), transitions (customer_id).
import type { Prisma } from "@prisma/client";

import type { PrismaClient } from "../../db.server";
import { recordStaffAction } from "../audit/staff-audit.repository.server";
import type { StaffMember } from "../audit/staff-member";
import type { OrderPageRequest } from "./customer-360-input";

export const ORDERS_PAGE_SIZE = 20;
export const LEDGER_PREVIEW_SIZE = 10;
export const REDEMPTIONS_PREVIEW_SIZE = 10;
export const NOTES_PREVIEW_SIZE = 20;
export const TRANSITIONS_PREVIEW_SIZE = 20;

/** The shop and its customer, or null when the shop does not hold this Shopify customer. */
export async function findShopCustomer(db: PrismaClient, shopDomain: string, customerShopifyId: bigint) {
  const shop = await db.shop.findUnique({
    where: { domain: shopDomain },
    select: { id: true, currencyCode: true, ianaTimezone: true },
  });
  if (!shop) return null;
  const customer = await db.customer.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: customerShopifyId } },
  });
  return customer ? { shop, customer } : null;
}

/** The customer's score row and the run that computed it (for the model fit, horizon and cluster names). */
export async function customerScoreWithRun(db: PrismaClient, shopId: number, customerId: bigint) {
  const score = await db.customerScore.findUnique({ where: { customerId } });
  if (!score || score.shopId !== shopId) return null;
  const run = await db.analyticsRun.findUnique({
    where: { id: score.runId },
    select: { modelFit: true, clusters: true, shopId: true },
  });
  return { score, run: run && run.shopId === shopId ? run : null };
}

export async function lifecycleHistory(db: PrismaClient, shopId: number, customerId: bigint) {
  return db.lifecycleTransition.findMany({
    where: { customerId, shopId },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: TRANSITIONS_PREVIEW_SIZE,
    select: { id: true, fromStage: true, toStage: true, at: true, runId: true },
  });
}

/**
 * One page of the customer's orders, newest first, keyset on (processed_at, id): `older` pages
 * back from a cursor, `newer` forward (read in ascending order, then turned around).
 */
export async function customerOrdersPage(
  db: PrismaClient,
  shopId: number,
  customerId: bigint,
  request: OrderPageRequest,
  take = ORDERS_PAGE_SIZE,
) {
  const newer = request?.direction === "newer";
  const where: Prisma.OrderWhereInput = { shopId, customerId };
  if (request) {
    const { processedAt, id } = request.cursor;
    const beyond = newer ? "gt" : "lt";
    where.OR = [{ processedAt: { [beyond]: processedAt } }, { processedAt, id: { [beyond]: id } }];
  }
  const order = newer ? "asc" : "desc";
  const rows = await db.order.findMany({
    where,
    orderBy: [{ processedAt: order }, { id: order }],
    take: take + 1,
    include: {
      lineItems: { orderBy: { id: "asc" } },
      refunds: { orderBy: [{ refundedAt: "asc" }, { id: "asc" }] },
    },
  });
  const more = rows.length > take;
  const page = rows.slice(0, take);
  if (newer) page.reverse();
  return {
    orders: page,
    hasOlder: newer ? true : more,
    hasNewer: newer ? more : request !== null,
  };
}

export async function customerNotes(db: PrismaClient, shopId: number, customerId: bigint) {
  return db.customerNote.findMany({
    where: { customerId, shopId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: NOTES_PREVIEW_SIZE,
  });
}

/** The shop's program (if any) and the customer's membership with its latest ledger entries and redemptions. */
export async function customerLoyalty(db: PrismaClient, shopId: number, customerId: bigint) {
  const [program, member] = await Promise.all([
    db.loyaltyProgram.findUnique({ where: { shopId }, select: { enabled: true } }),
    db.loyaltyMember.findUnique({
      where: { customerId },
      include: {
        tier: { select: { name: true } },
        ledger: {
          orderBy: { id: "desc" },
          take: LEDGER_PREVIEW_SIZE,
          select: {
            id: true,
            kind: true,
            points: true,
            reason: true,
            staffName: true,
            orderShopifyId: true,
            redemptionId: true,
            createdAt: true,
          },
        },
        redemptions: {
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: REDEMPTIONS_PREVIEW_SIZE,
          select: {
            id: true,
            rewardSnapshot: true,
            pointsSpent: true,
            status: true,
            discountCode: true,
            orderShopifyId: true,
            createdAt: true,
          },
        },
      },
    }),
  ]);
  return { program, member: member && member.shopId === shopId ? member : null };
}

/** A staff note and its audit entry, together or not at all. */
export async function insertCustomerNote(
  db: PrismaClient,
  input: { shopId: number; customerId: bigint; body: string; staff: StaffMember },
) {
  return db.$transaction(async (tx) => {
    const note = await tx.customerNote.create({
      data: {
        shopId: input.shopId,
        customerId: input.customerId,
        body: input.body,
        staffUserId: input.staff.userId,
        staffName: input.staff.name,
      },
    });
    // The note's text stays out of the log: it may hold personal details.
    await recordStaffAction(tx, {
      shopId: input.shopId,
      staff: input.staff,
      action: "customer.note_added",
      customerId: input.customerId,
      details: { noteId: note.id.toString(), length: input.body.length },
    });
    return note;
  });
}
