// Loyalty's reaction to an order applied by the ingest worker: earn on a paid order, reverse
// on refunds and cancellation, first-order and referral bonuses, tier entry. Idempotent: every
// entry's key comes from its source and the plan is made under the member's row lock.
//
// A shop's evaluation is one transaction in its row-level-security scope (inShopTransaction: it
// runs for every order and customer webhook, and standalone scoped queries cost twice as much).
// Nothing here calls Shopify: the member's sync and birthday read are jobs, enqueued on commit.
import { requestMemberBirthdayRead } from "./birthday-from-shopify.server";
import { currencyExponent } from "../money/money";
import { findShopByDomain } from "../shop/shop.repository.server";
import { inShopTransaction } from "../tenancy/shop-transaction.server";
import { ledgerKeys, type LedgerEntryDraft } from "./ledger-entry";
import {
  appendLockedEntries,
  LEDGER_TX_OPTIONS,
  lockMember,
  lockMembers,
  orderLedgerEntriesOf,
  type LockedMember,
} from "./loyalty-ledger.repository.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import {
  ensureMember,
  findProgram,
  findShopProgram,
  ordersToCredit,
  type LoyaltyProgramRecord,
} from "./loyalty.repository.server";
import { findOrderEvaluations, type OrderEvaluationContext } from "./order-evaluation.repository.server";
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

/**
 * Makes the customer a member; a new member's birthday is asked of Shopify (its `facts.birth_date`
 * metafield) when the program pays a birthday bonus.
 */
async function ensureProgramMember(
  deps: LoyaltyDeps,
  shopDomain: string,
  program: LoyaltyProgramRecord,
  customerId: bigint,
) {
  const { member, created } = await ensureMember(deps.db, program.shopId, customerId);
  if (created && program.settings.bonuses.birthday > 0) await requestMemberBirthdayRead(deps, shopDomain, member.id);
  return member;
}

/** Makes sure the customer is a member; a new member gets the sign-up bonus. */
export async function enrolCustomer(
  deps: LoyaltyDeps,
  shopDomain: string,
  program: LoyaltyProgramRecord,
  customerId: bigint,
) {
  const member = await ensureProgramMember(deps, shopDomain, program, customerId);
  if (program.settings.bonuses.signup > 0) {
    await deps.db.$transaction(async (tx) => {
      const locked = await lockMember(tx, member.id);
      const now = deps.now?.() ?? new Date();
      await appendLockedEntries(tx, locked, signupDrafts(program, customerId, now), now);
    }, LEDGER_TX_OPTIONS);
  }
  return member;
}

/**
 * Evaluates many orders at once (the loyalty worker's batch): the same rules and ledger
 * writes as one evaluation after another, one transaction per shop (inShopBatches). `deps` may be
 * a shop's deps (the worker's `scopes.byDomain`: each shop in its scope).
 */
export async function evaluateOrders(
  deps: LoyaltyDeps | ((shopDomain: string) => LoyaltyDeps),
  requests: readonly { shopDomain: string; orderShopifyId: bigint }[],
): Promise<PromiseSettledResult<EvaluationOutcome>[]> {
  return inShopBatches(typeof deps === "function" ? deps : () => deps, requests, (deps, shopDomain, batch) =>
    evaluateShopOrders(
      deps,
      shopDomain,
      batch.map((request) => request.orderShopifyId),
    ),
  );
}

/**
 * Runs `evaluate` shop by shop, each shop's requests in one transaction of its scope. A shop whose
 * batch fails is rolled back and its requests run one by one, so one failing request fails alone,
 * and never another shop's.
 */
async function inShopBatches<R extends { shopDomain: string }>(
  depsOfShop: (shopDomain: string) => LoyaltyDeps,
  requests: readonly R[],
  evaluate: (deps: LoyaltyDeps, shopDomain: string, batch: R[]) => Promise<EvaluationOutcome[]>,
): Promise<PromiseSettledResult<EvaluationOutcome>[]> {
  const results: PromiseSettledResult<EvaluationOutcome>[] = new Array(requests.length);
  const byShop = new Map<string, number[]>();
  requests.forEach((request, i) => byShop.set(request.shopDomain, [...(byShop.get(request.shopDomain) ?? []), i]));
  for (const [shopDomain, indexes] of byShop) {
    const deps = depsOfShop(shopDomain);
    const inTransaction = (batch: R[]) => inShopTransaction(deps, (deps) => evaluate(deps, shopDomain, batch));
    try {
      const outcomes = await inTransaction(indexes.map((i) => requests[i]!));
      indexes.forEach((index, j) => (results[index] = { status: "fulfilled", value: outcomes[j]! }));
    } catch {
      for (const index of indexes) {
        results[index] = await inTransaction([requests[index]!]).then(
          ([value]) => ({ status: "fulfilled", value: value! }),
          (reason: unknown) => ({ status: "rejected", reason }),
        );
      }
    }
  }
  return results;
}

/** A shop's orders, inside a transaction (its `$transaction`s are savepoints, its jobs held). */
async function evaluateShopOrders(
  deps: LoyaltyDeps,
  shopDomain: string,
  orderShopifyIds: readonly bigint[],
): Promise<EvaluationOutcome[]> {
  // Two reads before the locks (shop with program; orders with customer, member and what the
  // rules need), instead of one query per fact: this runs for every order webhook.
  const found = await findShopProgram(deps.db, shopDomain);
  if (!found?.program?.enabled) return orderShopifyIds.map(() => "no_program");
  const { shop, program } = found;
  const contexts = new Map(
    (await findOrderEvaluations(deps.db, shop.id, [...new Set(orderShopifyIds)])).map((c) => [c.shopifyId, c]),
  );
  const outcomeOf = (order: OrderEvaluationContext | undefined): EvaluationOutcome =>
    !order ? "no_order" : order.customerId === null || !order.customerActive ? "no_customer" : "evaluated";
  // In the order asked for (a customer's orders oldest first), as one evaluation after another.
  const orders = [...new Set(orderShopifyIds)]
    .flatMap((id) => contexts.get(id) ?? [])
    .filter((order) => outcomeOf(order) === "evaluated");
  const members = new Map<bigint, { id: bigint; tierId: number | null }>();
  for (const order of orders) {
    if (order.memberId !== null) members.set(order.customerId!, { id: order.memberId, tierId: order.tierId });
  }
  // New members in customer id order: their rows stay uncommitted until the transaction ends, so
  // two evaluations creating the same members wait on each other in one order, never in a cycle.
  const newCustomers = [...new Set(orders.map((order) => order.customerId!))].filter((id) => !members.has(id));
  for (const customerId of newCustomers.sort(byId)) {
    members.set(customerId, await ensureProgramMember(deps, shop.domain, program, customerId));
  }
  const now = deps.now?.() ?? new Date();
  const firstPaid = (order: OrderEvaluationContext) =>
    isPaidOrder(order.financialStatus) &&
    order.cancelledAt === null &&
    order.processedAt.getTime() >= program.launchedAt.getTime() &&
    !order.paidBefore;
  // Without a referral (or a blocked one) there is nothing to reward: skip the lookup.
  const rewardsReferral = (order: OrderEvaluationContext) =>
    firstPaid(order) && order.referralStatus !== null && order.referralStatus !== "blocked";

  const written = new Map<bigint, number>();
  if (orders.length > 0) {
    await deps.db.$transaction(async (tx) => {
      // Members locked in id order, so two batches never wait on each other in a cycle; the
      // entries are read after every lock is held. The referrers a first order rewards are locked
      // now too: the locks are held until the commit, and one taken later could close a cycle.
      const memberIds = [
        ...new Set([
          ...[...members.values()].map((member) => member.id),
          ...orders.filter(rewardsReferral).flatMap((order) => order.referrerMemberId ?? []),
        ]),
      ].sort(byId);
      const lockedRows: Map<bigint, LockedMember> = await lockMembers(tx, memberIds);
      const existing = await orderLedgerEntriesOf(
        tx,
        orders.map((order) => ({ memberId: members.get(order.customerId!)!.id, orderShopifyId: order.shopifyId })),
      );
      const appended = new Set<bigint>();
      for (const order of orders) {
        const member = members.get(order.customerId!)!;
        const locked = lockedRows.get(member.id)!;
        const tier = program.tiers.find((t) => t.id === member.tierId);
        const drafts = orderDrafts({
          order,
          program,
          currencyCode: shop.currencyCode,
          multiplierPermille: tier?.earnMultiplierPermille ?? 1000,
          existing: existing.get(`${member.id}:${order.shopifyId}`) ?? [],
          firstPaid: firstPaid(order),
          // Once per member and batch: after the first order its key is in the ledger either way.
          signup: !appended.has(member.id),
          now,
        });
        appended.add(member.id);
        const { inserted, balance } = await appendLockedEntries(tx, locked, drafts, now);
        // A member's next order in the batch starts from the balance this one left (the lock is
        // held, so it is what reading the row again would give).
        lockedRows.set(member.id, {
          ...locked,
          pointsBalance: balance,
          balanceVersion: locked.balanceVersion + inserted.length,
        });
        written.set(member.id, (written.get(member.id) ?? 0) + inserted.length);
      }
    }, LEDGER_TX_OPTIONS);
  }

  for (const order of orders) {
    if (rewardsReferral(order)) await rewardReferralOnFirstOrder(deps, program, order.customerId!, order.shopifyId);
  }
  // One member after another: their tier checks are savepoints of the one transaction, which
  // cannot interleave.
  for (const [memberId, count] of written) {
    if (count === 0) continue;
    await reevaluateMemberTier(deps, program, memberId);
    await requestShopifySync(deps, shopDomain, memberId);
  }
  deps.logger.debug({ shop: shopDomain, orders: orders.length }, "orders evaluated for loyalty");
  return orderShopifyIds.map((id) => outcomeOf(contexts.get(id)));
}

function orderDrafts(input: {
  order: OrderEvaluationContext;
  program: LoyaltyProgramRecord;
  currencyCode: string;
  multiplierPermille: number;
  existing: Parameters<typeof planOrderEntries>[0]["existing"];
  firstPaid: boolean;
  signup: boolean;
  now: Date;
}): LedgerEntryDraft[] {
  const { order, program, now } = input;
  const customerId = order.customerId!;
  // The sign-up bonus (enrolCustomer's) rides in the same transaction: its key makes it once.
  const drafts: LedgerEntryDraft[] = input.signup ? signupDrafts(program, customerId, now) : [];
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
      currencyExponent: currencyExponent(input.currencyCode),
      multiplierPermille: input.multiplierPermille,
      launchedAt: program.launchedAt,
      existing: input.existing,
      redeemedPointsUsed: order.redeemedPointsUsed,
      now,
    }),
  );
  if (input.firstPaid && program.settings.bonuses.firstOrder > 0) {
    drafts.push({
      kind: "first_order",
      points: program.settings.bonuses.firstOrder,
      idempotencyKey: ledgerKeys.firstOrder(customerId),
      orderShopifyId: order.shopifyId,
      expiresAt: lotExpiry(program.settings.expiry, now),
    });
  }
  return drafts;
}

function byId(a: bigint, b: bigint) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function refundLines(json: unknown): { lineItemShopifyId: bigint; subtotalMinor: bigint }[] {
  if (!Array.isArray(json)) return [];
  return json.map((line: { lineItemShopifyId: string | number; subtotalMinor: string | number }) => ({
    lineItemShopifyId: BigInt(line.lineItemShopifyId),
    subtotalMinor: BigInt(line.subtotalMinor),
  }));
}

/**
 * Customers appeared or changed: enrol them and credit their orders, guest orders included. Many
 * at once (the loyalty worker's batch: one runs for every customer webhook).
 */
export async function evaluateCustomers(
  depsOfShop: (shopDomain: string) => LoyaltyDeps,
  requests: readonly { shopDomain: string; customerShopifyId: bigint }[],
): Promise<PromiseSettledResult<EvaluationOutcome>[]> {
  return inShopBatches(depsOfShop, requests, (deps, shopDomain, batch) =>
    evaluateShopCustomers(
      deps,
      shopDomain,
      batch.map((request) => request.customerShopifyId),
    ),
  );
}

/** A shop's customers, inside a transaction: one outcome per id asked for, in order. */
async function evaluateShopCustomers(
  deps: LoyaltyDeps,
  shopDomain: string,
  customerShopifyIds: readonly bigint[],
): Promise<EvaluationOutcome[]> {
  const shop = await findShopByDomain(deps.db, shopDomain);
  const program = shop && (await findProgram(deps.db, shop.id));
  if (!shop || !program?.enabled) return customerShopifyIds.map(() => "no_program");
  const rows = await deps.db.customer.findMany({
    where: { shopId: shop.id, shopifyId: { in: [...new Set(customerShopifyIds)] } },
    select: { id: true, shopifyId: true, email: true, deletedAt: true, redactedAt: true },
  });
  const active = new Map(rows.filter((c) => !c.deletedAt && !c.redactedAt).map((c) => [c.shopifyId, c]));
  // Members created in customer id order, as evaluateShopOrders does: never a lock cycle.
  const customers = [...active.values()].sort((a, b) => byId(a.id, b.id));
  for (const customer of customers) await ensureProgramMember(deps, shopDomain, program, customer.id);
  // All their orders in one evaluation (the same entries as one order after another): a
  // customers/update must not cost a round of statements per past order.
  const orderIdsOf = new Map<bigint, bigint[]>();
  for (const customer of customers) {
    orderIdsOf.set(customer.id, await ordersToCredit(deps.db, shop.id, customer.id, customer.email));
  }
  const orderIds = [...new Set([...orderIdsOf.values()].flat())];
  const outcomes = orderIds.length > 0 ? await evaluateShopOrders(deps, shopDomain, orderIds) : [];
  const evaluated = new Set(orderIds.filter((_, i) => outcomes[i] === "evaluated"));
  // The sign-up bonus rode in with an evaluated order; without one it is written on its own.
  for (const customer of customers) {
    if (!orderIdsOf.get(customer.id)!.some((id) => evaluated.has(id))) {
      await enrolCustomer(deps, shopDomain, program, customer.id);
    }
  }
  return customerShopifyIds.map((id) => (active.has(id) ? "evaluated" : "no_customer"));
}
