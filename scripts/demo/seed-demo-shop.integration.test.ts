import { randomBytes } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "../../app/db.server";
import { generateDemoStore } from "../../test/shopify-double/demo-store";
import type { StoreShop } from "../../test/shopify-double/store-data";
import { createTestPrisma } from "../../test/helpers/test-database";
import { demoStoreAnchor, seedDemoShop } from "./seed-demo-shop";

let db: PrismaClient;
const domains: string[] = [];

beforeAll(() => {
  db = createTestPrisma();
});

afterAll(async () => {
  await db.shop.deleteMany({ where: { domain: { in: domains } } });
  await db.$disconnect();
});

function givenDemoStore(
  seed: number,
  shopDomain = `seed-test-${randomBytes(5).toString("hex")}.myshopify.com`,
): StoreShop {
  domains.push(shopDomain);
  return generateDemoStore({ seed, now: new Date("2026-06-01T00:00:00Z"), shopDomain });
}

/** Net revenue as Kinship defines it: non-cancelled orders' totals less their refunds. */
function netRevenueOf(orders: StoreShop["orders"]): bigint {
  return orders
    .filter((order) => order.cancelledAt === null)
    .reduce(
      (sum, order) =>
        sum + BigInt(order.totalMinor - order.refunds.reduce((total, refund) => total + refund.amountMinor, 0)),
      0n,
    );
}

// Row counts, money sums and a digest of every column of every row of the shop.
async function snapshotOf(shopId: number) {
  const [snapshot] = await db.$queryRaw<Record<string, bigint | string | null>[]>`
    SELECT
      (SELECT count(*) FROM customers WHERE shop_id = ${shopId}) AS customers,
      (SELECT count(*) FROM orders WHERE shop_id = ${shopId}) AS orders,
      (SELECT count(*) FROM line_items WHERE shop_id = ${shopId}) AS line_items,
      (SELECT count(*) FROM refunds WHERE shop_id = ${shopId}) AS refunds,
      (SELECT sum(net_spent_minor)::bigint FROM customers WHERE shop_id = ${shopId}) AS customers_net_minor,
      (SELECT sum(total_minor - refunded_minor)::bigint FROM orders WHERE shop_id = ${shopId} AND cancelled_at IS NULL)
        AS net_revenue_minor,
      (SELECT sum(refunded_quantity)::bigint FROM line_items WHERE shop_id = ${shopId}) AS refunded_quantity,
      (SELECT md5(string_agg(c::text, '|' ORDER BY c.shopify_id)) FROM customers c WHERE shop_id = ${shopId})
        AS customers_digest,
      (SELECT md5(string_agg(o::text, '|' ORDER BY o.shopify_id)) FROM orders o WHERE shop_id = ${shopId})
        AS orders_digest,
      (SELECT md5(string_agg(li::text, '|' ORDER BY li.shopify_id)) FROM line_items li WHERE shop_id = ${shopId})
        AS line_items_digest,
      (SELECT md5(string_agg(r::text, '|' ORDER BY r.shopify_id)) FROM refunds r WHERE shop_id = ${shopId})
        AS refunds_digest`;
  return snapshot;
}

describe("seedDemoShop", () => {
  it("loads the generated store with its counts and net revenue, and a second run changes nothing", async () => {
    // given a generated demo store
    const store = givenDemoStore(11);
    const guestOrders = store.orders.filter((order) => order.customerId === null);

    // when seeding it
    const seeded = await seedDemoShop(db, store);

    // then every customer, order, line item and refund is there, and the money adds up
    expect(seeded).toEqual({
      shopId: expect.any(Number),
      customers: store.customers.length,
      orders: store.orders.length,
    });
    const first = await snapshotOf(seeded.shopId);
    expect(first).toMatchObject({
      customers: BigInt(store.customers.length),
      orders: BigInt(store.orders.length),
      line_items: BigInt(store.orders.reduce((sum, order) => sum + order.lineItems.length, 0)),
      refunds: BigInt(store.orders.reduce((sum, order) => sum + order.refunds.length, 0)),
      net_revenue_minor: netRevenueOf(store.orders),
      customers_net_minor: netRevenueOf(store.orders) - netRevenueOf(guestOrders),
      refunded_quantity: BigInt(
        store.orders
          .flatMap((order) => order.refunds.flatMap((refund) => refund.lineItems))
          .reduce((sum, line) => sum + line.quantity, 0),
      ),
    });

    // when seeding it again
    await seedDemoShop(db, store);

    // then no row changed, and each run is on record
    expect(await snapshotOf(seeded.shopId)).toEqual(first);
    const runs = await db.syncRun.findMany({ where: { shopId: seeded.shopId }, orderBy: { id: "asc" } });
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      expect(run).toMatchObject({
        kind: "demo_seed",
        status: "succeeded",
        customersCount: store.customers.length,
        ordersCount: store.orders.length,
      });
      expect(run.finishedAt?.getTime()).toBeGreaterThanOrEqual(run.startedAt.getTime());
    }
  });

  it("maps a customer's profile and order history onto the customer row", async () => {
    // given a seeded store and one of its repeat customers
    const store = givenDemoStore(12);
    const { shopId } = await seedDemoShop(db, store);
    const repeatBuyer = store.customers.find(
      (customer) =>
        customer.address &&
        customer.phone &&
        store.orders.filter((order) => order.customerId === customer.id).length >= 3,
    );
    if (!repeatBuyer?.address) throw new Error("the demo store should have a repeat buyer with an address and phone");
    const theirOrders = store.orders.filter(
      (order) => order.customerId === repeatBuyer.id && order.cancelledAt === null,
    );

    // when reading their row
    const row = await db.customer.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId, shopifyId: BigInt(repeatBuyer.id) } },
    });

    // then the profile and the figures are the store's
    expect(row).toMatchObject({
      email: repeatBuyer.email,
      countryCode: "US",
      tags: repeatBuyer.tags,
      emailConsent: repeatBuyer.emailMarketing,
      smsConsent: repeatBuyer.smsMarketing,
      shopifyCreatedAt: new Date(repeatBuyer.createdAt),
      ordersCount: theirOrders.length,
      netSpentMinor: netRevenueOf(theirOrders),
      firstOrderAt: new Date(theirOrders[0]?.processedAt ?? ""),
      lastOrderAt: new Date(theirOrders.at(-1)?.processedAt ?? ""),
      channels: [...new Set(theirOrders.map((order) => order.sourceName))].sort(),
    });
    const linkedOrders = await db.order.count({ where: { shopId, customerId: row.id } });
    expect(linkedOrders).toBe(store.orders.filter((order) => order.customerId === repeatBuyer.id).length);
  });

  it("remembers the day of the first seed, so later demo runs regenerate the same store", async () => {
    // given a shop seeded once
    const store = givenDemoStore(15);
    expect(await demoStoreAnchor(db, store.domain)).toBeNull();
    await seedDemoShop(db, store);
    const firstDay = new Date();
    firstDay.setUTCHours(0, 0, 0, 0);

    // when it is seeded again
    await seedDemoShop(db, store);

    // then the anchor is still the first run's day
    expect(await demoStoreAnchor(db, store.domain)).toEqual(firstDay);
  });
});
