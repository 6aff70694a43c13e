// The ledger against real PostgreSQL and Redis, with the Shopify double: orders arrive as
// webhooks through the real ingest path, loyalty jobs run as the worker runs them.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { customerPayload, orderPayload, refundPayload } from "../../../test/shopify-double/rest-payloads";
import type { StoreOrder, StoreShop } from "../../../test/shopify-double/store-data";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { startTestDouble } from "../../../test/helpers/start-test-double";
import {
  type createProgram,
  createReward,
  createTier,
  deliver,
  loyaltyDepsFor,
  memberOfCustomer,
  openLoyaltyStore,
  runLoyaltyJobs,
} from "../../../test/helpers/loyalty-test-setup";
import { discountsOf, refuseDiscountCodes } from "../../../test/shopify-double/discounts";
import type { ShopifyDouble } from "../../../test/shopify-double/index";
import { createJobQueues } from "../../jobs/job-queues.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { appendLedgerEntries, inconsistentBalances } from "./loyalty-ledger.repository.server";
import { ensureMember } from "./loyalty.repository.server";
import { issueReward, redeemReward } from "./redeem-reward.server";
import type { LoyaltyError } from "./loyalty-error";
import { adjustPoints, expireMemberPoints, setBirthday } from "./member-bonuses.server";
import { claimReferral } from "./referrals.server";
import { reevaluateMemberTier } from "./member-tier.server";
import { findProgram } from "./loyalty.repository.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const clock = { now: new Date("2026-10-01T12:00:00Z") };
let double: ShopifyDouble;
let deps: LoyaltyDeps;
let store: StoreShop;
let shopId: number;

beforeAll(async () => {
  double = await startTestDouble([]);
  deps = loyaltyDepsFor(db, jobs, double.url, clock);
});

afterAll(async () => {
  await double.close();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

async function useStore(settings: Parameters<typeof createProgram>[2] = {}) {
  const opened = await openLoyaltyStore({
    db,
    jobs,
    double,
    clock,
    handle: "loyal",
    settings: { earn: { pointsPerCurrencyUnit: 1 }, ...settings },
  });
  ({ store, double, deps } = opened);
  shopId = opened.shop.id;
}

beforeEach(() => {
  clock.now = new Date("2026-10-01T12:00:00Z");
});

const ada = () => store.customers[0]!;
const firstOrder = () => store.orders[0]!;

const memberOf = (customerShopifyId: number) => memberOfCustomer(db, shopId, customerShopifyId);

async function ledgerOf(customerShopifyId: number) {
  const member = await memberOf(customerShopifyId);
  return db.loyaltyLedgerEntry.findMany({ where: { memberId: member.id }, orderBy: { id: "asc" } });
}

async function deliverAndRun(topic: string, payload: unknown) {
  await deliver(deps, store.domain, topic, payload);
  await runLoyaltyJobs(deps);
}

function refundOf(order: StoreOrder, id: number, units: number) {
  const line = order.lineItems[0]!;
  return {
    id,
    createdAt: "2026-10-05T09:30:00.000Z",
    note: null,
    lineItems: [{ lineItemId: line.id, quantity: units, subtotalMinor: 1299 * units }],
    amountMinor: 1299 * units,
  };
}

describe("earning", () => {
  it("earns once for a paid order, however often and in whatever form it is delivered", async () => {
    // Given a program with a sign-up and a first-order bonus
    await useStore({ bonuses: { signup: 50, firstOrder: 10 } });
    // When the customer and the paid order arrive, and the order again as updated and paid
    await deliverAndRun("customers/create", customerPayload(store, ada()));
    await deliverAndRun("orders/create", orderPayload(store, firstOrder()));
    await deliverAndRun("orders/updated", orderPayload(store, firstOrder()));
    await deliverAndRun("orders/paid", orderPayload(store, firstOrder()));
    // Then 25.98 EUR earned 25 points once, and each bonus once
    const ledger = await ledgerOf(ada().id);
    expect(ledger.map((e) => [e.kind, e.points, e.idempotencyKey])).toEqual([
      ["signup", 50, expect.stringMatching(/^signup:/)],
      ["earn", 25, `order:${firstOrder().id}:earn`],
      ["first_order", 10, expect.stringMatching(/^first_order:/)],
    ]);
    expect((await memberOf(ada().id)).pointsBalance).toBe(85);
    expect(await inconsistentBalances(db, shopId)).toEqual([]);
  });

  it("credits a guest order when its e-mail becomes a customer", async () => {
    await useStore();
    const guest: StoreOrder = { ...structuredClone(firstOrder()), customerId: null };
    await deliverAndRun("orders/create", orderPayload(store, guest));
    expect(await db.loyaltyMember.count({ where: { shopId } })).toBe(0);
    // When Ada signs up with the same e-mail
    await deliverAndRun("customers/create", customerPayload(store, ada()));
    expect((await ledgerOf(ada().id)).map((e) => [e.kind, e.points])).toEqual([["earn", 25]]);
  });
});

describe("refunds and cancellations", () => {
  it("reverses partial refunds proportionally, once each, and a full refund exactly", async () => {
    await useStore();
    await deliverAndRun("customers/create", customerPayload(store, ada()));
    await deliverAndRun("orders/create", orderPayload(store, firstOrder()));
    // When one of two units is refunded (twice delivered), then the other
    const first = refundOf(firstOrder(), 9000000000001, 1);
    await deliverAndRun("refunds/create", refundPayload(store, firstOrder(), first));
    await deliverAndRun("refunds/create", refundPayload(store, firstOrder(), first));
    expect((await ledgerOf(ada().id)).map((e) => e.points)).toEqual([25, -13]); // round(25 × 1/2)
    const second = { ...refundOf(firstOrder(), 9000000000002, 1), createdAt: "2026-10-06T09:30:00.000Z" };
    await deliverAndRun("refunds/create", refundPayload(store, firstOrder(), second));
    // Then everything earned is reversed, not a point more
    expect((await ledgerOf(ada().id)).map((e) => e.points)).toEqual([25, -13, -12]);
    // And a cancellation afterwards reverses nothing more
    const cancelled = {
      ...structuredClone(firstOrder()),
      cancelledAt: "2026-10-07T00:00:00.000Z",
      cancelReason: "customer" as const,
      updatedAt: "2026-10-07T00:00:00.000Z",
    };
    await deliverAndRun("orders/cancelled", orderPayload(store, cancelled));
    expect((await memberOf(ada().id)).pointsBalance).toBe(0);
  });

  it("a reversal of points already spent takes the balance below zero, recorded as a reversal", async () => {
    await useStore();
    await deliverAndRun("customers/create", customerPayload(store, ada()));
    await deliverAndRun("orders/create", orderPayload(store, firstOrder()));
    const member = await memberOf(ada().id);
    await appendLedgerEntries(db, member.id, [
      { kind: "adjust", points: -20, idempotencyKey: "adjust:spent", reason: "test spend" },
    ]);
    const cancelled = {
      ...structuredClone(firstOrder()),
      cancelledAt: "2026-10-07T00:00:00.000Z",
      cancelReason: "customer" as const,
      updatedAt: "2026-10-07T00:00:00.000Z",
    };
    await deliverAndRun("orders/cancelled", orderPayload(store, cancelled));
    const ledger = await ledgerOf(ada().id);
    expect(ledger.at(-1)).toMatchObject({
      kind: "reverse",
      points: -25,
      idempotencyKey: `order:${firstOrder().id}:cancel:reverse`,
    });
    expect((await memberOf(ada().id)).pointsBalance).toBe(-20);
    // Any other debit on a negative balance is refused
    await expect(
      adjustPoints(deps, {
        memberId: member.id,
        points: -1,
        reason: "x",
        staffUserId: 1n,
        staffName: "Sam",
        requestId: "r1",
      }),
    ).rejects.toThrow(/exceeds the balance/);
  });
});

describe("redemption", () => {
  async function memberWith(points: number) {
    await deliverAndRun("customers/create", customerPayload(store, ada()));
    const member = await memberOf(ada().id);
    await appendLedgerEntries(db, member.id, [
      { kind: "adjust", points, idempotencyKey: `adjust:${randomUUID()}`, reason: "starting balance" },
    ]);
    return db.loyaltyMember.findUniqueOrThrow({ where: { id: member.id } });
  }

  it("100 concurrent redemptions against a balance that covers one reward issue exactly one code and one debit", async () => {
    await useStore();
    const reward = await createReward(db, shopId, {
      title: "5 EUR off",
      kind: "fixed_amount",
      pointsCost: 100,
      amountMinor: 500n,
      percentage: null,
      minimumSubtotalMinor: 2000n,
      tierId: null,
    });
    const member = await memberWith(100);
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => redeemReward(deps, { shopDomain: store.domain, member, rewardId: reward.id })),
    );
    const succeeded = results.filter((r) => r.status === "fulfilled");
    const refused = results
      .filter((r) => r.status === "rejected")
      .map((r) => ((r as PromiseRejectedResult).reason as LoyaltyError).code);
    expect(succeeded).toHaveLength(1);
    expect(refused).toEqual(Array(99).fill("insufficient_points"));
    expect(discountsOf(store.domain)).toHaveLength(1);
    expect(await db.loyaltyLedgerEntry.count({ where: { memberId: member.id, kind: "redeem" } })).toBe(1);
    expect((await db.loyaltyMember.findUniqueOrThrow({ where: { id: member.id } })).pointsBalance).toBe(0);
    // The code is single use, for Ada only, with the minimum order
    const [discount] = discountsOf(store.domain);
    expect(discount!.input).toMatchObject({
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { customers: { add: [`gid://shopify/Customer/${ada().id}`] } },
      minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "20.00" } },
      customerGets: { value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } }, items: { all: true } },
    });
  });

  it("a retry after a crash finds the code already created and issues no second one", async () => {
    await useStore();
    const reward = await createReward(db, shopId, {
      title: "Free shipping",
      kind: "free_shipping",
      pointsCost: 30,
      amountMinor: null,
      percentage: null,
      minimumSubtotalMinor: null,
      tierId: null,
    });
    const member = await memberWith(30);
    const { redemptionId } = await redeemReward(deps, { shopDomain: store.domain, member, rewardId: reward.id });
    // Given the worker died after Shopify created the code but before recording it
    await db.loyaltyRedemption.update({
      where: { id: redemptionId },
      data: { status: "pending", shopifyDiscountId: null },
    });
    // When the issue job retries
    expect(await issueReward(deps, redemptionId, { shopId })).toBe("issued");
    expect(discountsOf(store.domain)).toHaveLength(1);
    expect(await db.loyaltyLedgerEntry.count({ where: { memberId: member.id, kind: "redeem" } })).toBe(1);
  });

  it("Shopify refusing the code fails the redemption and gives the points back, once", async () => {
    await useStore();
    const reward = await createReward(db, shopId, {
      title: "10% off",
      kind: "percentage",
      pointsCost: 40,
      amountMinor: null,
      percentage: 10,
      minimumSubtotalMinor: null,
      tierId: null,
    });
    const member = await memberWith(40);
    refuseDiscountCodes(store.domain);
    const result = await redeemReward(deps, { shopDomain: store.domain, member, rewardId: reward.id });
    expect(result.status).toBe("failed");
    expect(await issueReward(deps, result.redemptionId, { shopId })).toBe("failed");
    const redemption = await db.loyaltyRedemption.findUniqueOrThrow({ where: { id: result.redemptionId } });
    expect(redemption.error).toMatch(/refused/);
    expect((await ledgerOf(ada().id)).map((e) => [e.kind, e.points])).toEqual([
      ["adjust", 40],
      ["redeem", -40],
      ["restore", 40],
    ]);
    expect(discountsOf(store.domain)).toHaveLength(0);
  });

  it("a refund of an order paid with a reward gives back at most what was spent", async () => {
    await useStore();
    const reward = await createReward(db, shopId, {
      title: "5 EUR off",
      kind: "fixed_amount",
      pointsCost: 50,
      amountMinor: 500n,
      percentage: null,
      minimumSubtotalMinor: null,
      tierId: null,
    });
    const member = await memberWith(50);
    const { code } = await redeemReward(deps, { shopDomain: store.domain, member, rewardId: reward.id });
    // Given the order used the code (5 EUR off 25.98: 20.98 subtotal, 20 points)
    const order: StoreOrder = {
      ...structuredClone(firstOrder()),
      subtotalMinor: 2098,
      totalMinor: 2098,
      lineItems: [{ ...firstOrder().lineItems[0]!, discountMinor: 500 }],
    };
    const payload = {
      ...(orderPayload(store, order) as object),
      discount_codes: [{ code, amount: "5.00", type: "fixed_amount" }],
    };
    await deliverAndRun("orders/create", payload);
    // When half, then all of it is refunded (each refund delivered twice)
    const half = {
      id: 9100000000001,
      createdAt: "2026-10-05T00:00:00.000Z",
      note: null,
      lineItems: [{ lineItemId: order.lineItems[0]!.id, quantity: 1, subtotalMinor: 1049 }],
      amountMinor: 1049,
    };
    const rest = { ...half, id: 9100000000002, createdAt: "2026-10-06T00:00:00.000Z" };
    for (const refund of [half, half, rest, rest])
      await deliverAndRun("refunds/create", refundPayload(store, order, refund));
    // Then the earn is reversed exactly and the 50 points spent come back, not more
    const byKind = (kind: string) =>
      ledgerOf(ada().id).then((l) => l.filter((e) => e.kind === kind).reduce((s, e) => s + e.points, 0));
    expect(await byKind("earn")).toBe(20);
    expect(await byKind("reverse")).toBe(-20);
    expect(await byKind("restore")).toBe(50);
    expect((await memberOf(ada().id)).pointsBalance).toBe(50);
  });
});

describe("expiry", () => {
  it("per-lot: unspent points of a lot expire N months after it was earned, oldest spent first, once", async () => {
    await useStore({ expiry: { policy: "per_lot", months: 12 } });
    await deliverAndRun("customers/create", customerPayload(store, ada()));
    await deliverAndRun("orders/create", orderPayload(store, firstOrder())); // 25, expires 2027-10-01
    const member = await memberOf(ada().id);
    clock.now = new Date("2027-03-01T00:00:00Z");
    await appendLedgerEntries(
      db,
      member.id,
      [{ kind: "birthday", points: 30, idempotencyKey: "birthday:test", expiresAt: new Date("2028-03-01T00:00:00Z") }],
      clock.now,
    );
    await appendLedgerEntries(
      db,
      member.id,
      [{ kind: "adjust", points: -10, idempotencyKey: "adjust:spend", reason: "spend" }],
      clock.now,
    );
    clock.now = new Date("2027-10-02T00:00:00Z");
    expect(await expireMemberPoints(deps, member.id)).toBe(15);
    expect(await expireMemberPoints(deps, member.id)).toBe(0);
    expect((await memberOf(ada().id)).pointsBalance).toBe(30);
  });

  it("inactivity: the balance lapses N months after the last activity", async () => {
    await useStore({ expiry: { policy: "inactivity", months: 6 } });
    await deliverAndRun("customers/create", customerPayload(store, ada()));
    await deliverAndRun("orders/create", orderPayload(store, firstOrder()));
    const member = await memberOf(ada().id);
    clock.now = new Date("2026-12-01T00:00:00Z");
    expect(await expireMemberPoints(deps, member.id)).toBe(0);
    clock.now = new Date("2027-06-01T00:00:00Z");
    expect(await expireMemberPoints(deps, member.id)).toBe(25);
    expect(await expireMemberPoints(deps, member.id)).toBe(0);
  });
});

describe("tiers", () => {
  it("enters a tier at once and leaves it only at the end of the period", async () => {
    await useStore({ tiers: { basis: "points_earned", period: "rolling_12_months" } });
    const gold = await createTier(db, shopId, {
      name: "Gold",
      threshold: 20n,
      earnMultiplierPermille: 1500,
      entryBonusPoints: 5,
    });
    await deliverAndRun("customers/create", customerPayload(store, ada()));
    await deliverAndRun("orders/create", orderPayload(store, firstOrder()));
    let member = await memberOf(ada().id);
    expect(member).toMatchObject({ tierId: gold.id, tierPeriodEndsAt: new Date("2027-10-01T12:00:00Z") });
    expect((await ledgerOf(ada().id)).map((e) => e.kind)).toEqual(["earn", "tier_bonus"]);
    const program = (await findProgram(db, shopId))!;
    // A full refund drops the points below the threshold: still Gold until the period ends
    await appendLedgerEntries(
      db,
      member.id,
      [{ kind: "reverse", points: -25, idempotencyKey: "reverse:test" }],
      clock.now,
    );
    expect(await reevaluateMemberTier(deps, program, member.id)).toBe("none");
    clock.now = new Date("2027-10-02T00:00:00Z");
    expect(await reevaluateMemberTier(deps, program, member.id)).toBe("downgrade");
    member = await memberOf(ada().id);
    expect(member.tierId).toBeNull();
    // Re-entering pays no second entry bonus
    await appendLedgerEntries(db, member.id, [{ kind: "earn", points: 30, idempotencyKey: "earn:test" }], clock.now);
    expect(await reevaluateMemberTier(deps, program, member.id)).toBe("upgrade");
    expect((await ledgerOf(ada().id)).filter((e) => e.kind === "tier_bonus")).toHaveLength(1);
  });
});

describe("referrals, birthdays and adjustments", () => {
  it("blocks self-referral and the same e-mail (plus-addressing included), and keeps the attempt", async () => {
    await useStore({ bonuses: { referrer: 100, referredFriend: 50 } });
    const grace = store.customers[1]!;
    await deliverAndRun("customers/create", customerPayload(store, ada()));
    const adaMember = await memberOf(ada().id);
    await expect(claimReferral(deps, adaMember, adaMember.referralCode)).rejects.toMatchObject({
      code: "referral_blocked",
      message: "self_referral",
    });
    // Grace signs up with Ada's address plus a tag
    await deliverAndRun("customers/create", customerPayload(store, { ...grace, email: "Ada+again@example.com" }));
    const sneaky = await memberOf(grace.id);
    await expect(claimReferral(deps, sneaky, adaMember.referralCode)).rejects.toMatchObject({ message: "same_email" });
    expect(
      await db.loyaltyReferral.findFirst({ where: { shopId, friendCustomerId: sneaky.customerId } }),
    ).toMatchObject({ status: "blocked", blockedReason: "same_email" });
  });

  it("pays referrer and friend once", async () => {
    await useStore({ bonuses: { referrer: 100, referredFriend: 50 } });
    const grace = store.customers[1]!;
    await deliverAndRun("customers/create", customerPayload(store, ada()));
    await deliverAndRun("customers/create", customerPayload(store, grace));
    const adaMember = await memberOf(ada().id);
    await claimReferral(deps, await memberOf(grace.id), adaMember.referralCode);
    const graceOrder: StoreOrder = {
      ...structuredClone(firstOrder()),
      id: 5000000000009,
      customerId: grace.id,
      email: grace.email,
    };
    await deliverAndRun("orders/create", orderPayload(store, graceOrder));
    await deliverAndRun("orders/paid", orderPayload(store, graceOrder));
    expect((await ledgerOf(ada().id)).map((e) => [e.kind, e.points])).toEqual([["referral", 100]]);
    expect((await ledgerOf(grace.id)).map((e) => [e.kind, e.points])).toEqual([
      ["earn", 25],
      ["referral", 50],
    ]);
  });

  it("the birthday bonus comes once a year; adjustments carry a reason and who made them, once per request", async () => {
    await useStore({ bonuses: { birthday: 20 } });
    await deliverAndRun("customers/create", customerPayload(store, ada()));
    const member = await memberOf(ada().id);
    expect(await setBirthday(deps, member, 9, 15)).toBe(20);
    expect(await setBirthday(deps, { ...member, birthdayMonth: 9, birthdayDay: 15 }, 9, 15)).toBe(0);
    await expect(setBirthday(deps, { ...member, birthdayMonth: 9, birthdayDay: 15 }, 9, 16)).rejects.toMatchObject({
      code: "birthday_already_set",
    });
    clock.now = new Date("2027-09-20T00:00:00Z");
    expect(await setBirthday(deps, { ...member, birthdayMonth: 9, birthdayDay: 15 }, 9, 15)).toBe(20);
    await adjustPoints(deps, {
      memberId: member.id,
      points: 7,
      reason: "Goodwill",
      staffUserId: 42n,
      staffName: "Sam",
      requestId: "req-1",
    });
    await adjustPoints(deps, {
      memberId: member.id,
      points: 7,
      reason: "Goodwill",
      staffUserId: 42n,
      staffName: "Sam",
      requestId: "req-1",
    });
    expect((await ledgerOf(ada().id)).filter((e) => e.kind === "adjust")).toEqual([
      expect.objectContaining({ points: 7, reason: "Goodwill", staffUserId: 42n, staffName: "Sam" }),
    ]);
    expect((await memberOf(ada().id)).pointsBalance).toBe(47);
    expect(await inconsistentBalances(db, shopId)).toEqual([]);
    await expect(ensureMember(db, shopId, member.customerId)).resolves.toMatchObject({ created: false });
  });
});
