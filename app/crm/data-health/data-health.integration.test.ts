// Dead letters, the merchant's retry and the inbox sweeper, against real PostgreSQL and
// Redis with the real workers; the retry goes through the route with the admin's real auth.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import type { ShopifyDouble } from "../../../test/shopify-double/index";
import { startTestDouble } from "../../../test/helpers/start-test-double";
import { customerPayload } from "../../../test/shopify-double/rest-payloads";
import { startWorkers, type RunningWorkers } from "../../../workers/start-workers";
import { createJobQueues } from "../../jobs/job-queues.server";
import { logger } from "../../lib/logger.server";
import { recordDelivery } from "../ingest/webhook-inbox.repository.server";
import { markDeliveriesDone } from "../ingest/inbox-batch.repository.server";
import { loadDataHealth } from "./data-health.server";
import {
  countDeliveriesByStatus,
  markDeliveryFailed,
  reopenFailedDeliveries,
} from "./delivery-health.repository.server";
import { scheduleInboxSweeper, sweepInbox } from "./inbox-sweeper.server";

type Action = (args: { request: Request; params: object; context: object }) => Promise<unknown>;

const db = createTestPrisma();
const queues = openTestQueues();
const producer = createJobQueues(queues.connection, queues.prefix);
const domains: string[] = [];
let workers: RunningWorkers;
let double: ShopifyDouble;
const store = smallTestStore(`health-${Date.now()}.myshopify.com`);
domains.push(store.domain);

beforeAll(async () => {
  double = await startTestDouble([store]);
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
  await db.webhookDelivery.deleteMany({ where: { shopDomain: { in: domains } } });
  await db.session.deleteMany({ where: { shop: { in: domains } } });
  await db.shop.deleteMany({ where: { domain: { in: domains } } });
  await producer.close();
  await queues.cleanUp();
  await db.$disconnect();
  await double.close();
});

async function inbox(shopDomain: string, topic: string, payload: object, receivedMinutesAgo = 0) {
  const id = await recordDelivery(db, {
    shopDomain,
    webhookId: randomUUID(),
    eventId: null,
    topic,
    apiVersion: "2026-07",
    triggeredAt: null,
    payload,
  });
  if (receivedMinutesAgo) {
    await db.webhookDelivery.update({
      where: { id: id! },
      data: { receivedAt: new Date(Date.now() - receivedMinutesAgo * 60_000) },
    });
  }
  return id!;
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const delivery = (id: bigint) => db.webhookDelivery.findUniqueOrThrow({ where: { id } });
const settled = (id: bigint) =>
  until(
    () => delivery(id),
    (row) => row.status !== "received",
  );

describe("dead letter", () => {
  it("marks a delivery failed with its error and attempts after an unrecoverable error, payload kept", async () => {
    // Given an app/scopes_update delivery whose payload cannot be applied
    const shop = `dead-${randomUUID().slice(0, 8)}.myshopify.com`;
    domains.push(shop);
    const id = await inbox(shop, "app/scopes_update", { previous: ["read_orders"] });
    // When its job runs
    await producer.add(
      "ingest",
      "apply-webhook",
      { deliveryId: String(id), shopDomain: shop, topic: "app/scopes_update" },
      { jobId: `delivery-${id}` },
    );
    // Then the delivery is a dead letter with the error, after one attempt
    expect(await settled(id)).toMatchObject({
      status: "failed",
      lastError: "app/scopes_update payload has no current scopes",
      attempts: 1,
      payload: { previous: ["read_orders"] },
    });
  });

  it("marks it failed only once its last retry has failed", async () => {
    // Given a customer delivery for a shop not recorded yet (a retryable error), two attempts
    const shop = `later-${randomUUID().slice(0, 8)}.myshopify.com`;
    domains.push(shop);
    const payload = customerPayload(store, store.customers[1]!);
    const id = await inbox(shop, "customers/create", payload);
    await producer.add(
      "ingest",
      "apply-webhook",
      { deliveryId: String(id), shopDomain: shop, topic: "customers/create" },
      { jobId: `delivery-${id}`, attempts: 2, backoff: { type: "fixed", delay: 200 } },
    );
    // When the first attempt fails, the delivery is still waiting
    const job = () => queues.queue("ingest").getJob(`delivery-${id}`);
    await until(job, (found) => (found?.attemptsMade ?? 0) >= 1);
    expect((await delivery(id)).status).toBe("received");
    // Then after the second, it is failed with both attempts counted and the payload intact
    expect(await settled(id)).toMatchObject({ status: "failed", attempts: 2, payload });
    expect((await delivery(id)).lastError).toMatch(/is not recorded yet/);
  });
});

describe("retry failed deliveries", () => {
  it("re-enqueues the shop's failed deliveries under new job ids, and they apply", async () => {
    // Given a customer delivery that failed for good before the shop was recorded
    const id = await inbox(store.domain, "customers/create", customerPayload(store, store.customers[0]!));
    await producer.add(
      "ingest",
      "apply-webhook",
      { deliveryId: String(id), shopDomain: store.domain, topic: "customers/create" },
      { jobId: `delivery-${id}`, attempts: 1 },
    );
    expect((await settled(id)).status).toBe("failed");
    // And another shop's failed delivery, which is not ours to retry
    const foreignShop = `foreign-${randomUUID().slice(0, 8)}.myshopify.com`;
    domains.push(foreignShop);
    const foreign = await inbox(foreignShop, "app/scopes_update", {});
    await db.webhookDelivery.update({ where: { id: foreign }, data: { status: "failed", lastError: "x" } });

    // When the merchant (whose shop is recorded by the admin's auth) presses "Retry failed deliveries"
    const route = (await import("../../routes/app.data-health")) as { action: Action };
    const form = new URLSearchParams({ intent: "retry-failed" });
    const request = new Request(`${process.env.SHOPIFY_APP_URL}/app/data-health`, {
      method: "POST",
      body: form,
      headers: {
        Authorization: `Bearer ${double.mintSessionToken(store.domain)}`,
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": "Mozilla/5.0 Chrome/120",
      },
    });
    const result = await route.action({ request, params: {}, context: {} });

    // Then one delivery was sent again, as a new job, and it applies
    expect(result).toEqual({ retried: 1 });
    expect(await queues.queue("ingest").getJob(`delivery-${id}-retry-1`)).toBeDefined();
    expect(await settled(id)).toMatchObject({ status: "applied", lastError: null });
    expect(await db.customer.count({ where: { shop: { domain: store.domain } } })).toBe(1);
    expect((await delivery(foreign)).status).toBe("failed");
  });

  it("refuses an unknown intent with 400", async () => {
    const route = (await import("../../routes/app.data-health")) as { action: Action };
    const request = new Request(`${process.env.SHOPIFY_APP_URL}/app/data-health`, {
      method: "POST",
      body: new URLSearchParams({ intent: "drop-everything" }),
      headers: {
        Authorization: `Bearer ${double.mintSessionToken(store.domain)}`,
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": "Mozilla/5.0 Chrome/120",
      },
    });
    expect(((await route.action({ request, params: {}, context: {} })) as Response).status).toBe(400);
  });
});

describe("inbox sweeper", () => {
  it("re-enqueues a delivery stranded as received, and leaves a recent one alone", async () => {
    // Given a delivery received 10 minutes ago whose job never reached Redis, and a fresh one
    const shop = `sweep-${randomUUID().slice(0, 8)}.myshopify.com`;
    domains.push(shop);
    const stranded = await inbox(shop, "app/scopes_update", { current: ["read_orders"] }, 10);
    const fresh = await inbox(shop, "app/scopes_update", { current: ["read_orders"] });

    // When the sweeper runs, twice
    const deps = { db, jobs: producer, logger };
    const first = await sweepInbox(deps);
    await sweepInbox(deps);

    // Then the stranded delivery was enqueued once and applied; the fresh one still waits
    expect(first.enqueued).toBeGreaterThanOrEqual(1);
    expect((await settled(stranded)).status).toBe("applied");
    expect((await delivery(fresh)).status).toBe("received");
    expect(await queues.queue("ingest").getJob(`delivery-${fresh}`)).toBeUndefined();
  });

  it("records a dead letter the worker did not record (its job is failed, the delivery still received)", async () => {
    // Given a stranded delivery whose job failed while no worker recorded it
    const shop = `lost-${randomUUID().slice(0, 8)}.myshopify.com`;
    domains.push(shop);
    const id = await inbox(shop, "app/scopes_update", {}, 10);
    await queues
      .queue("ingest")
      .add(
        "apply-webhook",
        { deliveryId: String(id), shopDomain: shop, topic: "app/scopes_update" },
        { jobId: `delivery-${id}` },
      );
    await until(
      () => delivery(id),
      (row) => row.status === "failed",
    );
    await db.webhookDelivery.update({ where: { id }, data: { status: "received", lastError: null, attempts: 0 } });

    // When the sweeper runs
    const result = await sweepInbox({ db, jobs: producer, logger });

    // Then the delivery is a dead letter again, with the job's reason
    expect(result.deadLettered).toBeGreaterThanOrEqual(1);
    expect(await delivery(id)).toMatchObject({
      status: "failed",
      lastError: "app/scopes_update payload has no current scopes",
    });
  });

  it("is scheduled every minute, once however often it is scheduled", async () => {
    await scheduleInboxSweeper(producer);
    await scheduleInboxSweeper(producer);
    const schedulers = await queues.queue("ingest").getJobSchedulers(0, -1);
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([["inbox-sweeper", 60_000]]);
    await queues.queue("ingest").removeJobScheduler("inbox-sweeper");
  });
});

describe("loadDataHealth", () => {
  it("counts the shop's deliveries by status, the oldest waiting, and the last error in the shop's zone", async () => {
    // Given deliveries in every state, one failed with personal data in its error
    const shop = `card-${randomUUID().slice(0, 8)}.myshopify.com`;
    domains.push(shop);
    const now = new Date("2026-11-20T12:00:00Z");
    const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
    const rows = [
      { status: "received", receivedAt: at(90) },
      { status: "received", receivedAt: at(5) },
      { status: "applied", receivedAt: at(60) },
      { status: "ignored", receivedAt: at(60) },
      { status: "applied", receivedAt: at(8 * 24 * 60) },
    ];
    for (const [index, row] of rows.entries()) {
      await db.webhookDelivery.create({
        data: {
          shopDomain: shop,
          webhookId: `w${index}`,
          topic: "orders/create",
          apiVersion: "2026-07",
          payload: {},
          ...row,
        },
      });
    }
    await db.webhookDelivery.create({
      data: {
        shopDomain: shop,
        webhookId: "failed",
        topic: "customers/update",
        apiVersion: "2026-07",
        payload: {},
        status: "failed",
        receivedAt: at(30),
        processedAt: at(20),
        lastError: "cannot store ada@example.com",
      },
    });
    // When the card loads
    const health = await loadDataHealth(db, shop, "America/New_York", now);
    // Then
    expect(health).toEqual({
      windowDays: 7,
      counts: { received: 2, applied: 1, ignored: 1, failed: 1 },
      oldestPendingAge: "1 h 30 min",
      lastError: { topic: "customers/update", at: "Nov 20, 2026, 6:40 AM EST", message: "cannot store [e-mail]" },
    });
  });
});

describe("the inbox's hourly counts", () => {
  it("follow inserts, status changes, a reopen and deletes, equal to a count of the inbox", async () => {
    const shop = `hours-${randomUUID().slice(0, 8)}.myshopify.com`;
    const other = `hours-${randomUUID().slice(0, 8)}.myshopify.com`;
    domains.push(shop, other);
    const now = new Date();
    const since = new Date(now.getTime() - 7 * 86_400_000);
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const countOfTheInbox = async () => {
      const rows = await db.webhookDelivery.groupBy({
        by: ["status"],
        where: { shopDomain: shop, receivedAt: { gte: new Date(Math.floor(since.getTime() / 3_600_000) * 3_600_000) } },
        _count: { _all: true },
      });
      return Object.fromEntries(
        ["received", "applied", "ignored", "failed"].map((status) => [
          status,
          rows.find((row) => row.status === status)?._count._all ?? 0,
        ]),
      );
    };
    const counted = async () =>
      Object.fromEntries((await countDeliveriesByStatus(db, shop, since)).map((row) => [row.status, row.count]));

    // Given 40 deliveries over three hours (one statement), and another shop's
    await db.webhookDelivery.createMany({
      data: Array.from({ length: 40 }, (_, i) => ({
        shopDomain: shop,
        webhookId: `h${i}`,
        topic: "orders/create",
        apiVersion: "2026-07",
        payload: {},
        receivedAt: hoursAgo(i % 3),
      })),
    });
    await db.webhookDelivery.create({
      data: { shopDomain: other, webhookId: "o", topic: "orders/create", apiVersion: "2026-07", payload: {} },
    });
    const ids = (await db.webhookDelivery.findMany({ where: { shopDomain: shop }, orderBy: { id: "asc" } })).map(
      (row) => row.id,
    );
    expect(await counted()).toEqual({ received: 40, applied: 0, ignored: 0, failed: 0 });

    // When the workers apply some, ignore some, a delivery fails for good and is reopened, and some are deleted
    await markDeliveriesDone(db, ids.slice(0, 20), "applied");
    await markDeliveriesDone(db, ids.slice(20, 25), "ignored");
    await markDeliveryFailed(db, { id: ids[30]!, shopDomain: shop }, { error: "boom", attempts: 3 });
    await markDeliveryFailed(db, { id: ids[31]!, shopDomain: shop }, { error: "boom", attempts: 3 });
    expect(await counted()).toEqual(await countOfTheInbox());
    await reopenFailedDeliveries(db, shop);
    await markDeliveryFailed(db, { id: ids[32]!, shopDomain: shop }, { error: "boom", attempts: 3 });
    await db.webhookDelivery.deleteMany({ where: { id: { in: [ids[0]!, ids[21]!, ids[35]!] } } });

    // Then the counts equal a count of the deliveries themselves
    expect(await counted()).toEqual({ received: 13, applied: 19, ignored: 4, failed: 1 });
    expect(await counted()).toEqual(await countOfTheInbox());
    expect(
      Object.fromEntries((await countDeliveriesByStatus(db, other, since)).map((row) => [row.status, row.count])),
    ).toEqual({ received: 1, applied: 0, ignored: 0, failed: 0 });
  });
});
