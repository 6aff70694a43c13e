// npm run bench:worker-scope [-- --customers N --batch N]
// What the row-level-security wall costs the per-event jobs, measured in one run:
// 1. Ingest: the same store's history (customers, orders, refunds) applied through the ingest
//    worker's batch path twice, to two shops, batch by batch in turn: once with the owner's client
//    and once as the workers run it, each shop's deliveries in one transaction of its scope
//    (app/crm/tenancy/shop-transaction.server.ts). Time and this process's CPU per delivery.
// 2. One query three ways: as the owner, as a scoped standalone query (a [scope, query]
//    transaction of its own), and as one of ten queries in a scoped transaction.
import { randomBytes, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";

import { Redis } from "ioredis";

import { applyWebhookDeliveries } from "../../app/crm/ingest/apply-webhook.server";
import type { ApplyWebhookDeps } from "../../app/crm/ingest/webhook-handler";
import { recordDelivery } from "../../app/crm/ingest/webhook-inbox.repository.server";
import { createShopScopedClients } from "../../app/crm/tenancy/shop-scoped-db.repository.server";
import { createPrismaClient, type PrismaClient } from "../../app/db.server";
import { createJobQueues } from "../../app/jobs/job-queues.server";
import { logger } from "../../app/lib/logger.server";
import { applyMigrations, dropDatabase, ensureDatabase } from "../../prisma/migrator";
import { generateDemoStore } from "../../test/shopify-double/demo-store";
import { buildReplayStream } from "../../test/shopify-double/replay-stream";

const { values } = parseArgs({
  options: { customers: { type: "string", default: "1500" }, batch: { type: "string", default: "64" } },
});
const customerCount = Number(values.customers);
const batchSize = Number(values.batch);

const databaseUrl = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/kinship");
databaseUrl.pathname = `/kinship_bench_worker_scope_${randomBytes(3).toString("hex")}`;
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
const prefix = `kinship-bench-${randomBytes(3).toString("hex")}`;

interface Meter {
  ms: number;
  cpuMs: number;
  count: number;
}
const meter = (): Meter => ({ ms: 0, cpuMs: 0, count: 0 });
async function measured<T>(into: Meter, count: number, work: () => Promise<T>): Promise<T> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  into.ms += performance.now() - started;
  const used = process.cpuUsage(cpu);
  into.cpuMs += (used.user + used.system) / 1000;
  into.count += count;
  return result;
}
const perItem = (m: Meter, unit: string) =>
  `${((m.ms / m.count) * 1000).toFixed(0)} µs a ${unit} (CPU here ${((m.cpuMs / m.count) * 1000).toFixed(0)} µs)`;

async function ingest(db: PrismaClient, jobs: ApplyWebhookDeps["jobs"]) {
  const full = generateDemoStore({ now: new Date("2026-06-01T00:00:00Z") });
  const customers = full.customers.slice(0, customerCount);
  const ids = new Set(customers.map((customer) => customer.id));
  const orders = full.orders.filter((order) => order.customerId !== null && ids.has(order.customerId));
  const shops = await Promise.all(
    ["owner", "scoped"].map((mode) =>
      db.shop.create({
        data: {
          domain: `bench-${mode}-${randomUUID().slice(0, 6)}.myshopify.com`,
          name: mode,
          currencyCode: "USD",
          ianaTimezone: "UTC",
        },
      }),
    ),
  );
  const stream = buildReplayStream({ ...full, customers, orders }, { duplicateRate: 0 });
  const deliveries = new Map<string, bigint[]>();
  for (const shop of shops) {
    const recorded: bigint[] = [];
    for (const delivery of stream) {
      const id = await recordDelivery(db, {
        shopDomain: shop.domain,
        webhookId: randomUUID(),
        eventId: null,
        topic: delivery.topic,
        apiVersion: "2026-07",
        triggeredAt: new Date(delivery.triggeredAt),
        payload: delivery.payload as object,
      });
      if (id !== null) recorded.push(id);
    }
    deliveries.set(shop.domain, recorded);
  }
  const scopes = createShopScopedClients(db);
  const modes = [
    { shop: shops[0]!, deps: { db, logger, jobs } as ApplyWebhookDeps, meter: meter() },
    { shop: shops[1]!, deps: { db, logger, jobs, shopDb: scopes.byDomain } as ApplyWebhookDeps, meter: meter() },
  ];
  console.log(`ingest: ${stream.length} deliveries per shop, batches of ${batchSize}`);
  for (let from = 0; from < stream.length; from += batchSize) {
    // Turn about, the order flipped each round: neither mode always runs on a warmer cache.
    const round = (from / batchSize) % 2 === 0 ? modes : [...modes].reverse();
    for (const mode of round) {
      const batch = deliveries.get(mode.shop.domain)!.slice(from, from + batchSize);
      const results = await measured(mode.meter, batch.length, () =>
        applyWebhookDeliveries(
          mode.deps,
          batch.map((deliveryId) => ({ deliveryId, shopDomain: mode.shop.domain })),
        ),
      );
      const failure = results.find((result) => result.status === "rejected");
      if (failure) throw (failure as PromiseRejectedResult).reason;
    }
  }
  // Both shops hold the same profiles: the wall changed the cost, not the result.
  const figures = await Promise.all(
    shops.map((shop) =>
      db.customer.aggregate({
        where: { shopId: shop.id },
        _count: true,
        _sum: { netSpentMinor: true, ordersCount: true },
      }),
    ),
  );
  const text = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? String(v) : v));
  if (text(figures[0]) !== text(figures[1])) {
    throw new Error(`the two shops differ: ${text(figures)}`);
  }
  const [owner, scoped] = modes.map((mode) => mode.meter);
  console.log(`  owner's client                 ${perItem(owner!, "delivery")}`);
  console.log(`  in its shop's scope (workers)  ${perItem(scoped!, "delivery")}`);
  console.log(
    `  scoped / owner: time ${(scoped!.ms / owner!.ms).toFixed(2)}, CPU here ${(scoped!.cpuMs / owner!.cpuMs).toFixed(2)}` +
      ` (${figures[0]!._count} customers each, same figures)`,
  );
  return shops[1]!;
}

async function oneQuery(db: PrismaClient, shop: { id: number }) {
  const scoped = createShopScopedClients(db).byId(shop.id);
  const customer = { shopId: shop.id, shopifyId: 0n };
  const queries = 3000;
  const [owner, standalone, inTransaction] = [meter(), meter(), meter()];
  for (let round = 0; round < 3; round++) {
    await measured(owner, queries, async () => {
      for (let i = 0; i < queries; i++) await db.customer.findFirst({ where: customer });
    });
    await measured(standalone, queries, async () => {
      for (let i = 0; i < queries; i++) await scoped.customer.findFirst({ where: customer });
    });
    await measured(inTransaction, queries, async () => {
      for (let i = 0; i < queries; i += 10) {
        await scoped.$transaction(async (tx) => {
          for (let j = 0; j < 10; j++) await tx.customer.findFirst({ where: customer });
        });
      }
    });
  }
  console.log("one query (a customer by Shopify id):");
  console.log(`  owner's client                 ${perItem(owner, "query")}`);
  console.log(`  scoped, standalone             ${perItem(standalone, "query")}`);
  console.log(`  scoped, 10 in a transaction    ${perItem(inTransaction, "query")}`);
  console.log(
    `  scoped / owner: standalone ${(standalone.ms / owner.ms).toFixed(2)}, in a transaction ${(inTransaction.ms / owner.ms).toFixed(2)}`,
  );
}

await ensureDatabase(databaseUrl.toString());
await applyMigrations(databaseUrl.toString());
const db = createPrismaClient(databaseUrl.toString());
const jobs = createJobQueues(redis, prefix);
try {
  const shop = await ingest(db, jobs);
  await oneQuery(db, shop);
} finally {
  await jobs.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await db.$disconnect();
  await dropDatabase(databaseUrl.toString());
}
