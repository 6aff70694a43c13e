// PostgreSQL connections cut (pg_terminate_backend) under the ingest worker's batcher: the
// failed attempts retry, nothing hangs, and every delivery is applied exactly once. Only this
// file's connections are cut: its Prisma client carries an application_name of its own.
import { randomUUID } from "node:crypto";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { expectedProfiles } from "../../../test/helpers/expected-profiles";
import { testDatabaseUrl } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { generateDemoStore } from "../../../test/shopify-double/demo-store";
import { buildReplayStream } from "../../../test/shopify-double/replay-stream";
import { createPrismaClient } from "../../db.server";
import { createJobQueues } from "../../jobs/job-queues.server";
import { logger } from "../../lib/logger.server";
import { createApplyWebhookBatcher } from "./apply-webhook-batcher.server";
import { recordDelivery } from "./webhook-inbox.repository.server";

const applicationName = `kinship-cuts-${randomUUID().slice(0, 8)}`;
const url = new URL(testDatabaseUrl());
url.searchParams.set("application_name", applicationName);
const db = createPrismaClient(url.toString());
const admin = new pg.Client({ connectionString: testDatabaseUrl() });
const queues = openTestQueues();
const deps = { db, logger, jobs: createJobQueues(queues.connection, queues.prefix) };

beforeAll(() => admin.connect());

afterAll(async () => {
  await deps.jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
  await admin.end();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function cutConnections(): Promise<number> {
  const { rowCount } = await admin.query(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
    [applicationName],
  );
  return rowCount ?? 0;
}

/** `work`, or an error naming what hung: a hang here is the bug, not a slow machine. */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([work, hung]).finally(() => clearTimeout(timer));
}

describe("ingest under PostgreSQL connection cuts", () => {
  it("frees the pool slot of a transaction whose connection was cut", { timeout: 60_000 }, async () => {
    // Given more transactions cut mid-way than the pool has connections (pg's default: 10)
    for (let i = 0; i < 12; i++) {
      const outcome = await within(
        5_000,
        `transaction ${i + 1}`,
        db.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT 1`;
          await cutConnections();
          await sleep(50);
          await tx.$queryRaw`SELECT 1`;
        }),
      ).then(
        () => "committed",
        (error: Error) => error.message,
      );
      // Then each one fails (its ROLLBACK fails too: the connection is gone)
      expect(outcome).not.toBe("committed");
      expect(outcome).not.toMatch(/did not settle/);
    }

    // And the client still answers: no slot is held by a dead connection
    const rows = await within(5_000, "a query after the cuts", db.$queryRaw<{ ok: number }[]>`SELECT 1 AS ok`);
    expect(rows).toEqual([{ ok: 1 }]);
  });

  it(
    "applies every delivery exactly once while connections are cut again and again",
    { timeout: 120_000 },
    async () => {
      // Given a shop's history (with some duplicate deliveries) in the inbox
      const full = generateDemoStore({
        shopDomain: `cuts-${randomUUID().slice(0, 8)}.myshopify.com`,
        now: new Date("2026-06-01T00:00:00Z"),
      });
      const customers = full.customers.slice(0, 60);
      const ids = new Set(customers.map((customer) => customer.id));
      const store = {
        ...full,
        customers,
        orders: full.orders.filter((o) => o.customerId !== null && ids.has(o.customerId)),
      };
      const shop = await db.shop.create({
        data: { domain: store.domain, name: store.name, currencyCode: "USD", ianaTimezone: store.ianaTimezone },
      });
      const deliveryIds: bigint[] = [];
      for (const delivery of buildReplayStream(store, { duplicateRate: 0.05 })) {
        const id = await recordDelivery(db, {
          shopDomain: store.domain,
          webhookId: delivery.webhookId ?? randomUUID(),
          eventId: null,
          topic: delivery.topic,
          apiVersion: "2026-07",
          triggeredAt: new Date(),
          payload: delivery.payload as object,
        });
        if (id !== null) deliveryIds.push(id);
      }

      // When the worker's batcher applies them, each failure retried as BullMQ would, while every
      // connection of the client is cut every 100 ms for the first 3 s
      const batcher = createApplyWebhookBatcher(deps, { maxBatchSize: 20 });
      let cuts = 0;
      const cutting = (async () => {
        const until = Date.now() + 3_000;
        while (Date.now() < until) {
          cuts += await cutConnections();
          await sleep(100);
        }
      })();
      let pending = deliveryIds;
      let failedAttempts = 0;
      const deadline = Date.now() + 60_000;
      while (pending.length > 0 && Date.now() < deadline) {
        const results = await within(
          30_000,
          "a round of deliveries",
          Promise.allSettled(pending.map((deliveryId) => batcher.apply({ deliveryId, shopDomain: store.domain }))),
        );
        pending = pending.filter((_, i) => results[i]!.status === "rejected");
        failedAttempts += pending.length;
        if (pending.length > 0) await sleep(200);
      }
      await cutting;

      // Then the cuts hit work in flight, and still every delivery is applied once
      expect(cuts).toBeGreaterThan(0);
      expect(failedAttempts).toBeGreaterThan(0);
      expect(pending).toEqual([]);
      const statuses = await db.webhookDelivery.groupBy({
        by: ["status"],
        where: { shopDomain: store.domain },
        _count: true,
      });
      expect(statuses).toEqual([{ status: "applied", _count: deliveryIds.length }]);
      // And every profile equals the store's final state: no order or refund counted twice
      const rows = await db.customer.findMany({
        where: { shopId: shop.id },
        select: { shopifyId: true, ordersCount: true, netSpentMinor: true, grossSpentMinor: true, tags: true },
      });
      const expected = expectedProfiles(store);
      expect(rows.length).toBe(store.customers.length);
      for (const { shopifyId, ...figures } of rows) {
        expect({ id: shopifyId, ...figures }).toEqual({ id: shopifyId, ...expected.get(shopifyId) });
      }
    },
  );
});
