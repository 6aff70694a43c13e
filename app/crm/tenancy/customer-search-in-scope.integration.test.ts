// kinship_customer_ids_matching: the Customers search inside the row-level-security wall. It finds
// what the filter's searchSql finds, only in the shop of the caller's scope (never an argument's),
// nothing without a scope, and reads the trigram indexes where a policy-bound ILIKE cannot.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma, testDatabaseUrl } from "../../../test/helpers/test-database";
import { customerFilterWhere } from "../customers/customer-filter-sql";
import { customerIdsMatchingSql } from "../customers/customer-search-in-scope-sql";
import { withAllShops, withShop } from "./shop-scope.repository.server";
import { shopScopedDb } from "./shop-scoped-db.repository.server";

const db = createTestPrisma();
let a: { id: number; domain: string };
let b: { id: number; domain: string };

const PEOPLE = [
  ["Ada", "Lovelace", "ada@example.com"],
  ["Grace", "Hopper", "grace.hopper@example.com"],
  ["Mary Ann", "Evans", "george_eliot@example.com"],
  ["Percy", "100% Shelley", "p\\s@example.com"],
  [null, null, "no.name@example.com"],
] as const;

// Enough filler customers in shop A that reading the whole shop costs more than the indexes.
const FILLER = 20_000;

async function seed(shopId: number, filler = FILLER) {
  let shopifyId = BigInt(shopId) * 1_000_000n;
  for (const [firstName, lastName, email] of PEOPLE) {
    await db.customer.create({
      data: {
        shopId,
        shopifyId: (shopifyId += 1n),
        firstName,
        lastName,
        email,
        shopifyCreatedAt: new Date(),
        shopifyUpdatedAt: new Date(),
      },
    });
  }
  await db.$executeRawUnsafe(`
    INSERT INTO customers (shop_id, shopify_id, first_name, last_name, email, shopify_created_at, shopify_updated_at, updated_at)
    SELECT ${shopId}, ${shopifyId} + g, 'Filler' || g, 'Person' || (g % 97), 'f' || g || '@filler.test', now(), now(), now()
    FROM generate_series(1, ${filler}) g`);
}

beforeAll(async () => {
  a = await createTestShop(db, { name: "Search A" });
  b = await createTestShop(db, { name: "Search B" });
  await seed(a.id);
  await seed(b.id, 500);
  await db.$executeRawUnsafe("ANALYZE customers");
});

afterAll(async () => {
  await db.shop.deleteMany({ where: { id: { in: [a.id, b.id] } } });
  await db.$disconnect();
});

const ids = (rows: { id: bigint }[]) => rows.map((row) => row.id).sort((x, y) => (x < y ? -1 : 1));

/** What the Customers filter's search finds for shop A, outside the wall. */
async function searchSqlIds(text: string) {
  const where = customerFilterWhere(a.id, {
    combinator: "and",
    conditions: [{ field: "search", op: "contains", value: text }],
  });
  return ids(await db.$queryRaw<{ id: bigint }[]>`SELECT c.id FROM customers c WHERE ${where}`);
}

describe("kinship_customer_ids_matching", () => {
  it.each(["ada", "HOPPER", "ann ev", "mary ann evans", "y ann", "100%", "_eliot", "p\\s", "example.com", "zzz"])(
    "finds for %j in shop A's scope exactly what the filter's search finds",
    async (text) => {
      const scoped = shopScopedDb(db, a.domain);
      const found = await scoped.$queryRaw<{ id: bigint }[]>`SELECT id FROM (${customerIdsMatchingSql(text)}) AS m(id)`;
      const expected = await searchSqlIds(text);
      expect(ids(found)).toEqual(expected);
      if (text !== "zzz") expect(expected.length).toBeGreaterThan(0);
    },
  );

  it("returns only the scope's shop's customers, whatever shop the text or the caller names", async () => {
    const bIds = ids(await db.$queryRaw<{ id: bigint }[]>`SELECT id FROM customers WHERE shop_id = ${b.id}`);
    const inA = await withShop(
      db,
      a.id,
      (tx) => tx.$queryRaw<{ id: bigint }[]>`SELECT id FROM (${customerIdsMatchingSql("ada")}) AS m(id)`,
    );
    expect(inA).toHaveLength(1);
    expect(bIds).not.toContain(inA[0]!.id);
    // The owner's connection with A's scope set: still A only (the function reads the setting).
    const owner = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('kinship.shop_id', ${String(a.id)}, true)`;
      return tx.$queryRaw<{ id: bigint }[]>`SELECT id FROM (${customerIdsMatchingSql("example.com")}) AS m(id)`;
    });
    expect(owner.length).toBe(PEOPLE.length);
    expect(owner.some((row) => bIds.includes(row.id))).toBe(false);
  });

  it("returns nothing without a shop scope: the owner unscoped, the app role unscoped, across all shops", async () => {
    const unscoped = await db.$queryRaw<unknown[]>`SELECT * FROM (${customerIdsMatchingSql("example.com")}) AS m(id)`;
    const appRole = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL ROLE kinship_app");
      return tx.$queryRaw<unknown[]>`SELECT * FROM (${customerIdsMatchingSql("example.com")}) AS m(id)`;
    });
    const allShops = await withAllShops(
      db,
      (tx) => tx.$queryRaw<unknown[]>`SELECT * FROM (${customerIdsMatchingSql("example.com")}) AS m(id)`,
    );
    expect([unscoped, appRole, allShops]).toEqual([[], [], []]);
  });

  it("is executable by the app role only, as its owner, with a fixed search_path", async () => {
    const [fn] = await db.$queryRaw<{ definer: boolean; config: string[]; public_exec: boolean; app_exec: boolean }[]>`
      SELECT p.prosecdef AS definer, p.proconfig AS config,
        has_function_privilege('public', p.oid, 'EXECUTE') AS public_exec,
        has_function_privilege('kinship_app', p.oid, 'EXECUTE') AS app_exec
      FROM pg_proc p WHERE p.proname = 'kinship_customer_ids_matching'`;
    expect(fn).toEqual({
      definer: true,
      config: ["search_path=pg_catalog, pg_temp"],
      public_exec: false,
      app_exec: true,
    });
  });

  it("reads the trigram indexes inside the scope, where a plain ILIKE under the policy cannot", async () => {
    // auto_explain logs the function's own statements; client_min_messages brings the log here.
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    const plans: string[] = [];
    client.on("notice", (notice) => plans.push(notice.message ?? ""));
    await client.connect();
    try {
      await client.query("LOAD 'auto_explain'");
      await client.query("SET auto_explain.log_min_duration = 0");
      await client.query("SET auto_explain.log_nested_statements = on");
      await client.query("SET client_min_messages = log");
      await client.query("BEGIN");
      await client.query("SELECT set_config('role', 'kinship_app', true), set_config('kinship.shop_id', $1, true)", [
        String(a.id),
      ]);
      plans.length = 0;
      await client.query("SELECT count(*) FROM kinship_customer_ids_matching('ann evans')");
      const inFunction = plans.join("\n");
      plans.length = 0;
      await client.query(
        "SELECT count(*) FROM customers c WHERE c.first_name ILIKE '%ann evans%' OR c.last_name ILIKE '%ann evans%' OR c.email ILIKE '%ann evans%'",
      );
      const plainUnderPolicy = plans.join("\n");
      await client.query("COMMIT");
      // Which of the three indexes pays is the planner's choice; that one is used is the point.
      expect(inFunction).toMatch(/Bitmap Index Scan on customers_(first_name|last_name|email)_trgm_idx/);
      expect(plainUnderPolicy).not.toMatch(/trgm_idx/);
    } finally {
      await client.end();
    }
  });
});
