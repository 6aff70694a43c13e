// Loyalty's reaction to an order applied by the ingest worker: earn on a paid order, reverse
// on refunds and cancellation, first-order and referral bonuses, tier entry. Idempotent: every
// entry's key comes from its source and the plan is made under the member's row lock.
import { currencyExponent } from "../money/money";
import { findShopByDomain } from "../shop/shop.repository.server";
import { ledgerKeys, type LedgerEntryDraft } from "./ledger-entry";
import {
  appendLockedEntries,
  LEDGER_TX_OPTIONS,
  lockMember,
  orderLedgerEntries,
} from "./loyalty-ledger.repository.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import {
  ensureMember,
  findProgram,
  findShopProgram,
  ordersToCredit,
  type LoyaltyProgramRecord,
} from "./loyalty.repository.server";
import { findOrderEvaluation } from "./order-evaluation.repository.server";
import { isPaidOrder } from "./order-points";
import { planOrderEntries } from "./order-ledger-plan";
import { lotExpiry } from "./points-expiry";
import { rewardReferralOnFirstOrder } from "./referrals.server";
import { reevaluateMemberTier } from "./member-tier.server";
import { requestShopifySync } from "./sync-loyalty-to-shopify.server";

export type EvaluationOutcome = "no_program" | "no_order" | "no_customer" | "evaluated";

function signupDrafts(program: LoyaltyProgramRecord, customerId: bigint, now: Date): LedgerEntryDraft[] {
  const bonus = program.settings.bonuses.signup;
  if (bonus <= 0) return [];
  const expiresAt = lotExpiry(program.settings.expiry, now);
  return [{ kind: "signup", points: bonus, idempotencyKey: ledgerKeys.signup(customerId), expiresAt }];
}

/** Makes sure the customer is a member; a new member gets the sign-up bonus. */
export async function enrolCustomer(deps: LoyaltyDeps, program: LoyaltyProgramRecord, customerId: bigint) {
  const { member } = await ensureMember(deps.db, program.shopId, customerId);
  if (program.settings.bonuses.signup > 0) {
    await deps.db.$transaction(async (tx) => {
      const locked = await lockMember(tx, member.id);
      const now = deps.now?.() ?? new Date();
      await appendLockedEntries(tx, locked, signupDrafts(program, customerId, now), now);
    }, LEDGER_TX_OPTIONS);
  }
  return member;
}

export async function evaluateOrder(
  deps: LoyaltyDeps,
  shopDomain: string,
  orderShopifyId: bigint,
): Promise<EvaluationOutcome> {
  // Two reads before the lock (shop with program; order with customer, member and what the
  // rules need), instead of one query per fact: this runs for every order webhook.
  const found = await findShopProgram(deps.db, shopDomain);
  if (!found?.program?.enabled) return "no_program";
  const { shop, program } = found;
  const order = await findOrderEvaluation(deps.db, shop.id, orderShopifyId);
  if (!order) return "no_order";
  if (order.customerId === null || !order.customerActive) return "no_customer";
  const customerId = order.customerId;

  const member =
    order.memberId !== null
      ? { id: order.memberId, tierId: order.tierId }
      : (await ensureMember(deps.db, shop.id, customerId)).member;
  const now = deps.now?.() ?? new Date();
  const tier = program.tiers.find((t) => t.id === member.tierId);
  const firstPaid =
    isPaidOrder(order.financialStatus) &&
    order.cancelledAt === null &&
    order.processedAt.getTime() >= program.launchedAt.getTime() &&
    !order.paidBefore;

  const written = await deps.db.$transaction(async (tx) => {
    const locked = await lockMember(tx, member.id);
    const existing = await orderLedgerEntries(tx, member.id, orderShopifyId);
    // The sign-up bonus (enrolCustomer's) rides in the same transaction: its key makes it once.
    const drafts: LedgerEntryDraft[] = signupDrafts(program, customerId, now);
    drafts.push(
      ...planOrderEntries({
        order: {
          shopifyId: order.shopifyId,
          financialStatus: order.financialStatus,
          processedAt: order.processedAt,
          cancelledAt: order.cancelledAt,
          subtotalMinor: order.subtotalMinor,
          shippingMinor: order.shippingMinor,
          taxMinor: order.taxMinor,
          lines: order.lines,
          refunds: order.refunds.map((refund) => ({
            shopifyId: refund.shopifyId,
            refundedAt: refund.refundedAt,
            amountMinor: refund.amountMinor,
            lines: refundLines(refund.lineItems),
          })),
        },
        settings: program.settings,
        currencyExponent: currencyExponent(shop.currencyCode),
        multiplierPermille: tier?.earnMultiplierPermille ?? 1000,
        launchedAt: program.launchedAt,
        existing,
        redeemedPointsUsed: order.redeemedPointsUsed,
        now,
      }),
    );
    if (firstPaid && program.settings.bonuses.firstOrder > 0) {
      drafts.push({
        kind: "first_order",
        points: program.settings.bonuses.firstOrder,
        idempotencyKey: ledgerKeys.firstOrder(customerId),
        orderShopifyId,
        expiresAt: lotExpiry(program.settings.expiry, now),
      });
    }
    return (await appendLockedEntries(tx, locked, drafts, now)).inserted.length;
  }, LEDGER_TX_OPTIONS);

  // Without a referral (or a blocked one) there is nothing to reward: skip the lookup.
  if (firstPaid && order.referralStatus !== null && order.referralStatus !== "blocked") {
    await rewardReferralOnFirstOrder(deps, program, customerId, orderShopifyId);
  }
  if (written > 0) {
    await reevaluateMemberTier(deps, program, member.id);
    await requestShopifySync(deps, shopDomain, member.id);
  }
  deps.logger.debug({ shop: shopDomain, orderId: orderShopifyId.toString(), written }, "order evaluated for loyalty");
  return "evaluated";
}

function refundLines(json: unknown): { lineItemShopifyId: bigint; subtotalMinor: bigint }[] {
  if (!Array.isArray(json)) return [];
  return json.map((line: { lineItemShopifyId: string | number; subtotalMinor: string | number }) => ({
    lineItemShopifyId: BigInt(line.lineItemShopifyId),
    subtotalMinor: BigInt(line.subtotalMinor),
  }));
}

/** A customer appeared or changed: enrol them and credit their orders, guest orders included. */
export async function evaluateCustomer(deps: LoyaltyDeps, shopDomain: string, customerShopifyId: bigint) {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) return "no_program";
  const program = await findProgram(deps.db, shop.id);
  if (!program?.enabled) return "no_program";
  const customer = await deps.db.customer.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: customerShopifyId } },
    select: { id: true, email: true, deletedAt: true, redactedAt: true },
  });
  if (!customer || customer.deletedAt || customer.redactedAt) return "no_customer";
  await enrolCustomer(deps, program, customer.id);
  for (const orderId of await ordersToCredit(deps.db, shop.id, customer.id, customer.email)) {
    await evaluateOrder(deps, shopDomain, orderId);
  }
  return "evaluated";
}
