// The KPI definitions on a shop small enough to count by hand: repeat purchase rate counts
// orders (customers with two orders or more / customers with one or more in the period), and
// the cohort matrix puts each customer in the month of their first purchase.
import { afterAll, describe, expect, it } from "vitest";

import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma, testDatabaseUrl } from "../../../test/helpers/test-database";
import { logger } from "../../lib/logger.server";
import { runShopAnalytics } from "./run-shop-analytics.server";
import { shopDay } from "./shop-day";

const db = createTestPrisma();
const deps = { db, logger, databaseUrl: testDatabaseUrl() };
const DAY_MS = 86_400_000;

afterAll(() => db.$disconnect());

describe("shop KPIs", () => {
  it("follow the usual e-commerce definitions, counted by hand", async () => {
    // Given a UTC shop and, relative to today (day 0), four customers' orders in minor units:
    //   A: 10 days ago, twice on that same day (20.00 + 30.00): one purchase day, two orders
    //   B: 5 days ago (40.00) and 50 days ago (60.00): a repeat buyer across the 30-day window
    //   C: 3 days ago (10.00), refunded 4.00
    //   D: 100 days ago (80.00), and a cancelled order 2 days ago that never counts
    const shop = await createTestShop(db, { ianaTimezone: "UTC" });
    const noon = (daysAgo: number) =>
      new Date(Date.parse(`${shopDay(new Date(), "UTC")}T12:00:00Z`) - daysAgo * DAY_MS);
    let orderNumber = 0;
    const customerWith = async (
      orders: { daysAgo: number; totalMinor: bigint; refundedMinor?: bigint; cancelled?: boolean }[],
    ) => {
      const customer = await db.customer.create({
        data: {
          shopId: shop.id,
          shopifyId: BigInt(7_000 + orderNumber),
          shopifyCreatedAt: noon(200),
          shopifyUpdatedAt: noon(0),
        },
      });
      for (const order of orders) {
        orderNumber++;
        await db.order.create({
          data: {
            shopId: shop.id,
            shopifyId: BigInt(9_000 + orderNumber),
            customerId: customer.id,
            name: `#${orderNumber}`,
            currencyCode: "USD",
            processedAt: noon(order.daysAgo),
            shopifyCreatedAt: noon(order.daysAgo),
            shopifyUpdatedAt: noon(order.daysAgo),
            cancelledAt: order.cancelled ? noon(order.daysAgo) : null,
            subtotalMinor: order.totalMinor,
            totalMinor: order.totalMinor,
            refundedMinor: order.refundedMinor ?? 0n,
          },
        });
      }
      return customer;
    };
    const a = await customerWith([
      { daysAgo: 10, totalMinor: 2_000n },
      { daysAgo: 10, totalMinor: 3_000n },
    ]);
    await customerWith([
      { daysAgo: 5, totalMinor: 4_000n },
      { daysAgo: 50, totalMinor: 6_000n },
    ]);
    await customerWith([{ daysAgo: 3, totalMinor: 1_000n, refundedMinor: 400n }]);
    await customerWith([
      { daysAgo: 100, totalMinor: 8_000n },
      { daysAgo: 2, totalMinor: 5_000n, cancelled: true },
    ]);

    // When the shop's analytics run
    const outcome = await runShopAnalytics(deps, shop.domain, "test");
    if (outcome.status !== "succeeded") throw new Error(`run ${outcome.status}`);
    const kpis = new Map(
      (await db.kpiSnapshot.findMany({ where: { runId: outcome.runId } })).map((k) => [k.period, k]),
    );

    // Then all time: 4 customers, A and B placed two orders or more, 6 counted orders
    expect(kpis.get("all_time")).toMatchObject({
      customers: 4,
      newCustomers: 4,
      returningCustomers: 2,
      orders: 6,
      revenueMinor: 23_600n,
      repeatPurchaseRate: 0.5,
      purchaseFrequency: 1.5,
      averageOrderValueMinor: 3_933n, // 236.00 / 6
      revenuePerCustomerMinor: 5_900n,
      churnRate: null,
    });
    // And the last 30 days: A, B, C bought; only A placed two orders in the window (B's other
    // order is older); B had bought before the window; D bought before it (31..60 days: B only)
    expect(kpis.get("last_30_days")).toMatchObject({
      customers: 3,
      newCustomers: 2,
      returningCustomers: 1,
      orders: 4,
      revenueMinor: 9_600n,
      repeatPurchaseRate: 1 / 3,
      purchaseFrequency: 4 / 3,
      averageOrderValueMinor: 2_400n,
      revenuePerCustomerMinor: 3_200n,
      churnRate: 0, // B, the only buyer of the 30 days before, bought again
    });
    // And A's two same-day orders are one purchase day for the models (frequency 0)
    const scoreOfA = await db.customerScore.findUniqueOrThrow({ where: { customerId: a.id } });
    expect(scoreOfA).toMatchObject({ purchaseDays: 1, frequency: 0, netSpentMinor: 5_000n });

    // And each customer sits in the cohort of their first purchase month, active in month 0
    const firstMonth = (daysAgo: number) => `${shopDay(noon(daysAgo), "UTC").slice(0, 7)}-01`;
    const cohorts = await db.cohortRetention.findMany({ where: { shopId: shop.id } });
    const cell = (c: (typeof cohorts)[number]) =>
      [c.cohortMonth.toISOString().slice(0, 10), c.monthOffset, c.cohortSize, c.activeCustomers].join(" ");
    const expected = new Map<string, number>();
    for (const daysAgo of [10, 50, 3, 100])
      expected.set(firstMonth(daysAgo), (expected.get(firstMonth(daysAgo)) ?? 0) + 1);
    const monthZero = cohorts.filter((c) => c.monthOffset === 0);
    expect(monthZero.map(cell).sort()).toEqual(
      [...expected].map(([month, size]) => `${month} 0 ${size} ${size}`).sort(),
    );
    // B (first bought 50 days ago) is active again in the month of 5 days ago
    const monthIndex = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7));
    const offset = monthIndex(firstMonth(5)) - monthIndex(firstMonth(50));
    const bCohort = cohorts.filter((c) => c.cohortMonth.toISOString().slice(0, 10) === firstMonth(50));
    expect(bCohort.map((c) => [c.monthOffset, c.activeCustomers])).toEqual([
      [0, 1],
      [offset, 1],
    ]);
  }, 60_000);
});
