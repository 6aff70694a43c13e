// The request's scoped client (shopScopedDb): whatever a route's domain call does with it (a
// Prisma query without a shop filter, raw SQL, its own interactive or batch transaction, a
// withShop inside), the database sees only the session's shop; an unknown shop sees nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { seedTenant, tenantSnapshot, type SeededTenant } from "../../../test/helpers/seed-tenant";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { withShop } from "./shop-scope.repository.server";
import { shopScopedDb } from "./shop-scoped-db.repository.server";

const db = createTestPrisma();
let a: SeededTenant;
let b: SeededTenant;

beforeAll(async () => {
  a = await seedTenant(db, "A");
  b = await seedTenant(db, "B");
});

afterAll(async () => {
  await db.shop.deleteMany({ where: { id: { in: [a.shopId, b.shopId] } } });
  await db.$disconnect();
});

const shopIdsOf = (rows: { shop_id: number }[]) => rows.map((row) => row.shop_id);

describe("shopScopedDb", () => {
  it("scopes Prisma queries without a shop filter, by primary key too", async () => {
    // Given both shops have customers and ledger entries (seen by the owner connection)
    expect(await db.customer.count({ where: { shopId: { in: [a.shopId, b.shopId] } } })).toBe(2);
    const scoped = shopScopedDb(db, a.domain);
    // When shop A's request asks without a WHERE, or for B's customer by id
    const customers = await scoped.customer.findMany();
    const ledger = await scoped.loyaltyLedgerEntry.findMany();
    const forged = await scoped.customer.findUnique({ where: { id: b.customerId } });
    // Then it sees only A
    expect(customers.map((c) => c.id)).toEqual([a.customerId]);
    expect(ledger.length).toBeGreaterThan(0);
    expect(ledger.every((entry) => entry.shopId === a.shopId)).toBe(true);
    expect(forged).toBeNull();
  });

  it("scopes raw SQL, tagged and unsafe", async () => {
    const scoped = shopScopedDb(db, a.domain);
    const tagged = await scoped.$queryRaw<{ shop_id: number }[]>`SELECT DISTINCT shop_id FROM orders`;
    const unsafe = await scoped.$queryRawUnsafe<{ shop_id: number }[]>(
      "SELECT DISTINCT shop_id FROM loyalty_ledger_entries",
    );
    const [who] = await scoped.$queryRaw<{ role: string; shop: string }[]>`
      SELECT current_user::text AS role, current_setting('kinship.shop_id', true) AS shop`;
    expect(shopIdsOf(tagged)).toEqual([a.shopId]);
    expect(shopIdsOf(unsafe)).toEqual([a.shopId]);
    expect(who).toEqual({ role: "kinship_app", shop: String(a.shopId) });
  });

  it("changes and deletes only the scoped shop's rows, and refuses to write into another shop", async () => {
    const before = await tenantSnapshot(db, b.shopId);
    const scoped = shopScopedDb(db, a.domain);
    expect((await scoped.customer.updateMany({ data: { countryCode: "ZY" } })).count).toBe(1);
    expect((await scoped.$executeRawUnsafe("UPDATE loyalty_members SET updated_at = now()")) > 0).toBe(true);
    await expect(
      scoped.customerNote.create({ data: { shopId: b.shopId, customerId: b.customerId, body: "planted" } }),
    ).rejects.toThrow(/row-level security/);
    expect(await tenantSnapshot(db, b.shopId)).toEqual(before);
  });

  it("scopes the domain's own interactive and batch transactions, and withShop inside", async () => {
    const scoped = shopScopedDb(db, a.domain);
    const interactive = await scoped.$transaction(async (tx) => {
      const raw = await tx.$queryRaw<{ shop_id: number }[]>`SELECT DISTINCT shop_id FROM customers`;
      const count = await tx.customerNote.count();
      return { raw: shopIdsOf(raw), count };
    });
    expect(interactive).toEqual({ raw: [a.shopId], count: 1 });

    const [customers, notes] = await scoped.$transaction([scoped.customer.count(), scoped.customerNote.findMany()]);
    expect(customers).toBe(1);
    expect(notes.map((note) => note.shopId)).toEqual([a.shopId]);

    const nested = await withShop(scoped, a.shopId, (tx) => tx.customer.count());
    expect(nested).toBe(1);
  });

  it("rolls back a failed interactive transaction as before", async () => {
    const scoped = shopScopedDb(db, a.domain);
    await expect(
      scoped.$transaction(async (tx) => {
        await tx.customer.updateMany({ data: { countryCode: "QQ" } });
        throw new Error("business rule failed");
      }),
    ).rejects.toThrow("business rule failed");
    expect(await db.customer.count({ where: { shopId: a.shopId, countryCode: "QQ" } })).toBe(0);
  });

  it("fails closed for a domain that is not an installed shop, or an empty one", async () => {
    const scoped = shopScopedDb(db, "not-installed.myshopify.com");
    expect(await scoped.customer.count()).toBe(0);
    expect(await scoped.$queryRaw`SELECT 1 FROM loyalty_ledger_entries LIMIT 1`).toEqual([]);
    expect(await shopScopedDb(db, "").customer.findMany()).toEqual([]);
  });

  it("leaves nothing behind on the pooled connections", async () => {
    const scoped = shopScopedDb(db, a.domain);
    await Promise.all([scoped.customer.count(), scoped.$transaction(async (tx) => tx.order.count())]);
    const after = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          db.$queryRaw<{ role: string; shop: string | null }[]>`
          SELECT current_user::text AS role, current_setting('kinship.shop_id', true) AS shop`,
      ),
    );
    for (const [row] of after) {
      expect(row?.role).not.toBe("kinship_app");
      expect(row?.shop ?? "").toBe("");
    }
  });

  it("lets a scoped query run past Prisma's 5 s batch timeout, as the owner's own query may", async () => {
    // Given a scoped query that takes 6 s (a batch transaction [scope, query] under the hood)
    const scoped = shopScopedDb(db, a.domain);
    // When it runs, Then it answers instead of failing as a timed-out transaction
    const [row] = await scoped.$queryRaw<{ shop: string }[]>`
      SELECT pg_sleep(6)::text AS slept, current_setting('kinship.shop_id', true) AS shop`;
    expect(row?.shop).toBe(String(a.shopId));
  }, 20_000);
});
