import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "../../db.server";
import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { recomputeCustomerAggregates } from "./customer-aggregates.repository.server";

let db: PrismaClient;
const shopIds: number[] = [];

beforeAll(() => {
  db = createTestPrisma();
});

afterAll(async () => {
  await db.shop.deleteMany({ where: { id: { in: shopIds } } });
  await db.$disconnect();
});

const at = (iso: string) => new Date(iso);

async function givenShop() {
  const shop = await createTestShop(db);
  shopIds.push(shop.id);
  return shop;
}

async function givenCustomer(
  shopId: number,
  shopifyId: bigint,
  stale: { ordersCount?: number; netSpentMinor?: bigint } = {},
) {
  return db.customer.create({
    data: {
      shopId,
      shopifyId,
      firstName: `Customer ${shopifyId}`,
      shopifyCreatedAt: at("2025-01-01T00:00:00Z"),
      shopifyUpdatedAt: at("2025-01-01T00:00:00Z"),
      ...stale,
    },
  });
}

async function givenOrder(
  shopId: number,
  order: {
    shopifyId: bigint;
    customerShopifyId: bigint | null;
    customerId?: bigint;
    sourceName: string;
    processedAt: string;
    totalMinor: bigint;
    refundedMinor?: bigint;
    cancelledAt?: string;
  },
) {
  return db.order.create({
    data: {
      shopId,
      shopifyId: order.shopifyId,
      customerShopifyId: order.customerShopifyId,
      customerId: order.customerId ?? null,
      name: `#${order.shopifyId}`,
      currencyCode: "USD",
      sourceName: order.sourceName,
      processedAt: at(order.processedAt),
      shopifyCreatedAt: at(order.processedAt),
      shopifyUpdatedAt: at(order.processedAt),
      cancelledAt: order.cancelledAt ? at(order.cancelledAt) : null,
      subtotalMinor: order.totalMinor,
      totalMinor: order.totalMinor,
      refundedMinor: order.refundedMinor ?? 0n,
    },
  });
}

function figuresOf(customer: {
  ordersCount: number;
  grossSpentMinor: bigint;
  netSpentMinor: bigint;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  channels: string[];
}) {
  return {
    ordersCount: customer.ordersCount,
    grossSpentMinor: customer.grossSpentMinor,
    netSpentMinor: customer.netSpentMinor,
    firstOrderAt: customer.firstOrderAt?.toISOString() ?? null,
    lastOrderAt: customer.lastOrderAt?.toISOString() ?? null,
    channels: customer.channels,
  };
}

describe("recomputeCustomerAggregates", () => {
  it("counts non-cancelled orders, spend net of refunds, order dates and channels", async () => {
    // given a shop where Alice has two orders (one partly refunded) and a cancelled one,
    const shop = await givenShop();
    const alice = await givenCustomer(shop.id, 101n);
    await givenOrder(shop.id, {
      shopifyId: 1n,
      customerShopifyId: 101n,
      customerId: alice.id,
      sourceName: "web",
      processedAt: "2025-01-10T15:00:00Z",
      totalMinor: 5000n,
    });
    await givenOrder(shop.id, {
      shopifyId: 2n,
      customerShopifyId: 101n,
      customerId: alice.id,
      sourceName: "pos",
      processedAt: "2025-03-01T12:30:00Z",
      totalMinor: 3000n,
      refundedMinor: 1200n,
    });
    await givenOrder(shop.id, {
      shopifyId: 3n,
      customerShopifyId: 101n,
      customerId: alice.id,
      sourceName: "iphone",
      processedAt: "2025-04-01T09:00:00Z",
      totalMinor: 9999n,
      refundedMinor: 9999n,
      cancelledAt: "2025-04-02T09:00:00Z",
    });
    // Bob has no orders but stale figures, Carol's order arrived before Carol did,
    const bob = await givenCustomer(shop.id, 102n, { ordersCount: 4, netSpentMinor: 12_345n });
    await givenOrder(shop.id, {
      shopifyId: 4n,
      customerShopifyId: 103n,
      sourceName: "web",
      processedAt: "2025-02-14T20:00:00Z",
      totalMinor: 2500n,
    });
    const carol = await givenCustomer(shop.id, 103n);
    // a guest bought without an account,
    const guestOrder = await givenOrder(shop.id, {
      shopifyId: 5n,
      customerShopifyId: null,
      sourceName: "web",
      processedAt: "2025-02-20T10:00:00Z",
      totalMinor: 800n,
    });
    // and another shop has a customer with Alice's Shopify id and an unlinked order of its own
    const otherShop = await givenShop();
    const otherCustomer = await givenCustomer(otherShop.id, 101n, { ordersCount: 7, netSpentMinor: 777n });
    const otherOrder = await givenOrder(otherShop.id, {
      shopifyId: 1n,
      customerShopifyId: 101n,
      sourceName: "web",
      processedAt: "2025-01-01T10:00:00Z",
      totalMinor: 100n,
    });

    // when recomputing the shop's customers
    const updated = await recomputeCustomerAggregates(db, shop.id);

    // then each customer's figures follow the rules
    expect(updated).toBe(3);
    const byId = async (id: bigint) => figuresOf(await db.customer.findUniqueOrThrow({ where: { id } }));
    expect(await byId(alice.id)).toEqual({
      ordersCount: 2,
      grossSpentMinor: 8000n,
      netSpentMinor: 6800n,
      firstOrderAt: "2025-01-10T15:00:00.000Z",
      lastOrderAt: "2025-03-01T12:30:00.000Z",
      channels: ["pos", "web"],
    });
    expect(await byId(bob.id)).toEqual({
      ordersCount: 0,
      grossSpentMinor: 0n,
      netSpentMinor: 0n,
      firstOrderAt: null,
      lastOrderAt: null,
      channels: [],
    });
    expect(await byId(carol.id)).toEqual({
      ordersCount: 1,
      grossSpentMinor: 2500n,
      netSpentMinor: 2500n,
      firstOrderAt: "2025-02-14T20:00:00.000Z",
      lastOrderAt: "2025-02-14T20:00:00.000Z",
      channels: ["web"],
    });
    // and Carol's early order is now hers, while the guest order stays a guest's
    expect((await db.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: 4n } })).customerId).toBe(carol.id);
    expect((await db.order.findUniqueOrThrow({ where: { id: guestOrder.id } })).customerId).toBeNull();
    // and the other shop is untouched
    expect(await db.customer.findUniqueOrThrow({ where: { id: otherCustomer.id } })).toEqual(otherCustomer);
    expect(await db.order.findUniqueOrThrow({ where: { id: otherOrder.id } })).toEqual(otherOrder);
  });

  it("recomputes only the customers asked for, and writes nothing when nothing changed", async () => {
    // given two customers with stale figures and an order each
    const shop = await givenShop();
    const dana = await givenCustomer(shop.id, 201n, { ordersCount: 9 });
    const eli = await givenCustomer(shop.id, 202n, { ordersCount: 9 });
    await givenOrder(shop.id, {
      shopifyId: 11n,
      customerShopifyId: 201n,
      sourceName: "android",
      processedAt: "2025-05-05T05:05:05Z",
      totalMinor: 1500n,
    });
    await givenOrder(shop.id, {
      shopifyId: 12n,
      customerShopifyId: 202n,
      sourceName: "web",
      processedAt: "2025-05-06T06:06:06Z",
      totalMinor: 1700n,
    });

    // when recomputing Dana only, twice
    const first = await recomputeCustomerAggregates(db, shop.id, [dana.id]);
    const danaAfterFirst = await db.customer.findUniqueOrThrow({ where: { id: dana.id } });
    const second = await recomputeCustomerAggregates(db, shop.id, [dana.id]);

    // then Dana is recomputed once and Eli, and Eli's order, are left as they were
    expect([first, second]).toEqual([1, 0]);
    expect(danaAfterFirst).toMatchObject({ ordersCount: 1, netSpentMinor: 1500n, channels: ["android"] });
    expect(await db.customer.findUniqueOrThrow({ where: { id: dana.id } })).toEqual(danaAfterFirst);
    expect(await db.customer.findUniqueOrThrow({ where: { id: eli.id } })).toEqual(eli);
    expect((await db.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: 12n } })).customerId).toBeNull();
    expect(await recomputeCustomerAggregates(db, shop.id, [])).toBe(0);
  });
});
