// A member's ledger in the admin (keyset pages, newest first) and the staff adjustment form.
import { randomUUID } from "node:crypto";

import { formatShopDateTime } from "../../lib/shop-time";
import { findShopByDomain } from "../shop/shop.repository.server";
import { LoyaltyLedgerError } from "./ledger-entry";
import { parseAdjustmentForm } from "./loyalty-admin-forms";
import type { ActionOutcome } from "./loyalty-admin.server";
import { ledgerPage, memberOfShopifyCustomer } from "./loyalty-admin.repository.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { adjustPoints } from "./member-bonuses.server";
import { requestShopifySync } from "./sync-loyalty-to-shopify.server";

export const LEDGER_PAGE_SIZE = 25;

export const KIND_LABELS: Record<string, string> = {
  earn: "Order",
  first_order: "First order bonus",
  signup: "Sign-up bonus",
  birthday: "Birthday bonus",
  referral: "Referral",
  tier_bonus: "Tier bonus",
  restore: "Points given back",
  redeem: "Reward",
  reverse: "Refund reversal",
  expire: "Expired",
  adjust: "Staff adjustment",
  survey: "Survey answered",
};

async function memberFor(deps: LoyaltyDeps, shopDomain: string, customerShopifyId: bigint) {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) return null;
  const member = await memberOfShopifyCustomer(deps.db, shop.id, customerShopifyId);
  return member ? { shop, member } : null;
}

export async function loadMemberLedger(
  deps: LoyaltyDeps,
  shopDomain: string,
  customerShopifyId: bigint,
  before: bigint | null,
) {
  const found = await memberFor(deps, shopDomain, customerShopifyId);
  if (!found) return null;
  const { shop, member } = found;
  const page = await ledgerPage(deps.db, member.id, before, LEDGER_PAGE_SIZE);
  const { customer } = member;
  return {
    customerShopifyId: customer.shopifyId.toString(),
    name: customer.redactedAt
      ? "Redacted customer"
      : [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || "Customer",
    email: customer.redactedAt ? null : customer.email,
    balance: member.pointsBalance,
    tier: member.tier?.name ?? null,
    tierUntil: member.tierPeriodEndsAt ? formatShopDateTime(member.tierPeriodEndsAt, shop.ianaTimezone) : null,
    joinedAt: formatShopDateTime(member.joinedAt, shop.ianaTimezone),
    timeZone: shop.ianaTimezone,
    entries: page.entries.map((entry) => ({
      id: entry.id.toString(),
      kind: KIND_LABELS[entry.kind] ?? entry.kind,
      points: entry.points,
      detail:
        entry.reason ??
        (entry.orderShopifyId ? `Order ${entry.orderShopifyId}` : null) ??
        (entry.redemptionId ? `Redemption ${entry.redemptionId}` : null) ??
        "",
      staffName: entry.staffName,
      at: formatShopDateTime(entry.createdAt, shop.ianaTimezone),
    })),
    nextBefore: page.hasMore ? page.entries.at(-1)!.id.toString() : null,
    /** A fresh id per form render: a double submit books the adjustment once. */
    requestId: randomUUID(),
  };
}

export async function adjustMemberForm(
  deps: LoyaltyDeps,
  input: {
    shopDomain: string;
    customerShopifyId: bigint;
    staff: { userId: bigint | null; name: string };
    values: Record<string, FormDataEntryValue>;
    /** Called once when the adjustment is booked (not on a repeated submit of the same form). */
    onBooked?: (booked: { customerId: bigint; shopId: number; points: number; reason: string }) => Promise<void>;
  },
): Promise<ActionOutcome> {
  const parsed = parseAdjustmentForm(input.values);
  if (!parsed.ok) return { ok: false, intent: "adjust", errors: parsed.errors };
  const found = await memberFor(deps, input.shopDomain, input.customerShopifyId);
  if (!found) return { ok: false, intent: "adjust", errors: { form: "This customer is not a member" } };
  try {
    const result = await adjustPoints(deps, {
      memberId: found.member.id,
      points: parsed.value.points,
      reason: parsed.value.reason,
      staffUserId: input.staff.userId,
      staffName: input.staff.name,
      requestId: parsed.value.requestId,
    });
    if (result.inserted.length > 0) {
      await requestShopifySync(deps, input.shopDomain, found.member.id);
      await input.onBooked?.({
        customerId: found.member.customerId,
        shopId: found.shop.id,
        points: parsed.value.points,
        reason: parsed.value.reason,
      });
    }
    return { ok: true, message: `Balance is now ${result.balance} points` };
  } catch (error) {
    if (error instanceof LoyaltyLedgerError && error.code === "insufficient_points")
      return { ok: false, intent: "adjust", errors: { points: `The balance is ${found.member.pointsBalance} points` } };
    throw error;
  }
}
