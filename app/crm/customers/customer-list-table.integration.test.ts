// The Customers list table on real PostgreSQL: built from the base tables, patched by their
// triggers between builds (and not when a bulk writer turns patches off), consistent when writes
// race a rebuild, readable inside its shop's scope, and dropped with its shop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { withShop } from "../tenancy/shop-scope.repository.server";
import {
  customerListTable,
  customerListTableExists,
  rebuildCustomerListTable,
} from "./customer-list-table.repository.server";

const db = createTestPrisma();
const shops: number[] = [];

async function shopWithCustomers(count: number): Promise<number> {
  const shop = await createTestShop(db);
  shops.push(shop.id);
  await db.$executeRaw`INSERT INTO customers (shop_id, shopify_id, first_name, email, net_spent_minor, orders_count,
      last_order_at, tags, shopify_created_at, shopify_updated_at, updated_at)
    SELECT ${shop.id}, 7000 + g, 'C' || g, 'c' || g || '@example.com', g * 100, g % 7,
      timestamptz '2025-01-01' + g * interval '1 hour', ARRAY[]::text[], now(), now(), now()
    FROM generate_series(1, ${count}) g`;
  await db.$executeRaw`INSERT INTO customer_scores (customer_id, shop_id, run_id, recency_days, purchase_days,
      net_spent_minor, r_score, f_score, m_score, rfm_segment, frequency, recency, t, monetary_value, churn_risk,
      clv_minor, cluster, lifecycle_stage, computed_at)
    SELECT id, shop_id, 0, 1, 1, net_spent_minor, 1, 1, 1, 'Loyal', 1, 1, 1, 1, 'low', shopify_id, 0, 'loyal', now()
    FROM customers WHERE shop_id = ${shop.id} AND shopify_id % 3 <> 0`;
  return shop.id;
}

/** Rows of the list table that differ from what the base tables say now (both directions). */
async function drift(shopId: number): Promise<number> {
  const table = customerListTable(shopId);
  const [row] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (
      (SELECT * FROM ${table} EXCEPT SELECT * FROM customer_lists.source_rows(${shopId}::int, NULL))
      UNION ALL
      (SELECT * FROM customer_lists.source_rows(${shopId}::int, NULL) EXCEPT SELECT * FROM ${table})
    ) differing`;
  return row!.n;
}

async function listRow(shopId: number, shopifyId: bigint) {
  const rows = await db.$queryRaw<{ tags: string[]; points_balance: number; rfm_segment: string | null }[]>`
    SELECT r.tags, r.points_balance, r.rfm_segment FROM ${customerListTable(shopId)} r
    JOIN customers c ON c.id = r.customer_id WHERE c.shopify_id = ${shopifyId}`;
  return rows[0] ?? null;
}

beforeAll(async () => {
  await db.$connect();
});

afterAll(async () => {
  await db.shop.deleteMany({ where: { id: { in: shops } } });
  await db.$disconnect();
});

describe("Customers list table", () => {
  let shopId: number;

  beforeAll(async () => {
    shopId = await shopWithCustomers(300);
  });

  it("is built from the shop's live customers with their scores and loyalty", async () => {
    const build = await rebuildCustomerListTable(db, shopId);
    expect(build.rows).toBe(300);
    expect(await drift(shopId)).toBe(0);
  });

  it("follows changes to customers, scores and members through the triggers", async () => {
    // Given a built table
    await rebuildCustomerListTable(db, shopId);
    const customer = await db.customer.findFirstOrThrow({ where: { shopId, shopifyId: 7001n } });
    // When a tag is added, the customer joins loyalty with points, and the score changes
    await db.customer.update({ where: { id: customer.id }, data: { tags: ["vip"] } });
    await db.loyaltyMember.create({
      data: { shopId, customerId: customer.id, referralCode: `R-${shopId}`, pointsBalance: 250 },
    });
    await db.customerScore.update({ where: { customerId: customer.id }, data: { rfmSegment: "At risk" } });
    // Then the list row says so
    expect(await listRow(shopId, 7001n)).toEqual({ tags: ["vip"], points_balance: 250, rfm_segment: "At risk" });
    // And a deleted or redacted customer leaves the list; a new one joins it
    await db.customer.update({ where: { id: customer.id }, data: { deletedAt: new Date() } });
    await db.customer.updateMany({ where: { shopId, shopifyId: 7002n }, data: { redactedAt: new Date() } });
    await db.customer.create({
      data: { shopId, shopifyId: 9999n, firstName: "New", shopifyCreatedAt: new Date(), shopifyUpdatedAt: new Date() },
    });
    expect(await listRow(shopId, 7001n)).toBeNull();
    expect(await listRow(shopId, 7002n)).toBeNull();
    expect(await listRow(shopId, 9999n)).not.toBeNull();
    expect(await drift(shopId)).toBe(0);
  });

  it("is left alone by a writer that turned patches off, until the rebuild", async () => {
    await rebuildCustomerListTable(db, shopId);
    // When a bulk writer changes every score with patches off (as the nightly run does)
    await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL kinship.customer_list_patch = 'off'");
      await tx.$executeRaw`UPDATE customer_scores SET rfm_segment = 'Champions' WHERE shop_id = ${shopId}`;
    });
    // Then the table still has the old scores; the rebuild brings the new ones
    expect(await drift(shopId)).toBeGreaterThan(0);
    await rebuildCustomerListTable(db, shopId);
    expect(await drift(shopId)).toBe(0);
  });

  it("loses no write that races a rebuild", async () => {
    // Given a shop big enough for its build to take a while
    const busyShop = await shopWithCustomers(20_000);
    await rebuildCustomerListTable(db, busyShop);
    const ids = (await db.customer.findMany({ where: { shopId: busyShop }, select: { id: true } })).map((c) => c.id);
    // When writes land all through two rebuilds
    let writing = true;
    const writes = (async () => {
      let i = 0;
      while (writing) {
        const id = ids[(i * 7919) % ids.length]!;
        await db.customer.update({ where: { id }, data: { ordersCount: { increment: 1 }, tags: [`w${i}`] } });
        i++;
      }
      return i;
    })();
    await rebuildCustomerListTable(db, busyShop);
    await rebuildCustomerListTable(db, busyShop);
    writing = false;
    const written = await writes;
    // Then every write is in the table
    expect(written).toBeGreaterThan(10);
    expect(await drift(busyShop)).toBe(0);
  });

  it("is readable inside its shop's scope, and goes with its shop", async () => {
    const otherShop = await shopWithCustomers(5);
    await rebuildCustomerListTable(db, otherShop);
    const seen = await withShop(db, otherShop, async (tx) => {
      const [row] = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM ${customerListTable(otherShop)}`;
      return row!.n;
    });
    expect(seen).toBe(5);

    await db.shop.delete({ where: { id: otherShop } });
    expect(await customerListTableExists(db, otherShop)).toBe(false);
  });
});
