// The loyalty jobs that talk to Shopify, run as the worker runs them against the Shopify double:
// the member's points and tier land on the Shopify customer (metafields, tag), and a redemption
// whose code could not be issued by its last attempt gives its points back, once.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  type createProgram,
  createReward,
  createTier,
  deliver,
  memberOfCustomer,
  openLoyaltyStore,
  runLoyaltyJobs,
  runShopifyCallsJobs,
} from "../../../test/helpers/loyalty-test-setup";
import { startTestDouble } from "../../../test/helpers/start-test-double";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { customerMetafieldsOf, discountsOf, refuseDiscountCodes } from "../../../test/shopify-double/discounts";
import type { ShopifyDouble } from "../../../test/shopify-double/index";
import { customerPayload, orderPayload } from "../../../test/shopify-double/rest-payloads";
import type { StoreShop } from "../../../test/shopify-double/store-data";
import { createJobQueues } from "../../jobs/job-queues.server";
import { runDailyShop } from "./daily-shop.server";
import { appendLedgerEntries } from "./loyalty-ledger.repository.server";
import { reevaluateShopTiers } from "./member-tier.server";
import { redeemReward } from "./redeem-reward.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { issueRewardAttempt } from "./settle-redemption.server";
import { tierTag } from "./sync-loyalty-to-shopify.server";

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
});

afterAll(async () => {
  await double.close();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

async function givenAdaWithAnOrder(settings: Parameters<typeof createProgram>[2]) {
  clock.now = new Date("2026-10-01T12:00:00Z");
  const opened = await openLoyaltyStore({ db, jobs, double, clock, handle: "sync", settings });
  ({ store, double, deps } = opened);
  shopId = opened.shop.id;
  await deliver(deps, store.domain, "customers/create", customerPayload(store, store.customers[0]!));
  await deliver(deps, store.domain, "orders/create", orderPayload(store, store.orders[0]!));
  await runLoyaltyJobs(deps);
  return memberOfCustomer(db, shopId, store.customers[0]!.id);
}

/** Ada's tags as the Shopify double holds them. */
async function shopifyTagsOfAda(): Promise<string[]> {
  const admin = await deps.adminFor!(store.domain);
  const data = await admin.request<{ customer: { tags: string[] } }>(
    `#graphql
    query KinshipTestCustomerTags($id: ID!) { customer(id: $id) { tags } }`,
    { id: `gid://shopify/Customer/${store.customers[0]!.id}` },
  );
  return data.customer.tags;
}

describe("sync-member-to-shopify", () => {
  it("writes points and tier as metafields and the tier as the one Kinship tier tag", async () => {
    // Given Silver at 10 points and Gold at 1,000, and Ada at 75 points (signup 50 + 25 earned): Silver
    const silver = { name: "Silver", threshold: 10n, earnMultiplierPermille: 1000, entryBonusPoints: 0 };
    const ada = await givenAdaWithAnOrder({ bonuses: { signup: 50 } });
    await createTier(db, shopId, silver);
    const gold = await createTier(db, shopId, { ...silver, name: "Gold", threshold: 1000n });
    await reevaluateShopTiers(deps, shopId);
    const gid = `gid://shopify/Customer/${store.customers[0]!.id}`;

    // When the coalesced sync job runs (the order enqueued one)
    expect((await queues.jobs("shopify-calls")).filter((job) => job.name === "sync-member-to-shopify")).toHaveLength(1);
    expect(await runShopifyCallsJobs(deps, ["sync-member-to-shopify"])).toBe(1);

    // Then the double holds her balance and tier, and the tier tag
    const metafields = customerMetafieldsOf(store.domain);
    expect(metafields.get(`${gid}|kinship.loyalty_points`)).toBe(String(ada.pointsBalance));
    expect(ada.pointsBalance).toBe(75);
    expect(metafields.get(`${gid}|kinship.loyalty_tier`)).toBe("Silver");
    expect(await shopifyTagsOfAda()).toEqual([tierTag("Silver")]);

    // When she reaches Gold and the sync runs again, the Silver tag goes and Gold's comes
    await db.loyaltyTier.update({ where: { id: gold.id }, data: { threshold: 20n } });
    await reevaluateShopTiers(deps, shopId);
    await jobs.add("shopify-calls", "sync-member-to-shopify", {
      shopDomain: store.domain,
      memberId: ada.id.toString(),
    });
    await runShopifyCallsJobs(deps, ["sync-member-to-shopify"]);
    expect(metafields.get(`${gid}|kinship.loyalty_tier`)).toBe("Gold");
    expect(await shopifyTagsOfAda()).toEqual([tierTag("Gold")]);
  });
});

describe("a redemption whose code could not be issued", () => {
  async function givenPendingRedemption() {
    const ada = await givenAdaWithAnOrder({ bonuses: { signup: 100 } });
    const reward = await createReward(db, shopId, {
      title: "5 EUR off",
      kind: "fixed_amount",
      pointsCost: 100,
      amountMinor: 500n,
      percentage: null,
      minimumSubtotalMinor: null,
      tierId: null,
    });
    // Shopify unreachable: every Admin API call fails with a transient error
    const unreachable: LoyaltyDeps = {
      ...deps,
      adminFor: async () => {
        throw new Error("connect ECONNREFUSED");
      },
    };
    const result = await redeemReward(unreachable, { shopDomain: store.domain, member: ada, rewardId: reward.id });
    expect(result).toMatchObject({ status: "pending", pointsSpent: 100 });
    expect(await db.loyaltyMember.findUniqueOrThrow({ where: { id: ada.id } })).toMatchObject({ pointsBalance: 25 });
    return { ada, unreachable, redemptionId: result.redemptionId };
  }

  it("retries while attempts remain, then gives the points back once on the last", async () => {
    const { ada, unreachable, redemptionId } = await givenPendingRedemption();
    // When an attempt that is not the last fails, the job is to retry: it throws, nothing moves
    await expect(
      issueRewardAttempt(unreachable, redemptionId, { shopDomain: store.domain }, { lastAttempt: false }),
    ).rejects.toThrow(/ECONNREFUSED/);
    expect(await db.loyaltyRedemption.findUniqueOrThrow({ where: { id: redemptionId } })).toMatchObject({
      status: "pending",
    });
    // When the last attempt fails too
    expect(
      await issueRewardAttempt(unreachable, redemptionId, { shopDomain: store.domain }, { lastAttempt: true }),
    ).toBe("failed");
    expect(
      await issueRewardAttempt(unreachable, redemptionId, { shopDomain: store.domain }, { lastAttempt: true }),
    ).toBe("failed");
    // Then the redemption failed, its points are back once, and no code exists
    expect(await db.loyaltyRedemption.findUniqueOrThrow({ where: { id: redemptionId } })).toMatchObject({
      status: "failed",
      error: expect.stringContaining("ECONNREFUSED"),
    });
    const ledger = await db.loyaltyLedgerEntry.findMany({ where: { memberId: ada.id }, orderBy: { id: "asc" } });
    expect(ledger.map((e) => [e.kind, e.points])).toEqual([
      ["signup", 100],
      ["earn", 25],
      ["redeem", -100],
      ["restore", 100],
    ]);
    expect(await db.loyaltyMember.findUniqueOrThrow({ where: { id: ada.id } })).toMatchObject({ pointsBalance: 125 });
    expect(discountsOf(store.domain)).toEqual([]);
  });

  it("is settled by the daily pass an hour on: restored when Shopify has no code, kept when it has", async () => {
    const { ada, redemptionId } = await givenPendingRedemption();
    // A second redemption whose code Shopify did create (the answer was lost)
    const second = await givenPendingRedemptionForSameMember(ada.id);
    const code = (await db.loyaltyRedemption.findUniqueOrThrow({ where: { id: second } })).discountCode;
    await (
      await deps.adminFor!(store.domain)
    ).request(
      `#graphql
      mutation KinshipTestCode($input: DiscountCodeBasicInput!) {
        discountCodeBasicCreate(basicCodeDiscount: $input) { codeDiscountNode { id } userErrors { message } }
      }`,
      {
        input: {
          title: "lost answer",
          code,
          startsAt: "2026-10-01T00:00:00Z",
          customerGets: { value: { percentage: 0.1 }, items: { all: true } },
          context: { all: "ALL" },
        },
      },
    );
    // (Rows are stamped by the database clock; the test's clock is set to match them.)
    await db.loyaltyRedemption.updateMany({ where: { memberId: ada.id }, data: { createdAt: clock.now } });
    // Before an hour has passed the pass leaves them alone
    clock.now = new Date("2026-10-01T12:30:00Z");
    expect((await runDailyShop(deps, store.domain))?.staleRedemptions).toEqual({ issued: 0, restored: 0 });
    // An hour on, Shopify refuses the first's code (it was never made) and already has the second's
    await refuseNextCode();
    clock.now = new Date("2026-10-01T13:30:00Z");
    const settled = await runDailyShop(deps, store.domain);
    expect(settled?.staleRedemptions).toEqual({ issued: 1, restored: 1 });
    const statuses = await db.loyaltyRedemption.findMany({ where: { memberId: ada.id }, orderBy: { id: "asc" } });
    expect(statuses.map((r) => [r.id, r.status])).toEqual([
      [redemptionId, "failed"],
      [second, "issued"],
    ]);
    expect((await runDailyShop(deps, store.domain))?.staleRedemptions).toEqual({ issued: 0, restored: 0 });
    expect(await db.loyaltyLedgerEntry.count({ where: { memberId: ada.id, kind: "restore" } })).toBe(1);
    expect(settled?.inconsistent).toBe(0);
  });

  async function givenPendingRedemptionForSameMember(memberId: bigint) {
    const member = await db.loyaltyMember.findUniqueOrThrow({ where: { id: memberId } });
    const reward = await db.loyaltyReward.findFirstOrThrow({ where: { shopId } });
    await appendLedgerEntries(
      db,
      member.id,
      [{ kind: "adjust", points: 100, idempotencyKey: `adjust:${randomUUID()}`, reason: "test" }],
      clock.now,
    );
    const result = await redeemReward(
      { ...deps, adminFor: async () => Promise.reject(new Error("socket hang up")) },
      {
        shopDomain: store.domain,
        member: await db.loyaltyMember.findUniqueOrThrow({ where: { id: memberId } }),
        rewardId: reward.id,
      },
    );
    return result.redemptionId;
  }

  /** The next code creation is refused with user errors (lookups still answer). */
  async function refuseNextCode() {
    refuseDiscountCodes(store.domain, 1);
  }
});
