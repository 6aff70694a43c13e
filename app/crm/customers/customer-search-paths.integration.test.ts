// A customer search filter gives the same customers on both of its paths: the plain search
// (BASE_FILTER_COLUMNS, the owner's client in workers) and the in-scope search
// (SHOP_SCOPED_FILTER_COLUMNS, kinship_customer_ids_matching inside the shop's row-level-security
// scope), and the segment builder's live count and the CSV export under shopDb use the latter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma, testDatabaseUrl } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { createPrismaClient } from "../../db.server";
import { createJobQueues } from "../../jobs/job-queues.server";
import { logger } from "../../lib/logger.server";
import { liveSegmentCount } from "../segments/segments.server";
import { shopScopedDb } from "../tenancy/shop-scoped-db.repository.server";
import type { CustomerFilter } from "./customer-filter";
import {
  BASE_FILTER_COLUMNS,
  CUSTOMER_FILTER_FROM,
  customerFilterWhere,
  SHOP_SCOPED_FILTER_COLUMNS,
  type CustomerFilterColumns,
} from "./customer-filter-sql";
import { customerExportQuery } from "./customer-export.repository.server";
import { exportCustomersCsv } from "./customers-export.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const staff = { userId: 7n, name: "Search Staff" };
let a: Awaited<ReturnType<typeof createTestShop>>;
let b: Awaited<ReturnType<typeof createTestShop>>;

const PEOPLE = [
  ["Ada", "Lovelace", "ada@example.com", "GB"],
  ["Grace", "Hopper", "grace.hopper@example.com", "US"],
  ["Mary Ann", "Evans", "george_eliot@example.com", "GB"],
  ["Percy", "100% Shelley", "p\\s@example.com", "GB"],
  ["Ann", "Ada", "ann.ada@Example.ORG", "FR"],
  [null, null, "no.name@example.com", "US"],
  ["Nomail", "Person", null, "DE"],
] as const;

async function seed(shopId: number, filler: number) {
  for (const [index, [firstName, lastName, email, countryCode]] of PEOPLE.entries()) {
    await db.customer.create({
      data: {
        shopId,
        shopifyId: BigInt(shopId) * 1_000_000n + BigInt(index + 1),
        firstName,
        lastName,
        email,
        countryCode,
        shopifyCreatedAt: new Date(),
        shopifyUpdatedAt: new Date(),
      },
    });
  }
  await db.$executeRawUnsafe(`
    INSERT INTO customers (shop_id, shopify_id, first_name, last_name, email, shopify_created_at, shopify_updated_at, updated_at)
    SELECT ${shopId}, ${shopId} * 1000000 + 100 + g, 'Filler' || g, 'Person' || (g % 97), 'f' || g || '@filler.test', now(), now(), now()
    FROM generate_series(1, ${filler}) g`);
}

beforeAll(async () => {
  a = await createTestShop(db, { name: "Search paths A" });
  b = await createTestShop(db, { name: "Search paths B" });
  // Shop B holds the same people: a search must never reach across the wall.
  await seed(a.id, 3_000);
  await seed(b.id, 300);
  await db.$executeRawUnsafe("ANALYZE customers");
});

afterAll(async () => {
  await db.shop.deleteMany({ where: { id: { in: [a.id, b.id] } } });
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

const search = (value: string): CustomerFilter => ({
  combinator: "and",
  conditions: [{ field: "search", op: "contains", value }],
});

const sorted = (ids: bigint[]) => ids.map(String).sort();

async function matchingIds(client: typeof db, filter: CustomerFilter, columns: CustomerFilterColumns) {
  const where = customerFilterWhere(a.id, filter, { columns });
  const rows = await client.$queryRaw<{ id: bigint }[]>`SELECT c.id ${CUSTOMER_FILTER_FROM} WHERE ${where}`;
  return sorted(rows.map((row) => row.id));
}

/** Calls of kinship_customer_ids_matching counted so far (by connections that track them). */
async function inScopeSearchCalls(): Promise<number> {
  const [row] = await db.$queryRaw<{ calls: bigint | null }[]>`
    SELECT sum(calls) AS calls FROM pg_stat_user_functions WHERE funcname = 'kinship_customer_ids_matching'`;
  return Number(row?.calls ?? 0);
}

describe("customer search, plain and in the shop's scope", () => {
  const TEXTS = [
    ["first name", "ada"],
    ["last name, other case", "HOPPER"],
    ["partial e-mail", "hopper@exa"],
    ["partial e-mail, domain start only", "ada@example"],
    ["whole e-mail", "grace.hopper@example.com"],
    ["whole e-mail, other case", "ANN.ADA@example.org"],
    ["e-mail's domain", "example.com"],
    ["@ first", "@example.com"],
    ["two @", "a@b@c"],
    ["first last", "mary ann evans"],
    ["end of first, start of last", "y ann ev"],
    ["LIKE wildcards, literally", "100%"],
    ["underscore, literally", "_eliot"],
    ["backslash", "p\\s"],
    ["no match", "zzz"],
  ] as const;

  it.each(TEXTS)("finds the same customers for a %s (%j)", async (_, text) => {
    // Given the same search filter, on the owner's client and on the shop's scoped client
    const plain = await matchingIds(db, search(text), BASE_FILTER_COLUMNS);
    const inScope = await matchingIds(shopScopedDb(db, a.domain), search(text), SHOP_SCOPED_FILTER_COLUMNS);

    // Then both find the same customers (and something, where something is there to find)
    expect(inScope).toEqual(plain);
    if (text !== "zzz" && text !== "a@b@c") expect(plain.length).toBeGreaterThan(0);
  });

  it("finds the same customers for a search inside an OR group with another condition", async () => {
    const filter: CustomerFilter = {
      combinator: "or",
      conditions: [
        { field: "search", op: "contains", value: "ann" },
        { field: "country", op: "in", values: ["US"] },
      ],
    };
    const plain = await matchingIds(db, filter, BASE_FILTER_COLUMNS);
    expect(await matchingIds(shopScopedDb(db, a.domain), filter, SHOP_SCOPED_FILTER_COLUMNS)).toEqual(plain);
    expect(plain.length).toBe(4);
  });

  it("finds no one outside a scope: the owner's client (workers) keeps the plain search", async () => {
    expect(await matchingIds(db, search("ada"), SHOP_SCOPED_FILTER_COLUMNS)).toEqual([]);
  });
});

describe("under shopDb, a search filter", () => {
  it("gives the builder's live count of the matching customers", async () => {
    // Given the segment services handed the shop's scoped client, as the route does
    const deps = { db: shopScopedDb(db, a.domain), logger, jobs };

    // When the builder counts rules with a search
    const count = (rule: CustomerFilter) => liveSegmentCount(deps, a.domain, JSON.stringify(rule));

    // Then the counts are the shop's own matching customers
    expect(await count(search("ada"))).toEqual({ status: "counted", count: 2 });
    expect(await count(search("grace.hopper@example.com"))).toEqual({ status: "counted", count: 1 });
    expect(await count(search("mary ann evans"))).toEqual({ status: "counted", count: 1 });
    expect(await count(search("filler1"))).toEqual({ status: "counted", count: 1_111 });
  });

  it("is counted by the in-scope search, even when the owner's client is handed in", async () => {
    // Given a client whose connections count calls of PL/pgSQL functions (pg_stat_user_functions)
    const url = new URL(testDatabaseUrl());
    url.searchParams.set("options", "-c track_functions=pl");
    const tracked = createPrismaClient(url.toString());
    try {
      const before = await inScopeSearchCalls();

      // When the builder counts a search rule with the owner's client, and with the scoped one
      const owner = await liveSegmentCount({ db: tracked, logger, jobs }, a.domain, JSON.stringify(search("ada")));
      const scoped = await liveSegmentCount(
        { db: shopScopedDb(tracked, a.domain), logger, jobs },
        a.domain,
        JSON.stringify(search("ada")),
      );

      // Then both counted inside the shop's scope, through kinship_customer_ids_matching (a
      // connection's counts reach the statistics when it closes, or when idle for 10 s)
      await tracked.$disconnect();
      expect([owner, scoped]).toEqual([
        { status: "counted", count: 2 },
        { status: "counted", count: 2 },
      ]);
      await expect.poll(inScopeSearchCalls, { timeout: 5_000, interval: 100 }).toBeGreaterThanOrEqual(before + 2);
    } finally {
      await tracked.$disconnect();
    }
  });

  it("exports exactly the matching customers", async () => {
    // Given the Customers page's search ?q=, exported through the scoped client as the route does
    const url = new URL(`${process.env.SHOPIFY_APP_URL}/app/customers/export?q=${encodeURIComponent("ada")}`);
    const { stream } = await exportCustomersCsv(
      { db: shopScopedDb(db, a.domain), databaseUrl: testDatabaseUrl() },
      { shopDomain: a.domain, staff, url },
    );

    // Then the CSV holds the two customers of shop A whose name or e-mail contains "ada"
    const lines = (await new Response(stream).text()).trim().split("\r\n");
    const emails = lines.slice(1).map((line) => line.match(/[^,]+@[^,]+/)?.[0]);
    expect(emails.sort()).toEqual(["ada@example.com", "ann.ada@Example.ORG"]);
  });

  it("goes through the in-scope search in the export's query", () => {
    const query = customerExportQuery(a, { kind: "filter", filter: search("ada") });
    expect(query.sql).toContain("kinship_customer_ids_matching");
  });
});
