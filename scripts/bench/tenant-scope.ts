// npm run bench:tenant-scope: what the row-level-security wall costs. Two shops of BENCH_CUSTOMERS
// customers each (default 100,000) in a throwaway database; the Customers list's reads (a page and
// the capped count, plain, searched and filtered) timed unscoped (the owner connection) and inside
// withShop (transaction, role kinship_app, policy on every row), and the plans of the searched
// page both ways, so a policy that stopped the trigram index from being used would show. Then what
// the request paths pay: a Customer 360 page through the owner's client and through the routes'
// scoped client (shopScopedDb: each query in its own [scope, query] batch), and the search with
// kinship_customer_ids_matching, which keeps the trigram indexes inside the scope, also as the
// segment builder's live count and the export evaluate it (the whole filter, both searches).
import { randomBytes } from "node:crypto";

import pg from "pg";

import { createPrismaClient } from "../../app/db.server";
import { loadCustomer360 } from "../../app/crm/customer-360/customer-360.server";
import {
  BASE_FILTER_COLUMNS,
  CUSTOMER_FILTER_FROM,
  customerFilterWhere,
  SHOP_SCOPED_FILTER_COLUMNS,
} from "../../app/crm/customers/customer-filter-sql";
import { countMatchingCustomers } from "../../app/crm/segments/segment-membership.repository.server";
import { customerSearchInScopeSql } from "../../app/crm/customers/customer-search-in-scope-sql";
import { shopScopedDb } from "../../app/crm/tenancy/shop-scoped-db.repository.server";
import type { CustomerFilter } from "../../app/crm/customers/customer-filter";
import { countCustomers, loadCustomerListPage } from "../../app/crm/customers/customer-list.repository.server";
import { Prisma } from "@prisma/client";
import { withShop, type ShopScopedDb } from "../../app/crm/tenancy/shop-scope.repository.server";
import { applyMigrations, dropDatabase, ensureDatabase } from "../../prisma/migrator";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

const url = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/kinship");
url.pathname = `/kinship_bench_tenant_${randomBytes(3).toString("hex")}`;
const databaseUrl = url.toString();
await ensureDatabase(databaseUrl);
await applyMigrations(databaseUrl);
const db = createPrismaClient(databaseUrl);

try {
  const shops: number[] = [];
  for (const label of ["a", "b"]) {
    const shop = await db.shop.create({
      data: { domain: `bench-${label}.myshopify.com`, name: label, currencyCode: "USD", ianaTimezone: "UTC" },
    });
    shops.push(shop.id);
    await db.$executeRawUnsafe(`
      INSERT INTO customers (shop_id, shopify_id, first_name, last_name, email, country_code, tags,
        shopify_created_at, shopify_updated_at, last_order_at, orders_count, gross_spent_minor, net_spent_minor, updated_at)
      SELECT ${shop.id}, g, 'First' || g, 'Last' || (g % 997), 'c' || g || '@example.com',
        (ARRAY['US','DE','FR','GB'])[1 + g % 4], ARRAY['t' || (g % 50)],
        now(), now(), now() - (g % 700) * interval '1 day', g % 9, (g % 5000) * 100, (g % 5000) * 95, now()
      FROM generate_series(1, ${CUSTOMERS}) g`);
  }
  await db.$executeRawUnsafe("ANALYZE customers");
  const shopId = shops[0]!;

  const filters: Record<string, CustomerFilter> = {
    all: { combinator: "and", conditions: [] },
    search: { combinator: "and", conditions: [{ field: "search", op: "contains", value: "c1234" }] },
    filtered: {
      combinator: "and",
      conditions: [
        { field: "ordersCount", op: "gte", value: 3 },
        { field: "country", op: "in", values: ["DE"] },
      ],
    } as CustomerFilter,
  };
  const read = (client: ShopScopedDb, filter: CustomerFilter) =>
    Promise.all([
      loadCustomerListPage(client, shopId, { filter, sort: "netSpent:desc", pageSize: 50 }),
      countCustomers(client, shopId, filter),
    ]);

  console.log(`Customers list reads, ${CUSTOMERS.toLocaleString("en-US")} customers per shop, ${ROUNDS} rounds`);
  console.log("filter      unscoped p50/p95 ms   withShop p50/p95 ms");
  for (const [name, filter] of Object.entries(filters)) {
    const plain = await time(() => read(db, filter));
    const scoped = await time(() => withShop(db, shopId, (tx) => read(tx, filter)));
    const check = await withShop(db, shopId, (tx) => read(tx, filter));
    const unscopedCheck = await read(db, filter);
    if (check[1].count !== unscopedCheck[1].count) throw new Error(`${name}: counts differ inside the scope`);
    console.log(`${name.padEnd(10)}  ${fmt(plain)}                 ${fmt(scoped)}`);
  }

  // The fixed cost of the wall: one indexed lookup alone, and inside withShop (BEGIN, the
  // set_config round trip, COMMIT).
  const lookup = (client: ShopScopedDb) =>
    client.customer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId: 4242n } } });
  const plainLookup = await time(() => lookup(db));
  const scopedLookup = await time(() => withShop(db, shopId, lookup));
  console.log(`${"lookup".padEnd(10)}  ${fmt(plainLookup)}                 ${fmt(scopedLookup)}`);

  const searchSql = `EXPLAIN SELECT id FROM customers WHERE shop_id = ${shopId} AND email ILIKE '%c1234%' LIMIT 50`;
  const plan = async (client: ShopScopedDb) =>
    (await client.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(searchSql)).map((row) => row["QUERY PLAN"]).join("\n");
  console.log("\nSearch plan, unscoped:\n" + (await plan(db)));
  console.log("\nSearch plan, inside withShop:\n" + (await withShop(db, shopId, plan)));

  // A page as a route loads it: the owner's client against the scoped client the routes use.
  const domain = "bench-a.myshopify.com";
  const scopedDb = shopScopedDb(db, domain);
  const page360 = (client: typeof db) =>
    loadCustomer360(client, { shopDomain: domain, customerShopifyId: 4242n, orders: null });
  const [plain360, scoped360] = await timeAlternating(
    () => page360(db),
    () => page360(scopedDb),
  );
  const [plainCount, scopedCount] = await timeAlternating(
    () => db.customer.count({ where: { shopId, ordersCount: 3 } }),
    () => scopedDb.customer.count({ where: { shopId, ordersCount: 3 } }),
  );
  console.log("\nRequest path          owner client p50/p95 ms   shopScopedDb p50/p95 ms");
  console.log(`Customer 360 page     ${fmt(plain360)}               ${fmt(scoped360)}`);
  console.log(`one indexed count     ${fmt(plainCount)}               ${fmt(scopedCount)}`);

  // The search as a filter condition: plain ILIKE unscoped, plain ILIKE under the policy, and the
  // SECURITY DEFINER function under the policy.
  const searched = { combinator: "and", conditions: [{ field: "search", op: "contains", value: "c1234" }] };
  const ilikeWhere = customerFilterWhere(shopId, searched as CustomerFilter);
  const functionWhere = Prisma.sql`c.shop_id = ${shopId} AND ${customerSearchInScopeSql("c1234")}`;
  const countWhere = (client: ShopScopedDb, where: Prisma.Sql) =>
    client.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM customers c WHERE ${where}`;
  const ilikePlain = await time(() => countWhere(db, ilikeWhere));
  const ilikeScoped = await time(() => withShop(db, shopId, (tx) => countWhere(tx, ilikeWhere)));
  const functionScoped = await time(() => withShop(db, shopId, (tx) => countWhere(tx, functionWhere)));
  const [plainN] = await countWhere(db, ilikeWhere);
  const [functionN] = await withShop(db, shopId, (tx) => countWhere(tx, functionWhere));
  if (plainN?.n !== functionN?.n) throw new Error("kinship_customer_ids_matching finds other customers than searchSql");
  console.log("\nSearch count 'c1234'                         p50/p95 ms");
  console.log(`ILIKE, owner client                          ${fmt(ilikePlain)}`);
  console.log(`ILIKE, inside the scope                      ${fmt(ilikeScoped)}`);
  console.log(`kinship_customer_ids_matching, in the scope  ${fmt(functionScoped)}`);

  // What the segment builder's live count and the CSV export evaluate inside the scope: the whole
  // filter over customers, scores and members, with the plain search and with the in-scope one.
  const filterCount = (client: ShopScopedDb, where: Prisma.Sql) =>
    client.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n ${CUSTOMER_FILTER_FROM} WHERE ${where}`;
  const scopedFilter = (columns: typeof BASE_FILTER_COLUMNS) =>
    time(() =>
      withShop(db, shopId, (tx) =>
        filterCount(tx, customerFilterWhere(shopId, searched as CustomerFilter, { columns })),
      ),
    );
  const liveCount = await time(() =>
    countMatchingCustomers(db, shopId, searched as CustomerFilter, { timeZone: "UTC", timeoutMs: 10_000 }),
  );
  console.log("\nSegment live count / export filter 'c1234', in the scope   p50/p95 ms");
  console.log(
    `plain search (BASE_FILTER_COLUMNS)                         ${fmt(await scopedFilter(BASE_FILTER_COLUMNS))}`,
  );
  console.log(
    `in-scope search (SHOP_SCOPED_FILTER_COLUMNS)               ${fmt(await scopedFilter(SHOP_SCOPED_FILTER_COLUMNS))}`,
  );
  console.log(`countMatchingCustomers (the builder's live count)          ${fmt(liveCount)}`);
  console.log("\nkinship_customer_ids_matching's own plan (auto_explain):\n" + (await functionPlan(shopId, "c1234")));
} finally {
  await db.$disconnect();
  await dropDatabase(databaseUrl);
}

// The plan of the statement inside the SECURITY DEFINER function, which EXPLAIN does not show:
// auto_explain logs nested statements, client_min_messages brings the log to this connection.
async function functionPlan(shopId: number, text: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  const notices: string[] = [];
  client.on("notice", (notice) => notices.push(notice.message ?? ""));
  await client.connect();
  try {
    for (const sql of [
      "LOAD 'auto_explain'",
      "SET auto_explain.log_min_duration = 0",
      "SET auto_explain.log_nested_statements = on",
      "SET client_min_messages = log",
      "BEGIN",
    ])
      await client.query(sql);
    await client.query("SELECT set_config('role', 'kinship_app', true), set_config('kinship.shop_id', $1, true)", [
      String(shopId),
    ]);
    notices.length = 0;
    await client.query("SELECT count(*) FROM kinship_customer_ids_matching($1)", [text]);
    await client.query("COMMIT");
    return notices.find((notice) => notice.includes("UNION")) ?? notices.join("\n");
  } finally {
    await client.end();
  }
}

// Two variants in turn, so that load from other processes falls on both alike.
async function timeAlternating(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number[], number[]]> {
  for (let i = 0; i < 3; i++) await Promise.all([a(), b()]);
  const msA: number[] = [];
  const msB: number[] = [];
  for (let i = 0; i < ROUNDS * 2; i++) {
    for (const [run, ms] of i % 2 === 0
      ? ([
          [a, msA],
          [b, msB],
        ] as const)
      : ([
          [b, msB],
          [a, msA],
        ] as const)) {
      const start = performance.now();
      await run();
      ms.push(performance.now() - start);
    }
  }
  return [msA.sort((x, y) => x - y), msB.sort((x, y) => x - y)];
}

async function time(run: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await run();
  const ms: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await run();
    ms.push(performance.now() - start);
  }
  return ms.sort((a, b) => a - b);
}

function fmt(sorted: number[]): string {
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `${at(0.5).toFixed(1).padStart(6)} / ${at(0.95).toFixed(1).padStart(6)}`;
}
