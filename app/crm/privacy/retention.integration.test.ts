// The retention job on real PostgreSQL: rows past their period go, rows within it stay, and
// only the shop being processed is touched.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { createJobQueues } from "../../jobs/job-queues.server";
import { RETENTION_DAYS } from "./retention-periods";
import { applyShopRetention, RETENTION_PATTERN, RETENTION_SCHEDULER_ID, scheduleRetention } from "./retention.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const NOW = new Date("2026-11-20T02:30:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 24 * 3600 * 1000);
type Shop = Awaited<ReturnType<typeof createTestShop>>;
let shopA: Shop;
let shopB: Shop;

/** The same history for a shop: one row just past and one just within each period. */
async function seedHistory(shop: Shop) {
  const delivery = (label: string, status: string, received: Date, processed: Date | null, topic = "orders/paid") =>
    db.webhookDelivery.create({
      data: {
        shopDomain: shop.domain,
        webhookId: `${label}-${randomUUID()}`,
        topic,
        apiVersion: "2026-07",
        payload: { id: 1, email: "ada@example.com", label },
        status,
        receivedAt: received,
        processedAt: processed,
      },
    });
  const p = RETENTION_DAYS.processedWebhookDeliveries;
  const f = RETENTION_DAYS.failedWebhookDeliveries;
  await delivery("applied-old", "applied", daysAgo(p + 1), daysAgo(p + 1));
  await delivery("ignored-old", "ignored", daysAgo(p + 2), daysAgo(p + 2));
  await delivery("applied-recent", "applied", daysAgo(p - 1), daysAgo(p - 1));
  await delivery("failed-old", "failed", daysAgo(f + 1), daysAgo(f + 1));
  await delivery("failed-recent", "failed", daysAgo(f - 1), daysAgo(f - 1));
  await delivery("received-old", "received", daysAgo(90), null);
  await delivery("shop-redact-old", "applied", daysAgo(90), daysAgo(90), "shop/redact");

  const d = RETENTION_DAYS.privacyRequestDocuments;
  for (const [label, completed] of [
    ["document-old", daysAgo(d + 1)],
    ["document-recent", daysAgo(d - 1)],
  ] as const) {
    await db.privacyRequest.create({
      data: {
        shopId: shop.id,
        shopDomain: shop.domain,
        topic: "customers/data_request",
        customerShopifyId: 7n,
        requestId: label,
        document: { customer: { email: "ada@example.com" } },
        receivedAt: completed,
        completedAt: completed,
      },
    });
  }

  const c = RETENTION_DAYS.deletedCustomerPersonalFields;
  const customer = (shopifyId: bigint, deletedAt: Date | null) =>
    db.customer.create({
      data: {
        shopId: shop.id,
        shopifyId,
        firstName: "Ada",
        lastName: "Lovelace",
        email: `ada${shopifyId}@example.com`,
        countryCode: "GB",
        tags: ["met at the fair"],
        ordersCount: 3,
        netSpentMinor: 4200n,
        shopifyCreatedAt: daysAgo(400),
        shopifyUpdatedAt: deletedAt ?? daysAgo(1),
        deletedAt,
      },
    });
  const erased = await customer(101n, daysAgo(c + 1));
  const recent = await customer(102n, daysAgo(c - 1));
  await customer(103n, null);
  for (const row of [erased, recent]) {
    await db.customerNote.create({ data: { shopId: shop.id, customerId: row.id, body: "lives next to the shop" } });
  }

  const s = RETENTION_DAYS.syncRuns;
  const sync = (kind: string, days: number) =>
    db.syncRun.create({
      data: { shopId: shop.id, kind, status: "succeeded", startedAt: daysAgo(days), finishedAt: daysAgo(days) },
    });
  await sync("history_import", s + 100);
  await sync("history_import", s + 50); // the latest of its kind: kept however old
  await sync("reconciliation", s + 1);
  await sync("reconciliation", s - 1);

  const a = RETENTION_DAYS.analyticsRuns;
  const run = (status: string, days: number) =>
    db.analyticsRun.create({ data: { shopId: shop.id, trigger: "nightly", status, startedAt: daysAgo(days) } });
  await run("succeeded", a + 10);
  await run("failed", a + 5);
  await run("succeeded", a - 1);
}

async function snapshot(shop: Shop) {
  const deliveries = await db.webhookDelivery.findMany({ where: { shopDomain: shop.domain } });
  const documents = await db.privacyRequest.findMany({ where: { shopDomain: shop.domain }, orderBy: { id: "asc" } });
  const customers = await db.customer.findMany({ where: { shopId: shop.id }, orderBy: { shopifyId: "asc" } });
  const syncRuns = await db.syncRun.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
  const runs = await db.analyticsRun.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
  const notes = await db.customerNote.findMany({ where: { shopId: shop.id }, include: { customer: true } });
  const hours = await db.webhookDeliveryHour.findMany({ where: { shopDomain: shop.domain }, orderBy: { hour: "asc" } });
  return {
    oldestCountedHour: hours[0]?.hour,
    deliveries: deliveries.map((row) => (row.payload as { label: string }).label ?? row.topic).sort(),
    documents: documents.map((row) => [row.requestId, row.document !== null]),
    customers: customers.map((row) => ({
      id: row.shopifyId,
      email: row.email,
      country: row.countryCode,
      orders: row.ordersCount,
    })),
    notesOf: notes.map((note) => note.customer.shopifyId).sort(),
    syncRuns: syncRuns.map(
      (row) => `${row.kind}@${Math.round((NOW.getTime() - row.startedAt.getTime()) / 86_400_000)}`,
    ),
    analyticsRuns: runs.map(
      (row) => `${row.status}@${Math.round((NOW.getTime() - row.startedAt.getTime()) / 86_400_000)}`,
    ),
  };
}

beforeAll(async () => {
  shopA = await createTestShop(db);
  shopB = await createTestShop(db);
  await seedHistory(shopA);
  await seedHistory(shopB);
});

afterAll(async () => {
  await db.webhookDelivery.deleteMany({ where: { shopDomain: { in: [shopA.domain, shopB.domain] } } });
  await db.privacyRequest.deleteMany({ where: { shopDomain: { in: [shopA.domain, shopB.domain] } } });
  await db.shop.deleteMany({ where: { id: { in: [shopA.id, shopB.id] } } });
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

describe("retention job", () => {
  it("deletes what is past its period for the shop, keeps the rest, and leaves other shops alone", async () => {
    // Given two shops with the same history, and shop B's state before the run
    const before = await snapshot(shopB);
    // When the retention pass runs for shop A
    const result = await applyShopRetention(db, shopA, NOW);
    // Then shop A lost exactly what was past its period
    const after = await snapshot(shopA);
    expect(after.deliveries).toEqual(["applied-recent", "failed-recent", "received-old", "shop-redact-old"].sort());
    expect(after.documents).toEqual([
      ["document-old", false],
      ["document-recent", true],
    ]);
    expect(after.customers).toEqual([
      { id: 101n, email: null, country: null, orders: 3 },
      { id: 102n, email: "ada102@example.com", country: "GB", orders: 3 },
      { id: 103n, email: "ada103@example.com", country: "GB", orders: 3 },
    ]);
    expect(after.notesOf).toEqual([102n]);
    // (the inbox's hourly counts of the hours past the failed deliveries' period went with them)
    expect(after.oldestCountedHour!.getTime()).toBeGreaterThanOrEqual(
      daysAgo(RETENTION_DAYS.failedWebhookDeliveries).getTime(),
    );
    expect(before.oldestCountedHour!.getTime()).toBeLessThan(daysAgo(RETENTION_DAYS.failedWebhookDeliveries).getTime());
    expect(after.syncRuns).toEqual([
      `history_import@${RETENTION_DAYS.syncRuns + 50}`,
      `reconciliation@${RETENTION_DAYS.syncRuns - 1}`,
    ]);
    expect(after.analyticsRuns).toEqual([`succeeded@${RETENTION_DAYS.analyticsRuns - 1}`]);
    expect(result).toEqual({ deliveries: 3, privacyDocuments: 1, erasedCustomers: 1, syncRuns: 2, analyticsRuns: 2 });
    // And shop B is exactly as it was
    expect(await snapshot(shopB)).toEqual(before);
    expect(before.deliveries).toHaveLength(7);
  });

  it("changes nothing more when run again the same day", async () => {
    expect(await applyShopRetention(db, shopA, NOW)).toEqual({
      deliveries: 0,
      privacyDocuments: 0,
      erasedCustomers: 0,
      syncRuns: 0,
      analyticsRuns: 0,
    });
  });

  it("keeps a shop's only succeeded analytics run however old", async () => {
    const shop = await createTestShop(db);
    await db.analyticsRun.create({
      data: {
        shopId: shop.id,
        trigger: "nightly",
        status: "succeeded",
        startedAt: daysAgo(RETENTION_DAYS.analyticsRuns * 2),
      },
    });
    await applyShopRetention(db, shop, NOW);
    expect(await db.analyticsRun.count({ where: { shopId: shop.id } })).toBe(1);
    await db.shop.delete({ where: { id: shop.id } });
  });

  it("is scheduled daily on the privacy queue", async () => {
    await scheduleRetention(jobs);
    await scheduleRetention(jobs);
    const scheduler = await jobs.queue("privacy").getJobScheduler(RETENTION_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ name: "apply-retention", pattern: RETENTION_PATTERN });
    expect(await jobs.queue("privacy").getJobSchedulersCount()).toBe(1);
  });
});
