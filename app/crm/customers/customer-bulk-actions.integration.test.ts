// Bulk actions of the Customers list against real PostgreSQL, Redis and the Shopify double: a tag
// reaches Shopify and our copy, points go through the ledger once per customer however often the
// form is sent, customers join a segment, bad input gives field errors, a large "all matching"
// selection becomes a job that does the same work, and each request is audited.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loyaltyDepsFor } from "../../../test/helpers/loyalty-test-setup";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import { startTestDouble } from "../../../test/helpers/start-test-double";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import type { ShopifyDouble } from "../../../test/shopify-double/index";
import type { StoreShop } from "../../../test/shopify-double/store-data";
import { createJobQueues } from "../../jobs/job-queues.server";
import type { JobPayloads } from "../../jobs/queues";
import { INLINE_BULK_LIMIT } from "./customer-bulk-actions";
import { processCustomerBulkJob, runCustomerBulkAction, type CustomerBulkDeps } from "./customer-bulk-actions.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const staff = { userId: 99n, name: "Bulk Staff" };
let double: ShopifyDouble;
let store: StoreShop;
let deps: CustomerBulkDeps;
let shopId: number;
let shopDomain: string;
const ids: Record<string, bigint> = {};
const NAMES = ["Ada", "Grace", "Linus"];

beforeAll(async () => {
  store = smallTestStore(`bulk-${randomUUID().slice(0, 8)}.myshopify.com`);
  const template = store.customers[0]!;
  store.customers = NAMES.map((firstName, i) => ({
    ...template,
    id: 7100000000101 + i,
    firstName,
    email: `${firstName.toLowerCase()}@example.com`,
    tags: [],
  }));
  double = await startTestDouble([store]);
  deps = loyaltyDepsFor(db, jobs, double.url);
  const shop = await db.shop.create({
    data: { domain: store.domain, name: store.name, currencyCode: "USD", ianaTimezone: "UTC" },
  });
  shopId = shop.id;
  shopDomain = shop.domain;
  for (const customer of store.customers) {
    const row = await db.customer.create({
      data: {
        shopId,
        shopifyId: BigInt(customer.id),
        firstName: customer.firstName,
        email: customer.email,
        ordersCount: 1,
        shopifyCreatedAt: new Date("2026-01-01T00:00:00Z"),
        shopifyUpdatedAt: new Date("2026-01-01T00:00:00Z"),
      },
    });
    ids[customer.firstName!] = row.id;
  }
  // Ada and Grace are loyalty members with 100 points; Linus is not a member.
  for (const name of ["Ada", "Grace"]) {
    await db.loyaltyMember.create({
      data: { shopId, customerId: ids[name]!, referralCode: `R-${name}-${shopId}`, pointsBalance: 0 },
    });
  }
});

afterAll(async () => {
  await db.shop.deleteMany({ where: { id: shopId } });
  await double.close();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

const payload = (action: object, target: object, requestId = randomUUID()) =>
  JSON.stringify({ requestId, action, target });
const selected = (...names: string[]) => ({ customerIds: names.map((name) => String(ids[name])) });

describe("customers bulk actions", () => {
  it("adds a tag in Shopify and in our copy, and audits it", async () => {
    const outcome = await runCustomerBulkAction(deps, {
      shopDomain,
      staff,
      payload: payload({ kind: "addTag", tag: "Spring VIP" }, selected("Ada", "Linus")),
    });
    expect(outcome).toMatchObject({ ok: true, queued: false });
    const liveTags = (name: string) => double.store(store.domain).customers.find((c) => c.firstName === name)!.tags;
    expect(liveTags("Ada")).toEqual(["Spring VIP"]);
    expect(liveTags("Linus")).toEqual(["Spring VIP"]);
    expect(liveTags("Grace")).toEqual([]);
    const tags = await db.customer.findMany({ where: { shopId }, select: { firstName: true, tags: true } });
    expect(Object.fromEntries(tags.map((c) => [c.firstName, c.tags]))).toEqual({
      Ada: ["Spring VIP"],
      Grace: [],
      Linus: ["Spring VIP"],
    });
    // Again: nothing doubles.
    await runCustomerBulkAction(deps, {
      shopDomain,
      staff,
      payload: payload({ kind: "addTag", tag: "Spring VIP" }, selected("Ada")),
    });
    expect((await db.customer.findUniqueOrThrow({ where: { id: ids.Ada! } })).tags).toEqual(["Spring VIP"]);
    const audit = await db.staffAuditEntry.findMany({ where: { shopId, action: "customers.tagged" } });
    expect(audit).toHaveLength(2);
    expect(audit[0]!.staffUserId).toBe(99n);
  });

  it("adjusts points of every member matching a filter once per request, skipping non-members", async () => {
    const requestId = randomUUID();
    const body = payload(
      { kind: "adjustPoints", points: "25", reason: "Apology for a late parcel" },
      { filter: { combinator: "and", conditions: [{ field: "ordersCount", op: "gte", value: 1 }] } },
      requestId,
    );
    const first = await runCustomerBulkAction(deps, { shopDomain, staff, payload: body });
    expect(first).toMatchObject({ ok: true, message: expect.stringContaining("2 members") });
    // The same form sent twice (a double click, a retry) books nothing more.
    await runCustomerBulkAction(deps, { shopDomain, staff, payload: body });
    const members = await db.loyaltyMember.findMany({ where: { shopId }, orderBy: { customerId: "asc" } });
    expect(members.map((m) => m.pointsBalance)).toEqual([25, 25]);
    const ledger = await db.loyaltyLedgerEntry.findMany({ where: { shopId } });
    expect(ledger).toHaveLength(2);
    expect(ledger.every((entry) => entry.reason === "Apology for a late parcel" && entry.staffUserId === 99n)).toBe(
      true,
    );
  });

  it("answers field errors for bad input", async () => {
    const outcome = await runCustomerBulkAction(deps, {
      shopDomain,
      staff,
      payload: payload({ kind: "adjustPoints", points: "0", reason: " " }, selected("Ada")),
    });
    expect(outcome).toEqual({
      ok: false,
      errors: { points: "Enter a number other than 0", reason: "A reason is required" },
    });
    expect(
      await runCustomerBulkAction(deps, {
        shopDomain,
        staff,
        payload: payload({ kind: "addTag", tag: "a,b" }, selected("Ada")),
      }),
    ).toEqual({ ok: false, errors: { tag: "A tag cannot contain a comma" } });
    expect(
      await runCustomerBulkAction(deps, { shopDomain, staff, payload: payload({ kind: "addTag", tag: "x" }, {}) }),
    ).toMatchObject({ ok: false, errors: { form: expect.any(String) } });
  });

  it("adds customers to a segment", async () => {
    const segment = await db.segment.create({
      data: { shopId, name: "Hand picked", handle: `kinship:hand-picked-${shopId}`, filter: {} },
    });
    const outcome = await runCustomerBulkAction(deps, {
      shopDomain,
      staff,
      payload: payload({ kind: "addToSegment", segmentId: segment.id }, selected("Grace", "Linus")),
    });
    expect(outcome).toMatchObject({ ok: true });
    const members = await db.segmentMember.findMany({ where: { segmentId: segment.id } });
    expect(members.map((m) => m.customerId).sort()).toEqual([ids.Grace, ids.Linus].sort());
    expect(
      await runCustomerBulkAction(deps, {
        shopDomain,
        staff,
        payload: payload({ kind: "addToSegment", segmentId: 987654 }, selected("Ada")),
      }),
    ).toEqual({ ok: false, errors: { segmentId: "This segment no longer exists." } });
  });

  it("queues a large 'all matching' selection as a job that does the same work", async () => {
    // Given more matching customers than run in the request
    await db.$executeRaw`INSERT INTO customers (shop_id, shopify_id, first_name, orders_count, shopify_created_at,
        shopify_updated_at, updated_at)
      SELECT ${shopId}, 7200000000000 + g, 'Bulk' || g, 5, now(), now(), now()
      FROM generate_series(1, ${INLINE_BULK_LIMIT + 10}) g`;
    const segment = await db.segment.create({
      data: { shopId, name: "Everyone with 5", handle: `kinship:five-${shopId}`, filter: {} },
    });
    const filter = { combinator: "and", conditions: [{ field: "ordersCount", op: "gte", value: 5 }] };
    const outcome = await runCustomerBulkAction(deps, {
      shopDomain,
      staff,
      payload: payload({ kind: "addToSegment", segmentId: segment.id }, { filter }),
    });
    expect(outcome).toMatchObject({ ok: true, queued: true });
    expect(await db.segmentMember.count({ where: { segmentId: segment.id } })).toBe(0);
    const queued = (await queues.jobs("sync")).filter((job) => job.name === "customers-bulk-action");
    expect(queued).toHaveLength(1);

    // When the worker runs it, then every matching customer is in the segment
    const done = await processCustomerBulkJob(deps, queued[0]!.data as JobPayloads["sync"]["customers-bulk-action"]);
    expect(done).toEqual({ customers: INLINE_BULK_LIMIT + 10 });
    expect(await db.segmentMember.count({ where: { segmentId: segment.id } })).toBe(INLINE_BULK_LIMIT + 10);
    const audit = await db.staffAuditEntry.findFirstOrThrow({
      where: { shopId, action: "segment.updated" },
      orderBy: { id: "desc" },
    });
    expect(audit.details).toMatchObject({ bulk: true, queued: true, customers: INLINE_BULK_LIMIT + 10 });
  });
});
