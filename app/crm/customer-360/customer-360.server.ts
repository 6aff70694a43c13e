// Customer 360: one customer's profile, scores, orders, loyalty and staff notes (read in parallel,
// each through an index), and the page's two forms (staff note, points adjustment), each with its
// staff audit entry.
import { randomUUID } from "node:crypto";

import type { PrismaClient } from "../../db.server";
import { formatShopDateTime } from "../../lib/shop-time";
import { recordStaffAction } from "../audit/staff-audit.repository.server";
import type { StaffMember } from "../audit/staff-member";
import type { ActionOutcome } from "../loyalty/loyalty-admin.server";
import { adjustMemberForm, KIND_LABELS } from "../loyalty/loyalty-member-admin.server";
import type { LoyaltyDeps } from "../loyalty/loyalty-service-deps";
import { recommendationsForCustomer } from "../recommendations/recommendations.server";
import { recommendationsView } from "../recommendations/recommendations-view";
import { encodeOrderCursor, parseNoteForm, type OrderPageRequest } from "./customer-360-input";
import {
  customerLoyalty,
  customerNotes,
  customerOrdersPage,
  customerScoreWithRun,
  findShopCustomer,
  insertCustomerNote,
  lifecycleHistory,
} from "./customer-360.repository.server";
import { lifecycleHistoryView, orderView, profileView, scoresView } from "./customer-360-view";

const REDEMPTION_STATUS_LABELS: Record<string, string> = {
  pending: "Being issued",
  issued: "Issued",
  failed: "Failed",
  restored: "Points given back",
};

export type Customer360 = NonNullable<Awaited<ReturnType<typeof loadCustomer360>>>;

/**
 * Everything Customer 360 shows from Kinship's own tables, or null when the shop does not hold
 * this Shopify customer (another shop's customer included: nothing of it is read).
 */
export async function loadCustomer360(
  db: PrismaClient,
  input: { shopDomain: string; customerShopifyId: bigint; orders: OrderPageRequest },
) {
  const found = await findShopCustomer(db, input.shopDomain, input.customerShopifyId);
  if (!found) return null;
  const { shop, customer } = found;
  const redacted = customer.redactedAt !== null;
  const [score, transitions, orders, loyalty, notes, recommendations] = await Promise.all([
    customerScoreWithRun(db, shop.id, customer.id),
    lifecycleHistory(db, shop.id, customer.id),
    customerOrdersPage(db, shop.id, customer.id, input.orders),
    customerLoyalty(db, shop.id, customer.id),
    // Staff notes may hold personal details: a redacted customer's are not shown.
    redacted ? Promise.resolve([]) : customerNotes(db, shop.id, customer.id),
    recommendationsForCustomer(db, shop.id, customer.id),
  ]);
  const zone = shop.ianaTimezone;
  const at = (date: Date) => formatShopDateTime(date, zone);
  const orderRows = orders.orders;
  return {
    customerShopifyId: customer.shopifyId.toString(),
    timeZone: zone,
    profile: profileView(customer, shop),
    scores: scoresView(score, shop),
    lifecycleHistory: lifecycleHistoryView(transitions, zone),
    orders: {
      rows: orderRows.map((order) => orderView(order, zone)),
      olderCursor: orders.hasOlder && orderRows.length > 0 ? encodeOrderCursor(orderRows.at(-1)!) : null,
      newerCursor: orders.hasNewer && orderRows.length > 0 ? encodeOrderCursor(orderRows[0]!) : null,
    },
    loyalty: loyaltyView(loyalty, zone, at),
    recommendations: recommendationsView(recommendations, zone),
    notes: notes.map((note) => ({
      id: note.id.toString(),
      body: note.body,
      by: note.staffName ?? "staff",
      at: at(note.createdAt),
    })),
  };
}

function loyaltyView(
  { program, member }: Awaited<ReturnType<typeof customerLoyalty>>,
  zone: string,
  at: (date: Date) => string,
) {
  if (!program) return { state: "no_program" as const };
  if (!member) return { state: "not_member" as const, programEnabled: program.enabled };
  return {
    state: "member" as const,
    programEnabled: program.enabled,
    balance: member.pointsBalance,
    tier: member.tier?.name ?? null,
    tierUntil: member.tierPeriodEndsAt ? formatShopDateTime(member.tierPeriodEndsAt, zone) : null,
    joinedAt: at(member.joinedAt),
    ledger: member.ledger.map((entry) => ({
      id: entry.id.toString(),
      kind: KIND_LABELS[entry.kind] ?? entry.kind,
      points: entry.points,
      detail:
        entry.reason ??
        (entry.orderShopifyId ? `Order ${entry.orderShopifyId}` : null) ??
        (entry.redemptionId ? `Redemption ${entry.redemptionId}` : null) ??
        "",
      staffName: entry.staffName,
      at: at(entry.createdAt),
    })),
    redemptions: member.redemptions.map((redemption) => {
      const snapshot = redemption.rewardSnapshot as { title?: unknown } | null;
      return {
        id: redemption.id.toString(),
        reward: typeof snapshot?.title === "string" ? snapshot.title : "Reward",
        code: redemption.discountCode,
        status: REDEMPTION_STATUS_LABELS[redemption.status] ?? redemption.status,
        points: redemption.pointsSpent,
        usedOnOrder: redemption.orderShopifyId?.toString() ?? null,
        at: at(redemption.createdAt),
      };
    }),
    /** A fresh id per page render: a double submit books the adjustment once. */
    requestId: randomUUID(),
  };
}

export type Customer360Outcome = ActionOutcome & { formKey: string };

export async function addCustomerNoteForm(
  db: PrismaClient,
  input: {
    shopDomain: string;
    customerShopifyId: bigint;
    staff: StaffMember;
    values: Record<string, FormDataEntryValue>;
  },
): Promise<Customer360Outcome | null> {
  const found = await findShopCustomer(db, input.shopDomain, input.customerShopifyId);
  if (!found) return null;
  if (found.customer.redactedAt) {
    return { ok: false, intent: "note", formKey: "note", errors: { form: "This customer's data was redacted" } };
  }
  const parsed = parseNoteForm(input.values);
  if (!parsed.ok) return { ok: false, intent: "note", formKey: "note", errors: parsed.errors };
  await insertCustomerNote(db, {
    shopId: found.shop.id,
    customerId: found.customer.id,
    body: parsed.body,
    staff: input.staff,
  });
  return { ok: true, message: "Note added", formKey: "note" };
}

/** The loyalty member page's adjustment, with a `points.adjusted` audit entry once it is booked. */
export async function adjustCustomerPointsForm(
  deps: LoyaltyDeps,
  input: {
    shopDomain: string;
    customerShopifyId: bigint;
    staff: StaffMember;
    values: Record<string, FormDataEntryValue>;
  },
): Promise<Customer360Outcome> {
  const outcome = await adjustMemberForm(deps, {
    ...input,
    onBooked: (booked) =>
      recordStaffAction(deps.db, {
        shopId: booked.shopId,
        staff: input.staff,
        action: "points.adjusted",
        customerId: booked.customerId,
        details: { points: booked.points, reason: booked.reason, source: "customer_360" },
      }),
  });
  return { ...outcome, formKey: "adjust" };
}
