// The home page's figures against real rows: cancelled orders count for nothing,
// refunds come off revenue, other shops never leak in.
import { afterAll, describe, expect, it } from "vitest";

import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma } from "../../../test/helpers/test-database";
import type { PrismaClient } from "../../db.server";
import { loadHomePage } from "./home-page.server";
import { loadStoreOverviewCounts } from "./store-overview.repository.server";

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
});
