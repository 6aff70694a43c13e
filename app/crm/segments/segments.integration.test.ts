// Saved segments against real PostgreSQL, Redis and the Shopify double: recompute enters and
// leaves exactly (and a rerun changes nothing), manual members, the sync to Shopify (tag,
// `kinship.segments` metafield, Flow triggers), zod errors, the live count's time limit, and
// shop isolation.
import { randomUUID } from "node:crypto";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestShop } from "../../../test/helpers/create-test-shop";
import { loyaltyDepsFor } from "../../../test/helpers/loyalty-test-setup";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import { startTestDouble } from "../../../test/helpers/start-test-double";
import { createTestPrisma, testDatabaseUrl } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { customerMetafieldsOf } from "../../../test/shopify-double/discounts";
import { flowTriggersOf } from "../../../test/shopify-double/flow-triggers";
import type { ShopifyDouble } from "../../../test/shopify-double/index";
import type { StoreShop } from "../../../test/shopify-double/store-data";
import { createJobQueues } from "../../jobs/job-queues.server";
import type { CustomerFilter } from "../customers/customer-filter";
import { fireFlowTrigger } from "../shopify-admin/flow-triggers.server";
import { ShopifyAdminError } from "../shopify-admin/shopify-admin-error";
import { recomputeShopSegments } from "./recompute-segments.server";
import type { SegmentDeps } from "./segment-deps";
import { SegmentError } from "./segment-error";
import { parseSegmentForm } from "./segment-form";
import { addCustomersToSegment } from "./segment-manual-members.server";
import { countMatchingCustomers, recomputeSegmentMembers } from "./segment-membership.repository.server";
import { pushSegmentMembership, syncSegmentChanges } from "./segment-shopify-sync.server";
import { createSegment, findSegment } from "./segments.repository.server";
import { loadSegmentDetail, saveSegment, segmentDetailAction } from "./segments.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const staff = { userId: 42n, name: "Test Staff" };
let double: ShopifyDouble;
let store: StoreShop;
let deps: SegmentDeps;
let shopId: number;
let shopDomain: string;
/** DB customer ids by first name. */
const ids: Record<string, bigint> = {};

const rule = (min: number): CustomerFilter => ({
  combinator: "and",
  conditions: [{ field: "ordersCount", op: "gte", value: min }],
});

beforeAll(async () => {
  store = smallTestStore(`segments-${randomUUID().slice(0, 8)}.myshopify.com`);
  const template = store.customers[0]!;
  store.customers = ["Ada", "Grace", "Linus", "Barbara"].map((firstName, i) => ({
    ...template,
    id: 7000000000101 + i,
    firstName,
    email: `${firstName.toLowerCase()}@example.com`,
    tags: [],
  }));
  double = await startTestDouble([store]);
  deps = loyaltyDepsFor(db, jobs, double.url);
  const shop = await db.shop.create({
    data: { domain: store.domain, name: store.name, currencyCode: "EUR", ianaTimezone: "Europe/Berlin" },
  });
  shopId = shop.id;
  shopDomain = shop.domain;
  for (const customer of store.customers) {
    const row = await db.customer.create({
      data: {
        shopId,
        shopifyId: BigInt(customer.id),
        firstName: customer.firstName,
        lastName: "Tester",
        email: customer.email,
        shopifyCreatedAt: new Date("2026-01-01T00:00:00Z"),
        shopifyUpdatedAt: new Date("2026-01-01T00:00:00Z"),
      },
    });
    ids[customer.firstName!] = row.id;
  }
});

afterAll(async () => {
  await double.close();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

async function setOrders(counts: Record<string, number>) {
  for (const [name, ordersCount] of Object.entries(counts))
    await db.customer.update({ where: { id: ids[name]! }, data: { ordersCount } });
}

async function changesOf(segmentId: number) {
  const rows = await db.segmentMembershipChange.findMany({ where: { segmentId }, orderBy: { id: "asc" } });
  const nameOf = (id: bigint) => Object.keys(ids).find((name) => ids[name] === id);
  return rows.map((row) => `${row.change}:${nameOf(row.customerId)}`);
}

async function membersOf(segmentId: number) {
  const rows = await db.segmentMember.findMany({ where: { segmentId } });
  return rows.map((row) => Object.keys(ids).find((name) => ids[name] === row.customerId)).sort();
}

const recompute = async (segmentId: number) =>
  recomputeSegmentMembers(db, (await findSegment(db, shopId, segmentId))!, {
    timeZone: "Europe/Berlin",
    runId: null,
    now: new Date(),
  });

describe("recompute", () => {
  it("enters and leaves exactly, and a rerun changes nothing", async () => {
    // Given customers with 3, 1, 5 and 0 orders and a segment of 2 orders or more
    await setOrders({ Ada: 3, Grace: 1, Linus: 5, Barbara: 0 });
    const segment = await createSegment(
      db,
      shopId,
      { name: "Repeat buyers", rule: rule(2), syncToShopify: false },
      null,
    );

    // When it is computed, then Ada and Linus entered
    expect(await recompute(segment.id)).toMatchObject({ entered: 2, left: 0, members: 2 });
    expect(await membersOf(segment.id)).toEqual(["Ada", "Linus"]);
    expect(await changesOf(segment.id)).toEqual(["entered:Ada", "entered:Linus"]);

    // When the job runs again with nothing changed, then no member and no history row changes
    expect(await recompute(segment.id)).toMatchObject({ entered: 0, left: 0, members: 2 });
    expect(await changesOf(segment.id)).toHaveLength(2);

    // When Ada drops to one order and Grace reaches four, then exactly those two move
    await setOrders({ Ada: 1, Grace: 4 });
    expect(await recompute(segment.id)).toMatchObject({ entered: 1, left: 1, members: 2 });
    expect(await membersOf(segment.id)).toEqual(["Grace", "Linus"]);
    expect((await changesOf(segment.id)).slice(2)).toEqual(["entered:Grace", "left:Ada"]);
    expect((await findSegment(db, shopId, segment.id))!.memberCount).toBe(2);

    // And the history on the segment's page links each customer by their Shopify id (Customer 360's address)
    const detail = await loadSegmentDetail(deps, shopDomain, segment.id, null);
    const grace = await db.customer.findUniqueOrThrow({ where: { id: ids.Grace! } });
    const graceEntry = detail.history.find((row) => row.change === "entered" && row.customerId === String(ids.Grace));
    expect(graceEntry?.customerShopifyId).toBe(grace.shopifyId.toString());
  });

  it("after an analytics run, recomputes the stale segments with the run's id and asks for the sync", async () => {
    // Given a segment computed before a run that has just finished
    await setOrders({ Ada: 0, Grace: 0, Linus: 2, Barbara: 0 });
    const segment = await createSegment(db, shopId, { name: "After run", rule: rule(2), syncToShopify: false }, null);
    await recompute(segment.id);
    const run = await db.analyticsRun.create({
      data: { shopId, trigger: "test", status: "succeeded", finishedAt: new Date() },
    });
    await setOrders({ Barbara: 3 });

    // When the shop's segments are recomputed
    const outcomes = await recomputeShopSegments(deps, shopId);

    // Then this segment was stale and Barbara's entry carries the run id; a sync job is queued
    expect(outcomes.find((o) => o.segmentId === segment.id)).toMatchObject({ entered: 1, left: 0 });
    const entry = await db.segmentMembershipChange.findFirstOrThrow({
      where: { segmentId: segment.id, customerId: ids.Barbara! },
    });
    expect(entry.runId).toBe(run.id);
    expect((await queues.jobs("segments")).map((job) => job.name)).toContain("sync-segments");
    // And a second pass finds nothing stale
    expect(await recomputeShopSegments(deps, shopId)).toEqual([]);
    await db.analyticsRun.delete({ where: { id: run.id } });
  });
});

describe("manual members", () => {
  it("are members at once and stay members at every recompute; other shops' customers are ignored", async () => {
    await setOrders({ Ada: 0, Grace: 0, Linus: 0, Barbara: 5 });
    const segment = await createSegment(db, shopId, { name: "Hand picked", rule: rule(2), syncToShopify: false }, null);
    await recompute(segment.id);
    const other = await createTestShop(db);
    const stranger = await db.customer.create({
      data: { shopId: other.id, shopifyId: 1n, shopifyCreatedAt: new Date(), shopifyUpdatedAt: new Date() },
    });

    // When staff add Grace (no orders) and a customer of another shop
    const outcome = await addCustomersToSegment(db, {
      shopId,
      segmentId: segment.id,
      customerIds: [ids.Grace!, stranger.id],
    });

    // Then Grace is in, the stranger is not
    expect(outcome).toEqual({ added: 1, entered: 1, ignored: 1 });
    expect(await membersOf(segment.id)).toEqual(["Barbara", "Grace"]);

    // And a recompute keeps her although the rule does not match her
    expect(await recompute(segment.id)).toMatchObject({ entered: 0, left: 0, members: 2 });
    expect(await changesOf(segment.id)).toEqual(["entered:Barbara", "entered:Grace"]);
  });
});

describe("sync to Shopify", () => {
  it("tags members, lists the segment in kinship.segments, fires Flow triggers, and marks the rows synced", async () => {
    // Given a synced segment with Ada and Linus
    await setOrders({ Ada: 2, Grace: 0, Linus: 2, Barbara: 0 });
    const segment = await createSegment(db, shopId, { name: "VIP Élite", rule: rule(2), syncToShopify: true }, null);
    expect(segment.handle).toBe("kinship-vip-elite");
    await recompute(segment.id);
    const gid = (name: string) => `gid://shopify/Customer/${store.customers.find((c) => c.firstName === name)!.id}`;
    const liveTags = (name: string) => double.store(store.domain).customers.find((c) => c.firstName === name)!.tags;

    // When the sync job runs
    const outcome = await syncSegmentChanges(deps, shopId);

    // Then both carry the tag and the metafield, and each got an "entered" trigger
    expect(outcome).toMatchObject({ changes: 2, flowTriggers: 2, more: false });
    expect(liveTags("Ada")).toContain("kinship-vip-elite");
    expect(liveTags("Linus")).toContain("kinship-vip-elite");
    expect(liveTags("Grace")).not.toContain("kinship-vip-elite");
    const metafields = customerMetafieldsOf(store.domain);
    expect(JSON.parse(metafields.get(`${gid("Ada")}|kinship.segments`)!)).toEqual(["kinship-vip-elite"]);
    const triggers = flowTriggersOf(store.domain).filter((t) => t.payload["segment handle"] === "kinship-vip-elite");
    expect(triggers.map((t) => [t.handle, t.payload.customer_id])).toEqual([
      ["kinship-segment-entered", 7000000000101],
      ["kinship-segment-entered", 7000000000103],
    ]);
    expect(triggers[0]!.payload["segment name"]).toBe("VIP Élite");
    const rows = await db.segmentMembershipChange.findMany({ where: { segmentId: segment.id } });
    expect(rows.every((row) => row.syncedAt && row.flowFiredAt)).toBe(true);

    // When it runs again, nothing is sent twice
    expect(await syncSegmentChanges(deps, shopId)).toMatchObject({ changes: 0, flowTriggers: 0 });

    // When Ada leaves, her tag and metafield go and a "left" trigger fires
    await setOrders({ Ada: 0 });
    await recompute(segment.id);
    expect(await syncSegmentChanges(deps, shopId)).toMatchObject({ changes: 1, flowTriggers: 1 });
    expect(liveTags("Ada")).not.toContain("kinship-vip-elite");
    expect(metafields.has(`${gid("Ada")}|kinship.segments`)).toBe(false);
    expect(flowTriggersOf(store.domain).at(-1)).toMatchObject({
      handle: "kinship-segment-left",
      payload: { customer_id: 7000000000101, "segment handle": "kinship-vip-elite" },
    });

    // When staff turn the sync off, the push job takes the tag off every member
    await segmentDetailAction(deps, shopDomain, staff, segment.id, "sync-off");
    await pushSegmentMembership(deps, { shopId, segmentId: segment.id, afterCustomerId: null });
    expect(liveTags("Linus")).not.toContain("kinship-vip-elite");
    const audit = await db.staffAuditEntry.findFirstOrThrow({ where: { shopId, action: "segment.synced" } });
    expect(audit.details).toMatchObject({ segmentId: segment.id, sync: "off" });
  });

  it("the double refuses a Flow trigger with an unknown handle or a payload of 50 kB", async () => {
    const admin = await deps.adminFor!(store.domain);
    const fire = (handle: string, payload: Record<string, unknown>) => fireFlowTrigger(admin, { handle, payload });
    await expect(fire("no-such-trigger", { customer_id: 7000000000101 })).rejects.toBeInstanceOf(ShopifyAdminError);
    const big = {
      customer_id: 7000000000101,
      "segment name": "x".repeat(50_000),
      "segment handle": "kinship-x",
    };
    await expect(fire("kinship-segment-entered", big)).rejects.toMatchObject({ code: "USER_ERRORS" });
    await expect(fire("kinship-segment-entered", { customer_id: 7000000000101 })).rejects.toMatchObject({
      code: "USER_ERRORS",
    });
  });
});

describe("input", () => {
  it("reports zod errors by field", () => {
    const parsed = parseSegmentForm({
      name: "  ",
      rule: JSON.stringify({ combinator: "and", conditions: [{ field: "rfmSegment", op: "in", values: [] }] }),
    });
    expect(parsed).toEqual({
      ok: false,
      errors: { name: "Enter a name", "rule.conditions.0.values": "Choose at least one" },
    });
    expect(parseSegmentForm({ name: "x".repeat(81), rule: "{}" })).toMatchObject({
      ok: false,
      errors: { name: "Use 80 characters or fewer" },
    });
    expect(parseSegmentForm({ name: "ok", rule: "not json" })).toMatchObject({
      ok: false,
      errors: { rule: expect.any(String) },
    });
  });

  it("refuses a second live segment with the same name", async () => {
    const values = { name: "Twins", rule: JSON.stringify(rule(1)) };
    expect(await saveSegment(deps, shopDomain, staff, null, values)).toMatchObject({ ok: true });
    expect(await saveSegment(deps, shopDomain, staff, null, { ...values, name: "twins" })).toEqual({
      ok: false,
      errors: { name: "Another segment has this name" },
    });
  });
});

describe("live count", () => {
  it("counts a rule, and gives up after its time limit instead of hanging", async () => {
    await setOrders({ Ada: 2, Grace: 2, Linus: 0, Barbara: 0 });
    expect(await countMatchingCustomers(db, shopId, rule(2), { timeZone: "UTC", timeoutMs: 2000 })).toEqual({
      status: "counted",
      count: 2,
    });
    // A table the count needs held by another transaction: the statement times out
    const blocker = new pg.Client({ connectionString: testDatabaseUrl() });
    await blocker.connect();
    await blocker.query("BEGIN; LOCK TABLE loyalty_members IN ACCESS EXCLUSIVE MODE");
    const startedAt = Date.now();
    const answer = await countMatchingCustomers(db, shopId, rule(2), { timeZone: "UTC", timeoutMs: 300 });
    await blocker.query("ROLLBACK");
    await blocker.end();
    expect(answer).toEqual({ status: "timeout", timeoutMs: 300 });
    expect(Date.now() - startedAt).toBeLessThan(3000);
  });
});

describe("shop isolation", () => {
  it("a segment of another shop can be neither read nor changed", async () => {
    const other = await createTestShop(db);
    const theirs = await createSegment(db, other.id, { name: "Theirs", rule: rule(1), syncToShopify: false }, null);
    expect(await findSegment(db, shopId, theirs.id)).toBeNull();
    const values = { name: "Mine now", rule: JSON.stringify(rule(1)) };
    await expect(saveSegment(deps, shopDomain, staff, theirs.id, values)).rejects.toMatchObject({ status: 404 });
    await expect(segmentDetailAction(deps, shopDomain, staff, theirs.id, "delete")).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      addCustomersToSegment(db, { shopId, segmentId: theirs.id, customerIds: [ids.Ada!] }),
    ).rejects.toBeInstanceOf(SegmentError);
    expect((await findSegment(db, other.id, theirs.id))!.name).toBe("Theirs");
  });
});
