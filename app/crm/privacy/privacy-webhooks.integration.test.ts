// Compliance and uninstall webhooks through the real path: signed request → webhook route →
// inbox → BullMQ → worker → handler, against real PostgreSQL and Redis.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { signedWebhookRequest } from "../../../test/helpers/signed-webhook-request";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import {
  appUninstalledPayload,
  customerDataRequestPayload,
  customerPayload,
  customerRedactPayload,
  orderPayload,
  refundPayload,
  shopRedactPayload,
} from "../../../test/shopify-double/rest-payloads";
import type { StoreShop } from "../../../test/shopify-double/store-data";
import { startWorkers, type RunningWorkers } from "../../../workers/start-workers";
import { createJobQueues } from "../../jobs/job-queues.server";
import { reconcileSchedulerId, scheduleShopJobs } from "../history/shop-schedules.server";
import { logger } from "../../lib/logger.server";
import { createProgram } from "../../../test/helpers/loyalty-test-setup";
import { enrolCustomer } from "../loyalty/evaluate-order.server";
import { findProgram } from "../loyalty/loyalty.repository.server";
import { adjustPoints, setBirthday } from "../loyalty/member-bonuses.server";

const db = createTestPrisma();
const queues = openTestQueues();
const producer = createJobQueues(queues.connection, queues.prefix);
const domains: string[] = [];
let workers: RunningWorkers;

beforeAll(() => {
  // History and reconciliation jobs (scheduled by some of these tests) would call Shopify: stubbed.
  const idle = async () => "not under test";
  workers = startWorkers({
    db,
    logger,
    jobs: producer,
    connection: queues.connection,
    prefix: queues.prefix,
    processors: { backfill: idle, sync: idle },
  });
});

afterAll(async () => {
  await workers.stop();
  await db.shop.deleteMany({ where: { domain: { in: domains } } });
  await db.webhookDelivery.deleteMany({ where: { shopDomain: { in: domains } } });
  await db.privacyRequest.deleteMany({ where: { shopDomain: { in: domains } } });
  await db.session.deleteMany({ where: { shop: { in: domains } } });
  await producer.close();
  await queues.cleanUp();
  await db.$disconnect();
});

/** A small store whose customer Ada has every kind of personal data, an order and a refund. */
function richStore(): StoreShop {
  const store = smallTestStore(`privacy-${randomUUID().slice(0, 8)}.myshopify.com`);
  const ada = store.customers[0]!;
  Object.assign(ada, {
    firstName: "Adaline",
    lastName: "Byronsdottir",
    email: "adaline.byronsdottir@example.org",
    phone: "+15555550123",
    note: "Allergic to walnuts",
    tags: ["vip", "met-at-harbour-fair"],
    address: {
      address1: "12 Quillfeather Lane",
      city: "Marylebone",
      province: "Greater London",
      provinceCode: "LND",
      country: "United Kingdom",
      countryCode: "GB",
      zip: "NW1 6XE",
    },
  });
  const order = store.orders[0]!;
  order.email = ada.email;
  order.refunds = [
    {
      id: 9100000000001,
      createdAt: "2026-10-03T09:00:00.000Z",
      note: null,
      lineItems: [{ lineItemId: order.lineItems[0]!.id, quantity: 1, subtotalMinor: 1299 }],
      amountMinor: 1299,
    },
  ];
  domains.push(store.domain);
  return store;
}

/** The strings of Ada's that must not survive a redaction. */
const personalValuesOf = (store: StoreShop) => {
  const ada = store.customers[0]!;
  return [
    ada.firstName,
    ada.lastName,
    ada.email!,
    ada.phone!,
    ada.note!,
    "met-at-harbour-fair",
    ada.address!.address1,
    ada.address!.city,
    ada.address!.province,
    ada.address!.zip,
  ];
};

async function recordShop(store: StoreShop) {
  return db.shop.create({
    data: {
      domain: store.domain,
      name: store.name,
      currencyCode: store.currencyCode,
      ianaTimezone: store.ianaTimezone,
    },
  });
}

type RouteModule = { action: (args: { request: Request; params: object; context: object }) => Promise<Response> };

/** Posts a signed webhook to its route; returns the webhook id. */
async function post(shop: string, topic: string, payload: unknown, webhookId: string = randomUUID()) {
  const route = (await import(`../../routes/webhooks.${topic.replace("/", ".")}.tsx`)) as RouteModule;
  const request = signedWebhookRequest({ shop, topic, body: payload as object, webhookId });
  expect((await route.action({ request, params: {}, context: {} })).status).toBe(200);
  return webhookId;
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Posts and waits until the worker has applied (or set aside) the delivery. */
async function deliver(shop: string, topic: string, payload: unknown, webhookId?: string) {
  const id = await post(shop, topic, payload, webhookId);
  const row = await until(
    () => db.webhookDelivery.findUnique({ where: { shopDomain_webhookId: { shopDomain: shop, webhookId: id } } }),
    (delivery) => delivery !== null && delivery.status !== "received",
  );
  return row!;
}

async function givenAdaWithAnOrder(store: StoreShop) {
  const shop = await recordShop(store);
  const ada = store.customers[0]!;
  const order = store.orders[0]!;
  expect((await deliver(store.domain, "customers/create", customerPayload(store, ada))).status).toBe("applied");
  expect((await deliver(store.domain, "orders/create", orderPayload(store, order))).status).toBe("applied");
  expect((await deliver(store.domain, "refunds/create", refundPayload(store, order, order.refunds[0]!))).status).toBe(
    "applied",
  );
  return shop;
}

/** Every text-like column (text, varchar, arrays, json) of every table, from information_schema. */
async function textColumns() {
  return db.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name NOT LIKE '\\_%'
      AND data_type IN ('text', 'character varying', 'ARRAY', 'json', 'jsonb')
    ORDER BY table_name, column_name`;
}

/** "table.column" of every row of the shop where one of the values appears. */
async function whereValuesAppear(shop: { id: number; domain: string }, values: string[]) {
  const hits: string[] = [];
  for (const { table_name: table, column_name: column } of await textColumns()) {
    const scope = await db.$queryRaw<{ column_name: string }[]>`
      SELECT column_name::text AS column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = ${table} AND column_name IN ('shop_id', 'shop_domain', 'shop')`;
    const key = scope[0]?.column_name;
    if (!key) continue;
    const shopValue = key === "shop_id" ? String(shop.id) : shop.domain;
    for (const value of values) {
      const rows = await db.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM "${table}" WHERE "${key}"::text = $1 AND lower("${column}"::text) LIKE $2`,
        shopValue,
        `%${value.toLowerCase()}%`,
      );
      if (rows[0]!.n > 0n) hits.push(`${table}.${column}: ${value}`);
    }
  }
  return hits;
}

describe("customers/data_request", () => {
  it("stores one document with the customer's profile, orders, line items and refunds", async () => {
    // Given Ada, her order and its refund, received through webhooks
    const store = richStore();
    const shop = await givenAdaWithAnOrder(store);
    const ada = store.customers[0]!;

    // When Shopify sends her data request, twice (a replay under another webhook id)
    const payload = customerDataRequestPayload(store, ada, { dataRequestId: 4242 });
    expect((await deliver(store.domain, "customers/data_request", payload)).status).toBe("applied");
    expect((await deliver(store.domain, "customers/data_request", payload)).status).toBe("applied");

    // Then one completed request holds everything Kinship has on her
    const requests = await db.privacyRequest.findMany({ where: { shopDomain: store.domain } });
    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request).toMatchObject({
      shopId: shop.id,
      topic: "customers/data_request",
      customerShopifyId: BigInt(ada.id),
      requestId: "4242",
    });
    expect(request.completedAt).toBeInstanceOf(Date);
    const document = request.document as {
      format: string;
      sections: { key: string; data: unknown }[];
    };
    expect(document).toMatchObject({
      format: "kinship.customer-data.v1",
      shopDomain: store.domain,
      requestId: "4242",
      customerShopifyId: String(ada.id),
    });
    // (Ada is not a loyalty member: that section is there, empty.)
    expect(document.sections.map((section) => [section.key, section.data === null])).toEqual([
      ["profile", false],
      ["orders", false],
      ["loyalty", true],
      ["notes", false],
      ["surveys", false],
    ]);
    expect(document.sections[0]!.data).toMatchObject({
      firstName: "Adaline",
      lastName: "Byronsdottir",
      email: ada.email,
      countryCode: "GB",
      tags: ["vip", "met-at-harbour-fair"],
      figures: { ordersCount: 1, netSpent: { amountMinor: "1299", currency: "EUR" } },
    });
    // Phone and postal address are not stored, so no section can hand them over.
    const text = JSON.stringify(document);
    for (const notStored of [ada.phone!, ada.address!.address1, ada.address!.city, ada.address!.province]) {
      expect(text).not.toContain(notStored);
    }
    expect(document.sections[1]!.data).toEqual([
      expect.objectContaining({
        shopifyId: String(store.orders[0]!.id),
        name: "#1001",
        email: ada.email,
        total: { amountMinor: "2598", currency: "EUR" },
        refunded: { amountMinor: "1299", currency: "EUR" },
        lineItems: [expect.objectContaining({ title: "Blue Train", quantity: 2, refundedQuantity: 1 })],
        refunds: [expect.objectContaining({ amount: { amountMinor: "1299", currency: "EUR" } })],
      }),
    ]);
  });
});

describe("customers/redact", () => {
  it("leaves no personal field of the customer in any text column, and keeps the figures", async () => {
    // Given Ada with an order and a refund, and a data request already answered
    const store = richStore();
    const shop = await givenAdaWithAnOrder(store);
    const ada = store.customers[0]!;
    await deliver(store.domain, "customers/data_request", customerDataRequestPayload(store, ada));
    const before = await db.customer.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: BigInt(ada.id) } },
    });
    expect(await whereValuesAppear(shop, personalValuesOf(store))).not.toEqual([]);

    // When Shopify asks for her erasure
    const redact = await deliver(store.domain, "customers/redact", customerRedactPayload(store, ada));

    // Then none of her personal values is left in any text column of the shop's rows
    expect(redact.status).toBe("applied");
    expect(await whereValuesAppear(shop, personalValuesOf(store))).toEqual([]);
    // And her anonymous figures still add up
    const after = await db.customer.findUniqueOrThrow({ where: { id: before.id } });
    expect(after).toMatchObject({
      firstName: null,
      email: null,
      tags: [],
      ordersCount: before.ordersCount,
      netSpentMinor: before.netSpentMinor,
      firstOrderAt: before.firstOrderAt,
    });
    expect(after.redactedAt).toBeInstanceOf(Date);
    expect(await db.order.count({ where: { shopId: shop.id, customerId: before.id } })).toBe(1);
    // And the erasure is recorded, and the earlier document is gone
    const requests = await db.privacyRequest.findMany({ where: { shopDomain: store.domain }, orderBy: { id: "asc" } });
    expect(requests.map((row) => [row.topic, row.document === null])).toEqual([
      ["customers/data_request", true],
      ["customers/redact", true],
    ]);
  });

  it("stays redacted when a customers/update arrives or is replayed later, and a replay changes nothing", async () => {
    // Given Ada, erased
    const store = richStore();
    const shop = await givenAdaWithAnOrder(store);
    const ada = store.customers[0]!;
    const update = customerPayload(store, ada);
    const updateWebhookId = await post(store.domain, "customers/update", update);
    await until(
      () => db.webhookDelivery.findFirst({ where: { shopDomain: store.domain, webhookId: updateWebhookId } }),
      (row) => row?.status === "applied",
    );
    const redactPayload = customerRedactPayload(store, ada);
    const redact = await deliver(store.domain, "customers/redact", redactPayload);
    const erased = await db.customer.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: BigInt(ada.id) } },
    });

    // When Shopify retries the old customers/update (same webhook id), sends a newer one,
    // and retries the customers/redact itself
    await post(store.domain, "customers/update", update, updateWebhookId);
    const newer = { ...update, updated_at: "2026-12-01T10:00:00+01:00" };
    await deliver(store.domain, "customers/update", newer);
    await post(store.domain, "customers/redact", redactPayload, redact.webhookId);
    const again = await deliver(store.domain, "customers/redact", redactPayload);

    // Then her row is as erased as before, and the erasure is recorded once
    expect(again.status).toBe("applied");
    expect(await db.customer.findUniqueOrThrow({ where: { id: erased.id } })).toMatchObject({
      firstName: null,
      lastName: null,
      email: null,
      countryCode: null,
      tags: [],
    });
    expect(await db.privacyRequest.count({ where: { shopDomain: store.domain, topic: "customers/redact" } })).toBe(1);
    // And the old delivery was not stored twice: its row keeps only ids
    const old = await db.webhookDelivery.findFirstOrThrow({
      where: { shopDomain: store.domain, webhookId: updateWebhookId },
    });
    expect(old.payload).toEqual({ redacted: true, id: ada.id });
  });

  it("erases the orders listed in orders_to_redact, even a guest order with another e-mail", async () => {
    // Given a guest order (no customer) placed with another address
    const store = richStore();
    const shop = await recordShop(store);
    const guest = { ...structuredClone(store.orders[0]!), id: 5000000000009, name: "#1009", customerId: null };
    guest.email = "ada.alt@example.net";
    guest.refunds = [];
    store.orders.push(guest);
    await deliver(store.domain, "orders/create", orderPayload(store, guest));

    // When Ada's erasure names that order
    await deliver(store.domain, "customers/redact", customerRedactPayload(store, store.customers[0]!, [guest.id]));

    // Then its e-mail is gone, here and in the inbox
    expect(await whereValuesAppear(shop, ["ada.alt@example.net"])).toEqual([]);
  });
});

describe("loyalty data", () => {
  it("is in Ada's data request, and her redaction erases birthday, referral code and reasons but keeps the points", async () => {
    // Given Ada, a loyalty member with a birthday, a referral code and a staff note about her
    const store = richStore();
    const shop = await givenAdaWithAnOrder(store);
    const ada = store.customers[0]!;
    await createProgram(db, shop.id, { bonuses: { signup: 50, birthday: 20 } });
    const deps = { db, logger, jobs: producer, now: () => new Date("2026-10-01T12:00:00Z") };
    const customer = await db.customer.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: BigInt(ada.id) } },
    });
    const member = await enrolCustomer(deps, shop.domain, (await findProgram(db, shop.id))!, customer.id);
    await setBirthday(deps, member, 3, 14);
    const note = "Adaline Byronsdottir: parcel lost at Quillfeather Lane";
    await adjustPoints(deps, {
      memberId: member.id,
      points: 15,
      reason: note,
      staffUserId: 9n,
      staffName: "staff",
      requestId: randomUUID(),
    });
    const before = await db.loyaltyMember.findUniqueOrThrow({ where: { id: member.id } });
    const ledgerBefore = await db.loyaltyLedgerEntry.findMany({
      where: { memberId: member.id },
      orderBy: { id: "asc" },
    });
    expect(before).toMatchObject({ birthdayMonth: 3, birthdayDay: 14, pointsBalance: 85 });

    // When Shopify asks for her data, the document has her loyalty section
    await deliver(
      store.domain,
      "customers/data_request",
      customerDataRequestPayload(store, ada, { dataRequestId: 77 }),
    );
    const request = await db.privacyRequest.findFirstOrThrow({ where: { shopDomain: store.domain } });
    const sections = (request.document as { sections: { key: string; data: unknown }[] }).sections;
    expect(sections.map((section) => section.key)).toEqual(["profile", "orders", "loyalty", "notes", "surveys"]);
    expect(sections[2]!.data).toMatchObject({
      balance: 85,
      birthday: { month: 3, day: 14 },
      referralCode: before.referralCode,
      ledger: [
        { kind: "signup", points: 50 },
        { kind: "birthday", points: 20 },
        { kind: "adjust", points: 15, reason: note },
      ],
    });

    // When Shopify asks for her erasure
    expect((await deliver(store.domain, "customers/redact", customerRedactPayload(store, ada))).status).toBe("applied");

    // Then no loyalty table of the shop holds her birthday, referral code or the note
    expect(await whereValuesAppear(shop, [before.referralCode, note, "Quillfeather"])).toEqual([]);
    const after = await db.loyaltyMember.findUniqueOrThrow({ where: { id: member.id } });
    expect(after).toMatchObject({ birthdayMonth: null, birthdayDay: null, pointsBalance: 85 });
    expect(after.referralCode).not.toBe(before.referralCode);
    // And every ledger figure survives: kinds, points, dates, the balance and its version
    const ledgerAfter = await db.loyaltyLedgerEntry.findMany({
      where: { memberId: member.id },
      orderBy: { id: "asc" },
    });
    expect(ledgerAfter.map((e) => ({ ...e, reason: null, staffName: null }))).toEqual(
      ledgerBefore.map((e) => ({ ...e, reason: null, staffName: null })),
    );
    expect(ledgerAfter.map((e) => e.reason)).toEqual([null, null, null]);
    expect(after.balanceVersion).toBe(before.balanceVersion);
  });
});

describe("shop/redact", () => {
  it("deletes every row of the shop and nothing of another shop, and records it", async () => {
    // Given two shops with customers, orders, sessions and deliveries
    const store = richStore();
    const other = richStore();
    const shop = await givenAdaWithAnOrder(store);
    const otherShop = await givenAdaWithAnOrder(other);
    for (const domain of [store.domain, other.domain]) {
      await db.session.create({ data: { id: `offline_${domain}`, shop: domain, state: "", accessToken: "shpat_x" } });
      await db.syncRun.create({
        data: { shopId: domain === store.domain ? shop.id : otherShop.id, kind: "demo_seed", status: "succeeded" },
      });
    }
    await deliver(store.domain, "customers/data_request", customerDataRequestPayload(store, store.customers[0]!));
    const otherBefore = await rowCountsOf(otherShop);

    // When Shopify asks to erase the first shop, twice
    const redact = await deliver(store.domain, "shop/redact", shopRedactPayload(store));
    await deliver(store.domain, "shop/redact", shopRedactPayload(store));

    // Then nothing of it remains but the record of the erasure and that delivery (and the inbox's
    // hourly count of it, which holds no more than the shop's domain)
    expect(redact.status).toBe("applied");
    const left = await rowCountsOf(shop);
    expect(Object.entries(left).filter(([, n]) => n > 0)).toEqual([
      ["privacy_requests", 2],
      ["webhook_deliveries", 2],
      ["webhook_delivery_hours", left.webhook_delivery_hours!],
    ]);
    const hours = await db.webhookDeliveryHour.groupBy({
      by: ["kind"],
      where: { shopDomain: store.domain },
      _sum: { deliveries: true },
    });
    expect(hours.find((row) => row.kind === "arrived")?._sum.deliveries).toBe(2n);
    const records = await db.privacyRequest.findMany({ where: { shopDomain: store.domain }, orderBy: { id: "asc" } });
    expect(records.map((row) => [row.topic, row.shopId, row.document])).toEqual([
      ["customers/data_request", null, null],
      ["shop/redact", null, null],
    ]);
    const deliveries = await db.webhookDelivery.findMany({ where: { shopDomain: store.domain } });
    expect(deliveries.map((row) => row.topic)).toEqual(["shop/redact", "shop/redact"]);
    // And the other shop is untouched
    expect(await rowCountsOf(otherShop)).toEqual(otherBefore);
  });
});

/** Rows per table for the shop (by shop_id, shop_domain or session shop), from information_schema. */
async function rowCountsOf(shop: { id: number; domain: string }) {
  const keyed = await db.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns
    WHERE table_schema = 'public' AND column_name IN ('shop_id', 'shop_domain', 'shop')
    ORDER BY table_name`;
  const counts: Record<string, number> = {};
  for (const { table_name: table, column_name: column } of keyed) {
    const value = column === "shop_id" ? String(shop.id) : shop.domain;
    const rows = await db.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM "${table}" WHERE "${column}"::text = $1`,
      value,
    );
    counts[table] = (counts[table] ?? 0) + Number(rows[0]!.n);
  }
  const shops = await db.shop.count({ where: { domain: shop.domain } });
  counts.shops = shops;
  return counts;
}

describe("app/uninstalled", () => {
  it("deletes the sessions, marks the shop and removes its job schedulers; a replay changes nothing", async () => {
    // Given an installed shop with a session and a daily job, and another shop's daily job
    const store = richStore();
    const shop = await recordShop(store);
    await db.session.create({
      data: { id: `offline_${store.domain}`, shop: store.domain, state: "", accessToken: "shpat_x" },
    });
    const sync = queues.queue("sync");
    const otherDomain = `someone-else-${randomUUID().slice(0, 8)}.myshopify.com`;
    await scheduleShopJobs(producer, store.domain);
    await scheduleShopJobs(producer, otherDomain);

    // When Shopify reports the uninstall, then replays it under another webhook id
    const first = await deliver(store.domain, "app/uninstalled", appUninstalledPayload(store));
    const marked = await db.shop.findUniqueOrThrow({ where: { id: shop.id } });
    await deliver(store.domain, "app/uninstalled", appUninstalledPayload(store));

    // Then the sessions are gone, the shop is marked once, and its scheduler is removed
    expect(first.status).toBe("applied");
    expect(await db.session.count({ where: { shop: store.domain } })).toBe(0);
    expect(marked.uninstalledAt).toBeInstanceOf(Date);
    expect((await db.shop.findUniqueOrThrow({ where: { id: shop.id } })).uninstalledAt).toEqual(marked.uninstalledAt);
    const keys = (await sync.getJobSchedulers(0, -1)).map((scheduler) => scheduler.key).sort();
    expect(keys).toContain(reconcileSchedulerId(otherDomain));
    expect(keys).not.toContain(reconcileSchedulerId(store.domain));
    await sync.removeJobScheduler(reconcileSchedulerId(otherDomain));
  });
});
