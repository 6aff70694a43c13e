// Customer 360 against real PostgreSQL and Redis: every section of a small shop's customer (orders
// with lines and refunds paged by keyset, scores with the explanation, lifecycle history, loyalty,
// notes), nothing of another shop's customer, redaction, the note and adjustment forms with their
// staff audit entries, and the addresses read live from the Shopify double.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createProgram } from "../../../test/helpers/loyalty-test-setup";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import { startTestDouble } from "../../../test/helpers/start-test-double";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { accessTokenKey, issueOfflineToken } from "../../../test/shopify-double/access-token";
import type { ShopifyDouble } from "../../../test/shopify-double/index";
import type { StoreShop } from "../../../test/shopify-double/store-data";
import { createJobQueues } from "../../jobs/job-queues.server";
import { logger } from "../../lib/logger.server";
import type { LoyaltyDeps } from "../loyalty/loyalty-service-deps";
import { adjustPoints } from "../loyalty/member-bonuses.server";
import { accessTokenTransport } from "../shopify-admin/shopify-admin-client.server";
import { fetchCustomerAddresses } from "./customer-addresses.server";
import { orderPageRequest } from "./customer-360-input";
import { addCustomerNoteForm, adjustCustomerPointsForm, loadCustomer360 } from "./customer-360.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const deps: LoyaltyDeps = { db, logger, jobs };
const shopIds: number[] = [];
const staff = { userId: 4242n, name: "Sam Staff" };
let double: ShopifyDouble | undefined;
let addressStore: StoreShop;

afterAll(async () => {
  await db.shop.deleteMany({ where: { id: { in: shopIds } } });
  await double?.close();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

const at = (iso: string) => new Date(iso);
let nextShopifyId = BigInt(Date.now()) * 1000n;
const shopifyId = () => nextShopifyId++;

async function givenShop() {
  const shop = await createTestShop(db, { currencyCode: "USD", ianaTimezone: "UTC" });
  shopIds.push(shop.id);
  return shop;
}

async function givenCustomer(shopId: number, data: Partial<Parameters<typeof db.customer.create>[0]["data"]> = {}) {
  return db.customer.create({
    data: {
      shopId,
      shopifyId: shopifyId(),
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.com",
      countryCode: "US",
      tags: ["vip"],
      emailConsent: "SUBSCRIBED",
      smsConsent: "UNSUBSCRIBED",
      shopifyCreatedAt: at("2024-03-01T10:00:00Z"),
      shopifyUpdatedAt: at("2024-03-01T10:00:00Z"),
      ordersCount: 20,
      grossSpentMinor: 123456n,
      netSpentMinor: 120000n,
      averageOrderValueMinor: 6000n,
      channels: ["web", "pos"],
      topProducts: [{ productShopifyId: "801", title: "Blue Train", quantity: 7 }],
      ...data,
    } as Parameters<typeof db.customer.create>[0]["data"],
  });
}

async function givenOrder(
  shopId: number,
  customerId: bigint,
  order: { processedAt: string; totalMinor: bigint; currencyCode?: string; cancelledAt?: string; name?: string },
) {
  const id = shopifyId();
  return db.order.create({
    data: {
      shopId,
      shopifyId: id,
      customerId,
      name: order.name ?? `#${id}`,
      currencyCode: order.currencyCode ?? "USD",
      sourceName: "web",
      financialStatus: "paid",
      processedAt: at(order.processedAt),
      shopifyCreatedAt: at(order.processedAt),
      shopifyUpdatedAt: at(order.processedAt),
      cancelledAt: order.cancelledAt ? at(order.cancelledAt) : null,
      subtotalMinor: order.totalMinor,
      totalMinor: order.totalMinor,
    },
  });
}

/** Ada: 21 orders (one cancelled, one in EUR with lines and a refund), a score, history, a membership. */
async function givenAdaWithEverything() {
  const shop = await givenShop();
  const ada = await givenCustomer(shop.id);
  // 20 plain orders on Jan 1..20, 2026
  for (let day = 1; day <= 20; day++) {
    await givenOrder(shop.id, ada.id, {
      processedAt: `2026-01-${String(day).padStart(2, "0")}T12:00:00Z`,
      totalMinor: 1000n + BigInt(day),
      name: `#10${String(day).padStart(2, "0")}`,
      ...(day === 5 ? { cancelledAt: "2026-01-06T09:00:00Z" } : {}),
    });
  }
  // The newest: in EUR, two lines, one of them partly refunded
  const euroOrder = await givenOrder(shop.id, ada.id, {
    processedAt: "2026-02-01T12:00:00Z",
    totalMinor: 3897n,
    currencyCode: "EUR",
    name: "#1100",
  });
  await db.lineItem.createMany({
    data: [
      {
        shopId: shop.id,
        orderId: euroOrder.id,
        shopifyId: shopifyId(),
        title: "Blue Train",
        variantTitle: "CD",
        quantity: 2,
        priceMinor: 1299n,
        refundedQuantity: 1,
      },
      {
        shopId: shop.id,
        orderId: euroOrder.id,
        shopifyId: shopifyId(),
        title: "Kind of Blue",
        quantity: 1,
        priceMinor: 1299n,
      },
    ],
  });
  await db.refund.create({
    data: {
      shopId: shop.id,
      orderId: euroOrder.id,
      orderShopifyId: euroOrder.shopifyId,
      shopifyId: shopifyId(),
      amountMinor: 1299n,
      refundedAt: at("2026-02-03T08:00:00Z"),
      lineItems: [{ lineItemShopifyId: "1", quantity: 1, subtotalMinor: "1299" }],
    },
  });
  await db.order.update({ where: { id: euroOrder.id }, data: { refundedMinor: 1299n } });

  const run = await db.analyticsRun.create({
    data: {
      shopId: shop.id,
      trigger: "test",
      status: "succeeded",
      finishedAt: at("2026-02-10T03:00:00Z"),
      modelFit: {
        kind: "fitted",
        periodDays: 7,
        clvHorizonMonths: 12,
        monthlyDiscountRate: 0.01,
        bgNbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, logLikelihood: -9582.4 },
        gammaGamma: null,
      },
      clusters: {
        silhouette: 0.4,
        centroids: [
          { cluster: 0, name: "Recent regulars", size: 10, recencyDays: 10, frequency: 4, monetary: 100, clv: 50 },
          { cluster: 1, name: "Lapsed one-timers", size: 10, recencyDays: 300, frequency: 1, monetary: 20, clv: 1 },
        ],
      },
    },
  });
  await db.customerScore.create({
    data: {
      customerId: ada.id,
      shopId: shop.id,
      runId: run.id,
      recencyDays: 210,
      purchaseDays: 4,
      netSpentMinor: 120000n,
      rScore: 2,
      fScore: 4,
      mScore: 5,
      rfmSegment: "Can't lose them",
      frequency: 3,
      recency: 20,
      T: 52,
      monetaryValue: 3000,
      pAlive: 0.35,
      churnRisk: "medium",
      expectedPurchases30: 0.1234,
      expectedPurchases90: 0.35,
      expectedPurchases365: 1.2,
      expectedAverageOrderValueMinor: 5999n,
      clvMinor: 45678n,
      cluster: 0,
      lifecycleStage: "at_risk",
      computedAt: at("2026-02-10T03:00:00Z"),
    },
  });
  await db.lifecycleTransition.createMany({
    data: [
      {
        shopId: shop.id,
        customerId: ada.id,
        fromStage: "new",
        toStage: "growing",
        at: at("2026-01-03T03:00:00Z"),
        runId: run.id,
      },
      {
        shopId: shop.id,
        customerId: ada.id,
        fromStage: "growing",
        toStage: "at_risk",
        at: at("2026-02-10T03:00:00Z"),
        runId: null,
      },
    ],
  });

  await createProgram(db, shop.id);
  const gold = await db.loyaltyTier.create({ data: { shopId: shop.id, name: "Gold", threshold: 1000n } });
  const member = await db.loyaltyMember.create({
    data: { shopId: shop.id, customerId: ada.id, referralCode: `REF${randomUUID().slice(0, 8)}`, tierId: gold.id },
  });
  await adjustPoints(deps, {
    memberId: member.id,
    points: 500,
    reason: "Welcome gift",
    staffUserId: null,
    staffName: "Owner",
    requestId: randomUUID(),
  });
  await db.loyaltyRedemption.create({
    data: {
      shopId: shop.id,
      memberId: member.id,
      rewardSnapshot: { title: "5 USD off", kind: "fixed_amount" },
      pointsSpent: 100,
      status: "issued",
      discountCode: `KIN-${randomUUID().slice(0, 8).toUpperCase()}-AB`,
    },
  });
  return { shop, ada, euroOrder, member };
}

describe("Customer 360 read model", () => {
  it("shows every section of a customer from the shop's own tables", async () => {
    // Given Ada with orders, refunds, scores, lifecycle history, a membership and a staff note
    const { shop, ada } = await givenAdaWithEverything();
    await addCustomerNoteForm(db, {
      shopDomain: shop.domain,
      customerShopifyId: ada.shopifyId,
      staff,
      values: { intent: "note", body: "  Prefers vinyl  " },
    });

    // When her Customer 360 loads
    const view = await loadCustomer360(db, { shopDomain: shop.domain, customerShopifyId: ada.shopifyId, orders: null });

    // Then the profile carries her contact, consent, channels, tags and spend in the shop's currency
    expect(view).not.toBeNull();
    const { profile, scores, orders, loyalty, notes, lifecycleHistory } = view!;
    expect(profile).toMatchObject({
      name: "Ada Lovelace",
      email: "ada@example.com",
      countryCode: "US",
      tags: ["vip"],
      channels: ["web", "pos"],
      emailConsent: { label: "Subscribed", tone: "success" },
      smsConsent: { label: "Unsubscribed" },
      orders: "20",
      netSpent: "$1,200.00",
      grossSpent: "$1,234.56",
      averageOrderValue: "$60.00",
      createdAt: "Mar 1, 2024, 10:00 AM UTC",
      topProducts: [{ id: "801", title: "Blue Train", quantity: "7" }],
    });
    // (phone and location are not stored: the page reads them live, see "Customer 360 addresses")
    expect(profile).not.toHaveProperty("phone");
    // And the scores, cluster name, horizon and the explanation from the run's fitted model
    expect(scores).toMatchObject({
      rfm: { r: 2, f: 4, m: 5, segment: "Can't lose them" },
      cluster: "Recent regulars",
      lifecycleStage: "At risk",
      pAlive: "35%",
      churnRisk: { label: "Medium churn risk", tone: "attention" },
      expectedPurchases: { days30: "0.12", days90: "0.35", days365: "1.20" },
      expectedAverageOrderValue: "$59.99",
      clv: "$456.78",
      clvHorizon: "12 months",
      computedAt: "Feb 10, 2026, 3:00 AM UTC",
    });
    // (r + x) / (α + T) = 3.243 / 56.414 purchases a week: one every ~122 days
    expect(scores!.pAliveExplanation).toBe(
      "Based on 4 orders, the last 210 days ago, there is a 35% chance this customer still buys from you; " +
        "customers who ordered this often usually order every ~120 days.",
    );
    expect(lifecycleHistory).toEqual([
      expect.objectContaining({ from: "Growing", to: "At risk", source: "After an order" }),
      expect.objectContaining({ from: "New", to: "Growing", source: "Analytics run", at: "Jan 3, 2026, 3:00 AM UTC" }),
    ]);

    // And the newest 20 orders, newest first, each in its own currency, with lines, refunds and cancellations
    expect(orders.rows).toHaveLength(20);
    expect(orders.rows.map((order) => order.name).slice(0, 3)).toEqual(["#1100", "#1020", "#1019"]);
    expect(orders.newerCursor).toBeNull();
    expect(orders.olderCursor).not.toBeNull();
    const euro = orders.rows[0]!;
    expect(euro).toMatchObject({ total: "€38.97", refunded: "€12.99", net: "€25.98", cancelled: false });
    expect(euro.lineItems).toEqual([
      expect.objectContaining({
        title: "Blue Train",
        variantTitle: "CD",
        quantity: 2,
        refundedQuantity: 1,
        total: "€25.98",
      }),
      expect.objectContaining({ title: "Kind of Blue", quantity: 1, total: "€12.99" }),
    ]);
    expect(euro.refunds).toEqual([
      expect.objectContaining({ amount: "€12.99", items: 1, at: "Feb 3, 2026, 8:00 AM UTC" }),
    ]);
    const cancelled = orders.rows.find((order) => order.name === "#1005")!;
    expect(cancelled).toMatchObject({ cancelled: true, total: "$10.05", cancelledAt: "Jan 6, 2026, 9:00 AM UTC" });

    // And the loyalty balance, tier, ledger and rewards, and the note with who wrote it
    expect(loyalty.state).toBe("member");
    if (loyalty.state !== "member") throw new Error("unreachable");
    expect(loyalty).toMatchObject({ balance: 500, tier: "Gold", programEnabled: true });
    expect(loyalty.ledger).toEqual([
      expect.objectContaining({ kind: "Staff adjustment", points: 500, detail: "Welcome gift", staffName: "Owner" }),
    ]);
    expect(loyalty.redemptions).toEqual([
      expect.objectContaining({
        reward: "5 USD off",
        status: "Issued",
        points: 100,
        code: expect.stringMatching(/^KIN-/),
      }),
    ]);
    expect(notes).toEqual([expect.objectContaining({ body: "Prefers vinyl", by: "Sam Staff" })]);
  });

  it("pages the order timeline by keyset, back and forth", async () => {
    // Given Ada's 21 orders
    const { shop, ada } = await givenAdaWithEverything();
    const load = (search: string) =>
      loadCustomer360(db, {
        shopDomain: shop.domain,
        customerShopifyId: ada.shopifyId,
        orders: orderPageRequest(new URLSearchParams(search)),
      });
    const first = (await load(""))!.orders;

    // When the older page is opened
    const second = (await load(`older=${first.olderCursor}`))!.orders;
    // Then it holds the one oldest order, and leads back to the newer ones but no further back
    expect(second.rows.map((order) => order.name)).toEqual(["#1001"]);
    expect(second.olderCursor).toBeNull();
    expect(second.newerCursor).not.toBeNull();

    // When the newer page is opened from there, it is the first page again
    const back = (await load(`newer=${second.newerCursor}`))!.orders;
    expect(back.rows.map((order) => order.name)).toEqual(first.rows.map((order) => order.name));
    expect(back.olderCursor).not.toBeNull();

    // And a forged cursor falls back to the newest page
    expect((await load("older=robert'); DROP TABLE orders"))!.orders.rows[0]!.name).toBe("#1100");
  });

  it("reads nothing of another shop's customer, nor an unknown one", async () => {
    // Given Ada in one shop and Grace in another
    const { shop, ada } = await givenAdaWithEverything();
    const otherShop = await givenShop();
    const grace = await givenCustomer(otherShop.id, { firstName: "Grace" });
    // When either shop asks for the other's customer, or for an id nobody has
    const load = (domain: string, id: bigint) =>
      loadCustomer360(db, { shopDomain: domain, customerShopifyId: id, orders: null });
    // Then there is no customer
    await expect(load(shop.domain, grace.shopifyId)).resolves.toBeNull();
    await expect(load(otherShop.domain, ada.shopifyId)).resolves.toBeNull();
    await expect(load(shop.domain, 1n)).resolves.toBeNull();
    await expect(load("nobody.myshopify.com", ada.shopifyId)).resolves.toBeNull();
    // And a note cannot be written on another shop's customer
    await expect(
      addCustomerNoteForm(db, {
        shopDomain: otherShop.domain,
        customerShopifyId: ada.shopifyId,
        staff,
        values: { intent: "note", body: "sneaky" },
      }),
    ).resolves.toBeNull();
    expect(await db.customerNote.count({ where: { customerId: ada.id } })).toBe(0);
  });

  it("says what is not there yet: no scores, no orders, no program, not a member", async () => {
    // Given a shop without a loyalty program and a customer with no orders
    const shop = await givenShop();
    const newcomer = await givenCustomer(shop.id, { ordersCount: 0, averageOrderValueMinor: null, topProducts: [] });
    const view = (await loadCustomer360(db, {
      shopDomain: shop.domain,
      customerShopifyId: newcomer.shopifyId,
      orders: null,
    }))!;
    expect(view.scores).toBeNull();
    expect(view.orders).toEqual({ rows: [], olderCursor: null, newerCursor: null });
    expect(view.loyalty).toEqual({ state: "no_program" });
    expect(view.profile.averageOrderValue).toBeNull();
    // When the shop launches a program the customer has not joined
    await createProgram(db, shop.id);
    const later = (await loadCustomer360(db, {
      shopDomain: shop.domain,
      customerShopifyId: newcomer.shopifyId,
      orders: null,
    }))!;
    expect(later.loyalty).toEqual({ state: "not_member", programEnabled: true });
  });

  it("shows a redacted customer without any personal field", async () => {
    // Given a customer erased by customers/redact, with a note written before
    const shop = await givenShop();
    const erased = await givenCustomer(shop.id);
    await db.customerNote.create({ data: { shopId: shop.id, customerId: erased.id, body: "Lives at 1 Main St" } });
    await db.customer.update({
      where: { id: erased.id },
      data: { redactedAt: new Date(), firstName: null, lastName: null, email: null },
    });
    const view = (await loadCustomer360(db, {
      shopDomain: shop.domain,
      customerShopifyId: erased.shopifyId,
      orders: null,
    }))!;
    // Then the figures stay, the personal fields and notes do not
    expect(view.profile).toMatchObject({
      name: "Redacted customer",
      redacted: true,
      email: null,
      countryCode: null,
      tags: [],
      orders: "20",
    });
    expect(JSON.stringify(view)).not.toMatch(/Main St|Boston|vip|Lovelace/);
    expect(view.notes).toEqual([]);
    // And no note can be added
    const outcome = await addCustomerNoteForm(db, {
      shopDomain: shop.domain,
      customerShopifyId: erased.shopifyId,
      staff,
      values: { intent: "note", body: "hello" },
    });
    expect(outcome).toMatchObject({ ok: false, formKey: "note" });
  });
});

describe("Customer 360 forms", () => {
  it("adds a staff note with an audit entry, and refuses empty or too long notes field by field", async () => {
    const shop = await givenShop();
    const ada = await givenCustomer(shop.id);
    const note = (body: string) =>
      addCustomerNoteForm(db, { shopDomain: shop.domain, customerShopifyId: ada.shopifyId, staff, values: { body } });

    // When staff submit an empty note and one of 2,001 characters
    await expect(note("   ")).resolves.toMatchObject({
      ok: false,
      formKey: "note",
      errors: { body: "Write the note first" },
    });
    await expect(note("x".repeat(2001))).resolves.toMatchObject({
      ok: false,
      errors: { body: "At most 2,000 characters" },
    });
    // Then nothing is stored or audited
    expect(await db.customerNote.count({ where: { customerId: ada.id } })).toBe(0);
    expect(await db.staffAuditEntry.count({ where: { shopId: shop.id } })).toBe(0);

    // When they submit a real note of exactly 2,000 characters
    await expect(note("y".repeat(2000))).resolves.toMatchObject({ ok: true, message: "Note added" });
    // Then the note is stored with who wrote it, and the audit log says so without the text
    const stored = await db.customerNote.findMany({ where: { customerId: ada.id } });
    expect(stored).toEqual([expect.objectContaining({ shopId: shop.id, staffUserId: 4242n, staffName: "Sam Staff" })]);
    const audit = await db.staffAuditEntry.findMany({ where: { shopId: shop.id } });
    expect(audit).toEqual([
      expect.objectContaining({
        action: "customer.note_added",
        customerId: ada.id,
        staffUserId: 4242n,
        staffName: "Sam Staff",
        details: { noteId: stored[0]!.id.toString(), length: 2000 },
      }),
    ]);
  });

  it("adjusts points with a reason, audits it once, and shows field errors", async () => {
    const { shop, ada, member } = await givenAdaWithEverything();
    const adjust = (values: Record<string, string>) =>
      adjustCustomerPointsForm(deps, { shopDomain: shop.domain, customerShopifyId: ada.shopifyId, staff, values });

    // When the reason is missing and the points are not a number
    const refused = await adjust({ intent: "adjust", points: "ten", reason: "", requestId: randomUUID() });
    // Then each field says what is wrong, and nothing is booked or audited
    expect(refused).toMatchObject({
      ok: false,
      formKey: "adjust",
      errors: { points: expect.stringContaining("whole number"), reason: expect.stringContaining("reason") },
    });
    expect(await db.staffAuditEntry.count({ where: { shopId: shop.id } })).toBe(0);

    // When staff take 200 points away with a reason, and the form is submitted twice
    const requestId = randomUUID();
    const values = { intent: "adjust", points: "-200", reason: "Returned gift card", requestId };
    await expect(adjust(values)).resolves.toMatchObject({ ok: true, message: "Balance is now 300 points" });
    await expect(adjust(values)).resolves.toMatchObject({ ok: true });
    // Then the balance moved once, the ledger says who did it, and one audit entry was written
    expect((await db.loyaltyMember.findUniqueOrThrow({ where: { id: member.id } })).pointsBalance).toBe(300);
    const audit = await db.staffAuditEntry.findMany({ where: { shopId: shop.id } });
    expect(audit).toEqual([
      expect.objectContaining({
        action: "points.adjusted",
        customerId: ada.id,
        staffUserId: 4242n,
        staffName: "Sam Staff",
        details: { points: -200, reason: "Returned gift card", source: "customer_360" },
      }),
    ]);
    const view = (await loadCustomer360(db, {
      shopDomain: shop.domain,
      customerShopifyId: ada.shopifyId,
      orders: null,
    }))!;
    if (view.loyalty.state !== "member") throw new Error("Ada is a member");
    expect(view.loyalty.ledger[0]).toMatchObject({
      points: -200,
      detail: "Returned gift card",
      staffName: "Sam Staff",
    });

    // And more points than the balance are refused on the points field
    await expect(
      adjust({ intent: "adjust", points: "-1000", reason: "Too much", requestId: randomUUID() }),
    ).resolves.toMatchObject({ ok: false, errors: { points: "The balance is 300 points" } });
    expect(await db.staffAuditEntry.count({ where: { shopId: shop.id } })).toBe(1);
  });
});

describe("Customer 360 addresses", () => {
  beforeAll(async () => {
    const store = smallTestStore(`addresses-${randomUUID().slice(0, 8)}.myshopify.com`);
    store.customers[0]!.phone = "+44 20 7946 0000";
    store.customers[0]!.address = {
      address1: "12 Analytical Row",
      city: "London",
      province: "England",
      provinceCode: "ENG",
      country: "United Kingdom",
      countryCode: "GB",
      zip: "W1 1AA",
    };
    double = await startTestDouble([store]);
    addressStore = store;
  });

  function transportFor(domain: string) {
    return accessTokenTransport({
      endpoint: `${double!.url}/shops/${domain}/admin/api/2026-07/graphql.json`,
      accessToken: issueOfflineToken(accessTokenKey(process.env.SHOPIFY_API_SECRET!), domain),
    });
  }

  it("reads the customer's phone, location and addresses live from Shopify, the default first", async () => {
    const store = addressStore;
    const result = await fetchCustomerAddresses(
      { transport: transportFor(store.domain), shop: store.domain, logger },
      BigInt(store.customers[0]!.id),
    );
    expect(result).toEqual({
      status: "loaded",
      phone: "+44 20 7946 0000",
      location: "London, England, GB",
      addresses: [
        {
          id: expect.stringContaining("gid://shopify/MailingAddress/"),
          isDefault: true,
          lines: ["Ada Tester", "12 Analytical Row", "W1 1AA London, England", "United Kingdom"],
          phone: "+44 20 7946 0000",
        },
      ],
    });
    // A customer without an address has none; one Shopify does not know is said so
    const grace = await fetchCustomerAddresses(
      { transport: transportFor(store.domain), shop: store.domain, logger },
      BigInt(store.customers[1]!.id),
    );
    expect(grace).toEqual({ status: "loaded", phone: null, location: null, addresses: [] });
    await expect(
      fetchCustomerAddresses({ transport: transportFor(store.domain), shop: store.domain, logger }, 1n),
    ).resolves.toEqual({ status: "not_in_shopify" });
  });

  it("degrades to 'failed' when Shopify errs or does not answer in time", async () => {
    const failing = async () => new Response("boom", { status: 502 });
    await expect(fetchCustomerAddresses({ transport: failing, shop: "x.myshopify.com", logger }, 7n)).resolves.toEqual({
      status: "failed",
    });
    const hanging = () => new Promise<Response>(() => undefined);
    await expect(
      fetchCustomerAddresses({ transport: hanging, shop: "x.myshopify.com", logger, timeoutMs: 50 }, 7n),
    ).resolves.toEqual({ status: "failed" });
  });
});
