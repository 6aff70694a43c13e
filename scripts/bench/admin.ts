// `npm run bench:admin [-- --customers N --orders N --samples 30 --warm-up 3 --page-size 50
//   --case-budget-seconds 20 --only REGEX]`
// Server time of the merchant admin's loaders on the analytics bench's generated shop
// (1,000,000 customers, 5,000,000 orders, scores computed; `npm run bench:analytics` makes it, and
// this bench runs it first when the database or its scores are missing). Adds what the admin needs
// on top (admin/seed-admin-data.ts, idempotent), then times the same domain calls the routes make,
// on a fresh Prisma client: the Customers list for every single filter × every sort (first page,
// and a deep page: the cursor after the middle match) and its capped count per filter, the
// dashboard's loader work, and the customer details block's data for random customers. Prints p50/p95/max against the issue's targets.
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";

import { Redis } from "ioredis";
import pg from "pg";

import { customerInsightsForShop } from "../../app/crm/admin-extensions/customer-insights.server";
import { countCustomers, loadCustomerListPage } from "../../app/crm/customers/customer-list.repository.server";
import { rebuildCustomerListTable } from "../../app/crm/customers/customer-list-table.repository.server";
import { loadDashboard } from "../../app/crm/dashboard/dashboard.server";
import { createPrismaClient } from "../../app/db.server";
import { createJobQueues } from "../../app/jobs/job-queues.server";
import { applyMigrations } from "../../prisma/migrator";
import { spawnTsx } from "../../test/helpers/spawn-tsx";
import { middleCursor } from "./admin/deep-cursor";
import { LIST_SORTS, listFilterCases } from "./admin/list-cases";
import { seedAdminData } from "./admin/seed-admin-data";
import { summarise, timeCalls, timingTable, passes, type Timing } from "./admin/server-time";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "1000000" },
    orders: { type: "string", default: "5000000" },
    samples: { type: "string", default: "30" },
    "warm-up": { type: "string", default: "3" },
    "page-size": { type: "string", default: "50" },
    only: { type: "string" },
    "case-budget-seconds": { type: "string", default: "20" },
  },
});
const customers = Number(values.customers);
const orders = Number(values.orders);
const samples = Number(values.samples);
const warmUp = Number(values["warm-up"]);
const pageSize = Number(values["page-size"]);
// Timed calls of one case stop after this many seconds once they number 5 (see timeCalls).
const caseBudgetMs = Number(values["case-budget-seconds"]) * 1000;
const only = values.only ? new RegExp(values.only, "i") : null;

// The analytics bench's shop and database (scripts/bench/analytics.ts names them so).
const SHOP = "analytics-bench.myshopify.com";
const READY = "Analytics bench (generated)";
const base = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/kinship");
base.pathname = `/kinship_bench_analytics_${customers}_${orders}`;
const databaseUrl = base.toString();
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const TARGETS = { list: 200, dashboard: 300, block: 100 } as const;
const log = (line: string) => console.log(`[bench] ${line}`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

/** Whether the generated shop exists with its scores; if not, `bench:analytics` makes both. */
async function generatedShopReady(): Promise<boolean> {
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  const { rows } = await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [base.pathname.slice(1)]);
  await client.end();
  if (rows.length === 0) return false;
  const db = createPrismaClient(databaseUrl);
  try {
    const shop = await db.shop.findUnique({ where: { domain: SHOP } }).catch(() => null);
    if (shop?.name !== READY) return false;
    return (await db.customerScore.findFirst({ where: { shopId: shop.id }, select: { customerId: true } })) !== null;
  } finally {
    await db.$disconnect();
  }
}

if (!(await generatedShopReady())) {
  log(`no scored shop in ${base.pathname.slice(1)}: running bench:analytics to generate it`);
  const analytics = spawnTsx("scripts/bench/analytics.ts", process.env, [
    "--customers",
    String(customers),
    "--orders",
    String(orders),
  ]);
  analytics.child.stdout?.pipe(process.stdout);
  analytics.child.stderr?.pipe(process.stderr);
  const { code } = await analytics.exited;
  if (code !== 0) throw new Error(`bench:analytics exited with ${code}`);
}

// The admin's extra data, on its own client; then a fresh one for the measurements. Migrations
// first: the admin's tables and indexes came after the shop was generated.
await applyMigrations(databaseUrl);
{
  const db = createPrismaClient(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
  log("adding the admin's data (loyalty members, profiles, segments) where missing");
  const report = await seedAdminData(db, client, shop.id, log);
  log(`seed: ${JSON.stringify(report)}`);
  // What an analytics run ends with: the Customers list table built afresh and swapped in.
  const build = await rebuildCustomerListTable(db, shop.id);
  log(
    `Customers list table rebuilt: ${build.rows.toLocaleString("en-US")} rows in ${(
      Object.values(build.ms).reduce((a, b) => a + b, 0) / 1000
    ).toFixed(1)} s (${Object.entries(build.ms)
      .map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(1)} s`)
      .join(", ")})`,
  );
  await client.end();
  await db.$disconnect();
}

const db = createPrismaClient(databaseUrl);
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
const jobs = createJobQueues(redis, `kinship-bench-admin-${randomBytes(3).toString("hex")}`);
const timings: Timing[] = [];
const loadBefore = load();
const measure = async (name: string, target: number, call: (i: number) => Promise<unknown>) => {
  if (only && !only.test(name)) return;
  const timing = summarise(
    name,
    target,
    await timeCalls(call, { warmUp, samples, budgetMs: caseBudgetMs, minSamples: 5 }),
  );
  timings.push(timing);
  log(
    `${timing.name}: p50 ${timing.p50.toFixed(1)} ms, p95 ${timing.p95.toFixed(1)} ms, max ${timing.max.toFixed(1)} ms${passes(timing) ? "" : "  MISS"}`,
  );
};

try {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP } });
  log(
    `measuring with ${samples} samples after ${warmUp} warm-up calls each; load average ${loadBefore} (${
      (await import("node:os")).cpus().length
    } CPUs)`,
  );

  // The dashboard: app._index.tsx's loader work after authentication.
  await measure("dashboard loader", TARGETS.dashboard, () => loadDashboard({ db, jobs }, SHOP));

  // The customer details block (its route's call, by the session's shop): a random customer each call.
  const randomIds = await db.$queryRaw<{ shopify_id: bigint }[]>`
    SELECT shopify_id FROM customers TABLESAMPLE SYSTEM (1) WHERE shop_id = ${shop.id}
    ORDER BY random() LIMIT ${warmUp + samples}`;
  await measure("customer details block data", TARGETS.block, (i) =>
    customerInsightsForShop(db, SHOP, randomIds[i % randomIds.length]!.shopify_id),
  );

  // The Customers list: every single filter × every sort, first page and a deep page, and the
  // capped count of each filter.
  const gold = await db.loyaltyTier.findFirstOrThrow({ where: { shopId: shop.id, name: "Gold" } });
  const known = await db.customer.findFirstOrThrow({
    where: { shopId: shop.id, email: { not: null } },
    orderBy: { shopifyId: "desc" },
  });
  for (const { name, filter } of listFilterCases({ goldTierId: gold.id, knownEmail: known.email! })) {
    await measure(`count ${name}`, TARGETS.list, () =>
      countCustomers(db, shop.id, filter, { timeZone: shop.ianaTimezone }),
    );
    for (const sort of LIST_SORTS) {
      const page = (cursor: string | null) => loadCustomerListPage(db, shop.id, { filter, sort, cursor, pageSize });
      await measure(`list ${name} · ${sort} · first`, TARGETS.list, () => page(null));
      if (only && !only.test(`list ${name} · ${sort} · deep`)) continue;
      const deep = await middleCursor(db, shop.id, filter, sort, shop.ianaTimezone);
      if (deep)
        await measure(`list ${name} · ${sort} · deep (row ${deep.depth})`, TARGETS.list, () => page(deep.cursor));
    }
  }

  console.log();
  console.log(timingTable(timings));
  const missed = timings.filter((timing) => !passes(timing));
  console.log();
  log(
    `${timings.length - missed.length} PASS, ${missed.length} MISS; load average before ${loadBefore}, after ${load()}`,
  );
  console.log(
    JSON.stringify({
      customers: await db.customer.count({ where: { shopId: shop.id } }),
      samples,
      loadBefore,
      loadAfter: load(),
      missed: missed.map((timing) => ({ name: timing.name, p95: Math.round(timing.p95) })),
    }),
  );
} finally {
  await jobs.close();
  await redis.quit();
  await db.$disconnect();
}
