// The inbox micro-batches against real PostgreSQL and Redis: deliveries recorded together
// are written with one insert and enqueued together, each stored once however often it
// is repeated, and one delivery PostgreSQL refuses does not take the rest down with it.
import { randomUUID } from "node:crypto";

import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestPrisma, testDatabaseUrl } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { createJobQueues } from "../../jobs/job-queues.server";
import { logger } from "../../lib/logger.server";
import { createInboxBatcher } from "./inbox-batcher.server";
import type { ReceivedDelivery } from "./webhook-inbox.repository.server";

const db = createTestPrisma();
const queues = openTestQueues();
const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 4 });
const producer = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
const jobs = createJobQueues(producer, queues.prefix);
const shop = `inbox-batcher-${Date.now()}.myshopify.com`;

const delivery = (overrides: Partial<ReceivedDelivery> = {}): ReceivedDelivery => ({
  shopDomain: shop,
  webhookId: randomUUID(),
  eventId: randomUUID(),
  topic: "orders/create",
  apiVersion: "2026-07",
  triggeredAt: new Date("2026-11-01T10:00:00.000Z"),
  payloadJson: '{"id": 1, "total_price": "10.00"}',
  ...overrides,
});
const rowsOf = (webhookId: string) => db.webhookDelivery.findMany({ where: { shopDomain: shop, webhookId } });
const jobsFor = async (webhookIds: string[]) => {
  const rows = await db.webhookDelivery.findMany({ where: { shopDomain: shop, webhookId: { in: webhookIds } } });
  const ids = new Set(rows.map((row) => row.id.toString()));
  const all = [...(await queues.jobs("ingest")), ...(await queues.jobs("privacy"))];
  return all.filter((job) => ids.has(job.data.deliveryId));
};

beforeAll(async () => {
  await db.webhookDelivery.deleteMany({ where: { shopDomain: shop } });
});
afterAll(async () => {
  await db.webhookDelivery.deleteMany({ where: { shopDomain: shop } });
  await db.$disconnect();
  await pool.end();
  await jobs.close();
  await producer.quit();
  await queues.cleanUp();
});

describe("inbox batcher", () => {
  it("stores a delivery repeated within one batch once, enqueues it once and answers every copy", async () => {
    // Given one batcher that writes one batch at a time
    const inbox = createInboxBatcher({ pool, jobs, logger }, { maxConcurrentBatches: 1 });
    const repeated = delivery();
    const others = [delivery(), delivery({ topic: "customers/redact", payloadJson: '{"shop_id": 1}' })];
    // When the same delivery arrives five times alongside two others, all at once
    const receipts = await Promise.all([
      ...Array.from({ length: 5 }, () => inbox.record({ ...repeated })),
      ...others.map((other) => inbox.record(other)),
    ]);
    // Then the first copy is stored, the others are duplicates, and the others are stored
    expect(receipts).toEqual(["stored", "duplicate", "duplicate", "duplicate", "duplicate", "stored", "stored"]);
    const rows = await rowsOf(repeated.webhookId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      topic: "orders/create",
      status: "received",
      eventId: repeated.eventId,
      apiVersion: "2026-07",
      triggeredAt: repeated.triggeredAt,
      payload: { id: 1, total_price: "10.00" },
    });
    // And each stored delivery is one job on its own queue
    const enqueued = await jobsFor([repeated.webhookId, ...others.map((other) => other.webhookId)]);
    expect(enqueued.map((job) => `${job.queueName}:${job.name}:${job.data.topic}`).sort()).toEqual([
      "ingest:apply-webhook:orders/create",
      "ingest:apply-webhook:orders/create",
      "privacy:apply-request:customers/redact",
    ]);
    expect(enqueued.find((job) => job.data.deliveryId === rows[0]!.id.toString())?.id).toBe(`delivery-${rows[0]!.id}`);
  });

  it("answers a delivery already in the inbox as a duplicate and enqueues nothing more", async () => {
    const inbox = createInboxBatcher({ pool, jobs, logger });
    const first = delivery();
    expect(await inbox.record(first)).toBe("stored");
    expect(await inbox.record({ ...first, eventId: randomUUID() })).toBe("duplicate");
    expect(await rowsOf(first.webhookId)).toHaveLength(1);
    expect(await jobsFor([first.webhookId])).toHaveLength(1);
  });

  it("writes the rest of a batch when PostgreSQL refuses one delivery in it", async () => {
    const inbox = createInboxBatcher({ pool, jobs, logger }, { maxConcurrentBatches: 1 });
    // JSON.parse accepts \u0000 in a string; PostgreSQL's jsonb does not.
    const refused = delivery({ payloadJson: '{"note": "\\u0000"}' });
    const fine = [delivery(), delivery()];
    const outcomes = await Promise.allSettled([inbox.record(refused), ...fine.map((one) => inbox.record(one))]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(await rowsOf(refused.webhookId)).toHaveLength(0);
    for (const one of fine) expect(await rowsOf(one.webhookId)).toHaveLength(1);
    expect(await jobsFor(fine.map((one) => one.webhookId))).toHaveLength(2);
  });
});
