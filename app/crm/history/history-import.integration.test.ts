// The history import end to end: the double runs real Bulk Operations over a slice of the
// demo store, the workers import the JSONL, and the profile tables match the store.
import { createServer, type Server } from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createJobQueues } from "../../jobs/job-queues.server";
import { logger } from "../../lib/logger.server";
import { startWorkers, type RunningWorkers } from "../../../workers/start-workers";
import { accessTokenKey, issueOfflineToken } from "../../../test/shopify-double/access-token";
import { generateDemoStore } from "../../../test/shopify-double/demo-store";
import { configureBulkOperations, startShopifyDouble, type ShopifyDouble } from "../../../test/shopify-double/index";
import type { StoreShop } from "../../../test/shopify-double/store-data";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { freePort } from "../../../test/helpers/free-port";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { accessTokenTransport, createShopifyAdminClient } from "../shopify-admin/shopify-admin-client.server";
import { createMemoryThrottleStatusStore } from "../shopify-admin/throttle-status-store.server";
import { reconcileShop } from "./reconcile-shop.server";
import type { HistoryImportDeps } from "./history-import.server";

const SECRET = process.env.SHOPIFY_API_SECRET!;
const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const demo = generateDemoStore({ now: new Date("2026-10-01T00:00:00Z") });

/** A slice of the demo store: its first customers, their orders and a few guest orders. */
function demoSlice(domain: string, customers = 150): StoreShop {
  const kept = demo.customers.slice(0, customers);
  const ids = new Set(kept.map((c) => c.id));
  const guests = demo.orders.filter((o) => o.customerId === null).slice(0, 5);
  return {
    ...structuredClone(demo),
    domain,
    customers: structuredClone(kept),
    orders: structuredClone([...demo.orders.filter((o) => o.customerId !== null && ids.has(o.customerId)), ...guests]),
  };
}

const stores = ["webhook", "polling", "crash", "reconcile"].map((name) =>
  demoSlice(`history-${name}-${Date.now()}.myshopify.com`),
);
let double: ShopifyDouble;
let appServer: Server;
let workers: RunningWorkers;
let failAfterBatches: { shop: string; batches: number } | null = null;
let batchesSeen = 0;

const adminFor = async (shop: string) =>
  createShopifyAdminClient({
    shop,
    throttleStore: createMemoryThrottleStatusStore(),
    transport: accessTokenTransport({
      endpoint: `${double.url}/shops/${shop}/admin/api/2026-07/graphql.json`,
      accessToken: issueOfflineToken(accessTokenKey(SECRET), shop),
    }),
  });

const deps = (): HistoryImportDeps => ({ db, logger, jobs, adminFor, pollDelayMs: 200, batchSize: 50 });

beforeAll(async () => {
  // The app's webhook endpoint: Shopify's signed delivery goes through the real route.
  const port = await freePort();
  const { action } = await import("../../routes/webhooks.bulk_operations.finish");
  appServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request = new Request(`${process.env.SHOPIFY_APP_URL}${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks),
      });
      void (action({ request, params: {}, context: {} }) as Promise<Response>).then(async (response) => {
        res.writeHead(response.status).end(await response.text());
      });
    });
  });
  await new Promise<void>((resolve) => appServer.listen(port, "127.0.0.1", resolve));
  double = await startShopifyDouble({
    apiKey: process.env.SHOPIFY_API_KEY!,
    apiSecret: SECRET,
    appUrl: `http://127.0.0.1:${port}`,
    scopes: "read_customers,read_orders,read_all_orders",
    shops: stores,
  });
  for (const store of stores) {
    await db.shop.create({
      data: {
        domain: store.domain,
        name: store.name,
        currencyCode: store.currencyCode,
        ianaTimezone: store.ianaTimezone,
      },
    });
  }
  workers = startWorkers({
    db,
    logger,
    jobs,
    connection: queues.connection,
    prefix: queues.prefix,
    adminFor,
    processors: {},
  });
  // Re-create the backfill processor with the test's knobs (small batches, fast polls, crash hook).
  const { createBackfillProcessor } = await import("../../../workers/processors/backfill.processor");
  const backfill = workers.workers.find((w) => w.name === "backfill")!;
  await backfill.close();
  const { Worker } = await import("bullmq");
  const processor = createBackfillProcessor({
    ...deps(),
    afterBatch: ({ runId }) => {
      if (!failAfterBatches) return;
      batchesSeen++;
      if (batchesSeen === failAfterBatches.batches) {
        failAfterBatches = null;
        throw new Error(`simulated crash in run ${runId}`);
      }
    },
  });
  workers.workers.push(new Worker("backfill", processor, { connection: queues.connection, prefix: queues.prefix }));
}, 120_000);

afterAll(async () => {
  await workers.stop(2_000);
  await jobs.close();
  for (const store of stores) await db.shop.deleteMany({ where: { domain: store.domain } });
  await db.$disconnect();
  await queues.cleanUp();
  await double.close();
  await new Promise((resolve) => appServer.close(resolve));
});

async function waitForRun(domain: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await db.syncRun.findFirst({
      where: { shop: { domain }, kind: "history_import" },
      orderBy: { id: "desc" },
    });
    if (run && run.status !== "running") return run;
    if (Date.now() > deadline) throw new Error(`history import of ${domain} did not finish: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What the double holds: customers, orders, and net spend per customer (not cancelled). */
function expectedFigures(store: StoreShop) {
  const net = new Map<string, bigint>();
  for (const order of store.orders) {
    if (order.customerId === null || order.cancelledAt) continue;
    const refunded = order.refunds.reduce((sum, r) => sum + r.amountMinor, 0);
    const key = String(order.customerId);
    net.set(key, (net.get(key) ?? 0n) + BigInt(order.totalMinor - refunded));
  }
  return { customers: store.customers.length, orders: store.orders.length, net };
}

async function storedFigures(domain: string) {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
  const customers = await db.customer.findMany({ where: { shopId: shop.id } });
  const orders = await db.order.count({ where: { shopId: shop.id } });
  const net = new Map(customers.filter((c) => c.ordersCount > 0).map((c) => [String(c.shopifyId), c.netSpentMinor]));
  return { customers: customers.length, orders, net };
}

describe("history import", () => {
  it("imports the store through bulk operations and the finish webhook, with exact figures", async () => {
    // Given a shop with customers, orders, refunds and cancellations in Shopify
    const store = stores[0]!;
    // When the history import runs
    await jobs.add("backfill", "import-history", { shopDomain: store.domain, reason: "install" });
    const run = await waitForRun(store.domain);
    // Then the profile tables hold exactly the store's customers, orders and net spend
    expect(run.status).toBe("succeeded");
    expect(await storedFigures(store.domain)).toEqual(expectedFigures(store));
    expect(run.customersCount).toBe(store.customers.length);
    expect(run.ordersCount).toBe(store.orders.length);
    // And the continuation came from the finish webhook (the inbox holds it, applied)
    const deliveries = await db.webhookDelivery.findMany({ where: { shopDomain: store.domain } });
    expect(deliveries.map((d) => [d.topic, d.status])).toContainEqual(["bulk_operations/finish", "applied"]);
  });

  it("completes by polling when the finish webhook never comes", async () => {
    const store = stores[1]!;
    configureBulkOperations(store.domain, { sendFinishWebhook: false });
    await jobs.add("backfill", "import-history", { shopDomain: store.domain, reason: "merchant" });
    const run = await waitForRun(store.domain);
    expect(run.status).toBe("succeeded");
    expect(await storedFigures(store.domain)).toEqual(expectedFigures(store));
    expect(await db.webhookDelivery.count({ where: { shopDomain: store.domain } })).toBe(0);
  });

  it("resumes after a crash from lines_done, with exact counts and no duplicates", async () => {
    // Given an import that crashes after its third committed batch
    const store = stores[2]!;
    batchesSeen = 0;
    failAfterBatches = { shop: store.domain, batches: 3 };
    await jobs.add("backfill", "import-history", { shopDomain: store.domain, reason: "install" });
    // When the job is retried by BullMQ
    const run = await waitForRun(store.domain);
    // Then the run succeeded with the store's exact figures, each record once
    expect(failAfterBatches).toBeNull();
    expect(run.status).toBe("succeeded");
    expect(run.customersCount).toBe(store.customers.length);
    expect(run.ordersCount).toBe(store.orders.length);
    expect(await storedFigures(store.domain)).toEqual(expectedFigures(store));
  });

  it("reconciliation re-imports an order changed in Shopify after the import", async () => {
    // Given an imported shop
    const store = stores[3]!;
    await jobs.add("backfill", "import-history", { shopDomain: store.domain, reason: "install" });
    expect((await waitForRun(store.domain)).status).toBe("succeeded");
    // When an order is cancelled in Shopify afterwards and the daily reconciliation runs
    const live = double.store(store.domain);
    const order = live.orders.find((o) => o.customerId !== null && !o.cancelledAt)!;
    order.cancelledAt = new Date().toISOString();
    order.updatedAt = new Date().toISOString();
    const result = await reconcileShop(deps(), store.domain);
    // Then the order is cancelled here too and its customer's figures follow
    expect(result?.orders).toBeGreaterThanOrEqual(1);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: store.domain } });
    const stored = await db.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: BigInt(order.id) } });
    expect(stored.cancelledAt).not.toBeNull();
    expect(await storedFigures(store.domain)).toEqual(expectedFigures(live));
  });
});
