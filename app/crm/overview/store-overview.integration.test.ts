// The home page's figures against real rows: cancelled orders count for nothing,
// refunds come off revenue, other shops never leak in.
import { afterAll, describe, expect, it } from "vitest";

import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma } from "../../../test/helpers/test-database";
import type { PrismaClient } from "../../db.server";
import { loadHomePage } from "./home-page.server";
import { LIVE_COUNT_LIMIT } from "./store-overview";
import { loadStoreOverviewCounts, probeStoreSize } from "./store-overview.repository.server";

const db = createTestPrisma();
afterAll(() => db.$disconnect());

let nextId = 1n;
async function customer(db: PrismaClient, shopId: number, ordersCount: number) {
  return db.customer.create({
    data: { shopId, shopifyId: nextId++, shopifyCreatedAt: new Date(), shopifyUpdatedAt: new Date(), ordersCount },
  });
}
async function order(
  db: PrismaClient,
  shopId: number,
  total: bigint,
  extra: { refunded?: bigint; cancelled?: boolean } = {},
) {
  const at = new Date("2026-11-01T10:00:00Z");
  return db.order.create({
    data: {
      shopId,
      shopifyId: nextId++,
      name: `#${nextId}`,
      currencyCode: "EUR",
      processedAt: at,
      shopifyCreatedAt: at,
      shopifyUpdatedAt: at,
      subtotalMinor: total,
      totalMinor: total,
      refundedMinor: extra.refunded ?? 0n,
      cancelledAt: extra.cancelled ? at : null,
    },
  });
}

/** A finished run of the shop with stored totals (the figures are not read by the home page). */
async function runTotals(
  shopId: number,
  totals: Partial<{
    customers: number;
    customersWithOrders: number;
    repeatCustomers: number;
    orders: number;
    netRevenueMinor: bigint;
    computedAt: Date;
  }>,
) {
  const computedAt = totals.computedAt ?? new Date();
  const run = await db.analyticsRun.create({
    data: { shopId, trigger: "test", status: "succeeded", startedAt: computedAt, finishedAt: computedAt },
  });
  await db.analyticsRunSummary.create({
    data: {
      runId: run.id,
      shopId,
      customersWithOrders: 0,
      repeatCustomers: 0,
      orders: 0,
      netRevenueMinor: 0n,
      customers: 0,
      figures: {},
      ...totals,
      computedAt,
    },
  });
}

describe("store overview", () => {
  it("counts customers, orders, net revenue and the repeat share of one shop exactly", async () => {
    // Given a shop with a repeat buyer, a one-time buyer, a browser, a refund and a cancellation
    const shop = await createTestShop(db, { currencyCode: "EUR", ianaTimezone: "Europe/Paris" });
    const other = await createTestShop(db);
    await customer(db, shop.id, 3);
    await customer(db, shop.id, 1);
    await customer(db, shop.id, 0);
    await customer(db, other.id, 5);
    await order(db, shop.id, 1999n);
    await order(db, shop.id, 1001n, { refunded: 500n });
    await order(db, shop.id, 99999n, { cancelled: true });
    await order(db, other.id, 123456n);
    await db.syncRun.create({
      data: {
        shopId: shop.id,
        kind: "history_import",
        status: "succeeded",
        customersCount: 3,
        ordersCount: 3,
        startedAt: new Date("2026-11-20T23:30:00Z"),
        finishedAt: new Date("2026-11-20T23:45:00Z"),
      },
    });

    // When the figures are loaded
    const counts = await loadStoreOverviewCounts(db, shop.id);
    const page = await loadHomePage(db, shop.domain);

    // Then they are exact and in the shop's currency and time zone
    expect(counts).toEqual({
      customers: 3,
      customersWithOrders: 2,
      repeatCustomers: 1,
      orders: 2,
      netRevenueMinor: 2500n,
    });
    expect(page?.figures).toEqual({ customers: "3", orders: "2", netRevenue: "€25.00", repeatCustomerShare: "50%" });
    expect(page?.figuresCounted).toEqual({ by: "live" });
    expect(page?.lastSync).toMatchObject({
      kind: "history_import",
      status: "succeeded",
      finishedAt: "Nov 21, 2026, 12:45 AM GMT+1",
    });
  });

  it("shows an empty shop as zeros with no repeat share", async () => {
    const shop = await createTestShop(db);
    const page = await loadHomePage(db, shop.domain);
    expect(page?.figures).toEqual({ customers: "0", orders: "0", netRevenue: "$0.00", repeatCustomerShare: "–" });
    expect(page?.lastSync).toBeNull();
    expect(await loadHomePage(db, "unknown.myshopify.com")).toBeNull();
  });

  it("counts a small store live even when a run stored older totals", async () => {
    // Given a small shop whose last run counted one customer, and a second customer since
    const shop = await createTestShop(db);
    await customer(db, shop.id, 1);
    await runTotals(shop.id, { customers: 1 });
    await customer(db, shop.id, 0);
    // When the home page is loaded, Then it shows today's count
    const page = await loadHomePage(db, shop.domain);
    expect(page?.figures.customers).toBe("2");
    expect(page?.figuresCounted).toEqual({ by: "live" });
  });

  it("shows a large store's figures as its last run counted them, and none before a run counted them", async () => {
    // Given a shop with more customers than are counted live, and no run yet
    const shop = await createTestShop(db, { currencyCode: "EUR", ianaTimezone: "Europe/Paris" });
    await db.$executeRaw`
      INSERT INTO customers (shop_id, shopify_id, shopify_created_at, shopify_updated_at, updated_at)
      SELECT ${shop.id}, n, now(), now(), now() FROM generate_series(1, ${LIVE_COUNT_LIMIT + 1}) AS n`;
    expect(await probeStoreSize(db, shop.id, LIVE_COUNT_LIMIT)).toEqual({ customers: LIVE_COUNT_LIMIT + 1, orders: 0 });
    // When the home page is loaded, Then it counts nothing live and says the first run will
    const before = await loadHomePage(db, shop.domain);
    expect(before?.figures).toEqual({ customers: "–", orders: "–", netRevenue: "–", repeatCustomerShare: "–" });
    expect(before?.figuresCounted).toEqual({ by: "next_run", limit: "50,000" });
    // And once a run stored its totals, those show, with when they were counted
    await runTotals(shop.id, {
      customers: 1_000_000,
      customersWithOrders: 800_000,
      repeatCustomers: 200_000,
      orders: 5_000_000,
      netRevenueMinor: 123_456_789_01n,
      computedAt: new Date("2026-11-20T02:00:00Z"),
    });
    const after = await loadHomePage(db, shop.domain);
    expect(after?.figures).toEqual({
      customers: "1,000,000",
      orders: "5,000,000",
      netRevenue: "€123,456,789.01",
      repeatCustomerShare: "25%",
    });
    expect(after?.figuresCounted).toEqual({ by: "run", at: "Nov 20, 2026, 3:00 AM GMT+1" });
  });
});
