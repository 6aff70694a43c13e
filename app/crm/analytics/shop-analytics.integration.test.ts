// Whole-shop analytics runs against real PostgreSQL: SQL RFM scores agree with the pure
// definition, a run writes every table, a second run records only changed stages, a small shop
// falls back, and one shop's run leaves another shop's rows alone.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { generateShopHistory } from "../../../scripts/bench/analytics/generate-shop-history";
import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma, testDatabaseUrl } from "../../../test/helpers/test-database";
import { logger } from "../../lib/logger.server";
import { calendarDayNumber } from "../clv/purchase-summary";
import { eraseShop } from "../privacy/privacy-inbox.repository.server";
import { LIFECYCLE_STAGES } from "../lifecycle/lifecycle-stage";
import { quintileScores, scoreThresholds } from "../rfm/rfm-scores";
import { RFM_SEGMENTS, rfmSegment } from "../rfm/rfm-segments";
import { ANALYTICS_PHASES, runShopAnalytics } from "./run-shop-analytics.server";
import { shopDay } from "./shop-day";

const db = createTestPrisma();
const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
const deps = { db, logger, databaseUrl: testDatabaseUrl() };
const END = new Date(Date.now() - 86_400_000);

afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

async function generatedShop(customers: number, orders: number, ianaTimezone = "America/New_York", seed = 7) {
  const shop = await createTestShop(db, { ianaTimezone });
  const client = await pool.connect();
  try {
    await generateShopHistory(client, shop.id, { customers, orders, end: END, seed });
  } finally {
    client.release();
  }
  return shop;
}

/** RFM values recomputed in JS from the orders: purchase days in the shop's zone, net spend. */
async function rfmValuesFromOrders(shopId: number, timeZone: string) {
  const orders = await db.order.findMany({
    where: { shopId, cancelledAt: null, customerId: { not: null } },
    select: { customerId: true, processedAt: true, totalMinor: true, refundedMinor: true },
  });
  const dayOf = calendarDayNumber(timeZone);
  const today = Math.floor(Date.parse(`${shopDay(new Date(), timeZone)}T00:00:00Z`) / 86_400_000);
  const days = new Map<string, Map<number, { amount: number; orders: number }>>();
  for (const order of orders) {
    const id = order.customerId!.toString();
    const perDay = days.get(id) ?? new Map<number, { amount: number; orders: number }>();
    days.set(id, perDay);
    const day = dayOf(order.processedAt);
    const sum = perDay.get(day) ?? { amount: 0, orders: 0 };
    perDay.set(day, { amount: sum.amount + Number(order.totalMinor - order.refundedMinor), orders: sum.orders + 1 });
  }
  return [...days].map(([customerId, perDay]) => ({
    customerId,
    recencyDays: today - Math.max(...perDay.keys()),
    purchaseDays: perDay.size,
    netSpentMinor: [...perDay.values()].reduce((sum, day) => sum + Math.max(0, day.amount), 0),
    /** Days before the run's day of each purchase day, with its figures. */
    daysAgo: [...perDay].map(([day, figures]) => ({ ago: today - day, ...figures })),
  }));
}

describe("shop analytics run", () => {
  let shop: Awaited<ReturnType<typeof generatedShop>>;
  let firstRunId: number;

  beforeAll(async () => {
    shop = await generatedShop(600, 2_400);
    const outcome = await runShopAnalytics(deps, shop.domain, "test");
    if (outcome.status !== "succeeded") throw new Error(`run ${outcome.status}`);
    firstRunId = outcome.runId;
  }, 120_000);

  it("scores R, F and M in SQL exactly as the pure quintile definition does", async () => {
    // Given the RFM values recomputed from the orders in JS
    const expected = await rfmValuesFromOrders(shop.id, shop.ianaTimezone);
    const scores = await db.customerScore.findMany({ where: { shopId: shop.id } });
    const byId = new Map(scores.map((row) => [row.customerId.toString(), row]));
    expect(scores).toHaveLength(expected.length);

    // Then the stored values are those values, and the scores are quintileScores of them
    const r = quintileScores(
      expected.map((c) => c.recencyDays),
      false,
    );
    const f = quintileScores(
      expected.map((c) => c.purchaseDays),
      true,
    );
    const m = quintileScores(
      expected.map((c) => c.netSpentMinor),
      true,
    );
    expected.forEach((customer, i) => {
      const row = byId.get(customer.customerId)!;
      expect([row.recencyDays, row.purchaseDays, Number(row.netSpentMinor)]).toEqual([
        customer.recencyDays,
        customer.purchaseDays,
        customer.netSpentMinor,
      ]);
      expect([row.rScore, row.fScore, row.mScore]).toEqual([r[i], f[i], m[i]]);
      expect(row.rfmSegment).toBe(rfmSegment({ recency: r[i]!, frequency: f[i]!, monetary: m[i]! }));
    });
    // And the run's thresholds are scoreThresholds of the same values
    const run = await db.analyticsRun.findUniqueOrThrow({ where: { id: firstRunId } });
    expect(run.rfmThresholds).toEqual({
      recency: scoreThresholds(
        expected.map((c) => c.recencyDays),
        false,
      ),
      frequency: scoreThresholds(
        expected.map((c) => c.purchaseDays),
        true,
      ),
      monetary: scoreThresholds(
        expected.map((c) => c.netSpentMinor),
        true,
      ),
    });
  });

  it("writes predictions, segments, clusters, lifecycle, KPIs, cohorts and the fit", async () => {
    // Customers whose only orders were cancelled have no purchase, hence no scores.
    const buyers = (await rfmValuesFromOrders(shop.id, shop.ianaTimezone)).length;
    expect(buyers).toBeGreaterThan(580);
    const run = await db.analyticsRun.findUniqueOrThrow({ where: { id: firstRunId } });
    expect(run).toMatchObject({ status: "succeeded", progress: 100, customersCount: buyers });
    expect(run.ordersCount).toBeGreaterThan(2_000);
    const fit = run.modelFit as { kind: string; bgNbd: Record<string, number> };
    expect(fit.kind).toBe("fitted");
    for (const key of ["r", "alpha", "a", "b", "logLikelihood"]) expect(Number.isFinite(fit.bgNbd[key])).toBe(true);
    expect(Object.keys(run.phaseDurations as object).sort()).toEqual([...ANALYTICS_PHASES].sort());

    const scores = await db.customerScore.findMany({ where: { shopId: shop.id } });
    for (const row of scores) {
      expect(RFM_SEGMENTS).toContain(row.rfmSegment);
      expect(LIFECYCLE_STAGES).toContain(row.lifecycleStage);
      expect(row.pAlive).toBeGreaterThan(0);
      expect(row.pAlive).toBeLessThanOrEqual(1);
      expect(row.clvMinor).not.toBeNull();
      expect(row.cluster).not.toBeNull();
      expect(row.runId).toBe(firstRunId);
    }
    const clusters = run.clusters as { centroids: { size: number }[] };
    expect(clusters.centroids.reduce((sum, c) => sum + c.size, 0)).toBe(buyers);

    const kpis = await db.kpiSnapshot.findMany({ where: { runId: firstRunId } });
    const allTime = kpis.find((k) => k.period === "all_time")!;
    expect(kpis.map((k) => k.period).sort()).toEqual(["all_time", "last_30_days", "last_365_days", "last_90_days"]);
    expect(allTime.customers).toBe(buyers);
    expect(allTime.orders).toBe(run.ordersCount);
    const ordersOf = (c: { daysAgo: { orders: number }[] }) => c.daysAgo.reduce((sum, d) => sum + d.orders, 0);
    const repeat = (await rfmValuesFromOrders(shop.id, shop.ianaTimezone)).filter((c) => ordersOf(c) >= 2).length;
    expect(allTime.repeatPurchaseRate).toBeCloseTo(repeat / buyers, 10);
    const revenue = scores.reduce((sum, row) => sum + row.netSpentMinor, 0n);
    expect(allTime.revenueMinor).toBe(revenue);
    const shares = Object.values(allTime.revenueShareBySegment as Record<string, number>);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(allTime.totalClvMinor).toBe(scores.reduce((sum, row) => sum + (row.clvMinor ?? 0n), 0n));

    // The last 90 days, recomputed from the orders
    const values = await rfmValuesFromOrders(shop.id, shop.ianaTimezone);
    const inWindow = (ago: number) => ago < 90;
    const active = values.filter((c) => c.daysAgo.some((d) => inWindow(d.ago)));
    const windowDays = values.flatMap((c) => c.daysAgo.filter((d) => inWindow(d.ago)));
    const last90 = kpis.find((k) => k.period === "last_90_days")!;
    expect(last90).toMatchObject({
      customers: active.length,
      newCustomers: values.filter((c) => c.daysAgo.every((d) => inWindow(d.ago))).length,
      orders: windowDays.reduce((sum, d) => sum + d.orders, 0),
      revenueMinor: BigInt(windowDays.reduce((sum, d) => sum + Math.max(0, d.amount), 0)),
    });
    const before = values.filter((c) => c.daysAgo.some((d) => d.ago >= 90 && d.ago < 180));
    expect(last90.churnRate).toBeCloseTo(
      before.filter((c) => !c.daysAgo.some((d) => inWindow(d.ago))).length / before.length,
      12,
    );

    const cohorts = await db.cohortRetention.findMany({ where: { shopId: shop.id, monthOffset: 0 } });
    // Month 0 of each cohort is the whole cohort, and the cohorts add up to every customer.
    for (const cell of cohorts) expect(cell.activeCustomers).toBe(cell.cohortSize);
    expect(cohorts.reduce((sum, cell) => sum + cell.cohortSize, 0)).toBe(buyers);
  });

  it("records as transitions exactly the stages a second run changed", async () => {
    // Given the stages after the first run, and churned customers who buy again today
    const before = new Map(
      (await db.customerScore.findMany({ where: { shopId: shop.id } })).map((r) => [r.customerId, r.lifecycleStage]),
    );
    const churned = [...before].filter(([, stage]) => stage === "churned").slice(0, 3);
    expect(churned.length).toBeGreaterThan(0);
    for (const [customerId] of churned) {
      await db.order.create({
        data: {
          shopId: shop.id,
          shopifyId: BigInt(9_000_000_000) + customerId,
          customerId,
          name: "#again",
          currencyCode: "USD",
          processedAt: new Date(),
          shopifyCreatedAt: new Date(),
          shopifyUpdatedAt: new Date(),
          subtotalMinor: 2_500n,
          totalMinor: 2_500n,
        },
      });
    }

    // And a customer whose orders were all cancelled since
    const [gone] = [...before].find(([id]) => !churned.some(([c]) => c === id))!;
    await db.order.updateMany({ where: { customerId: gone }, data: { cancelledAt: new Date() } });

    // When the shop is run again
    const second = await runShopAnalytics(deps, shop.domain, "test");
    if (second.status !== "succeeded") throw new Error("second run skipped");

    // Then each changed stage, and only those, is one transition of that run
    const after = await db.customerScore.findMany({ where: { shopId: shop.id } });
    const changed = after
      .filter((row) => before.get(row.customerId) !== row.lifecycleStage)
      .map((row) => ({
        customerId: row.customerId,
        fromStage: before.get(row.customerId),
        toStage: row.lifecycleStage,
      }));
    const transitions = await db.lifecycleTransition.findMany({
      where: { shopId: shop.id },
      select: { customerId: true, fromStage: true, toStage: true, runId: true },
    });
    expect(transitions.every((t) => t.runId === second.runId)).toBe(true);
    const key = (t: { customerId: bigint }) => t.customerId.toString();
    expect(
      transitions
        .map(({ customerId, fromStage, toStage }) => ({ customerId, fromStage, toStage }))
        .sort((a, b) => key(a).localeCompare(key(b))),
    ).toEqual(changed.sort((a, b) => key(a).localeCompare(key(b))));
    for (const [customerId] of churned) expect(changed.map((c) => c.customerId)).toContain(customerId);
    // And the customer without a counted order has no scores any more
    expect(after.map((row) => row.customerId)).not.toContain(gone);
    expect(after).toHaveLength(before.size - 1);
    const run = await db.analyticsRun.findUniqueOrThrow({ where: { id: second.runId } });
    expect(run.transitionsCount).toBe(changed.length);
  }, 60_000);
});

describe("a shop with too few repeat customers", () => {
  it("falls back: no model figures, churn risk unknown, RFM and lifecycle still there", async () => {
    // Given 40 customers of whom only a handful bought twice
    const shop = await generatedShop(40, 45);
    // When it is run
    const outcome = await runShopAnalytics(deps, shop.domain, "test");
    if (outcome.status !== "succeeded") throw new Error("skipped");
    // Then the run says why, and customers get no model figures
    const run = await db.analyticsRun.findUniqueOrThrow({ where: { id: outcome.runId } });
    expect(run.modelFit).toMatchObject({ kind: "fallback", reason: expect.stringContaining("repeat customers") });
    const scores = await db.customerScore.findMany({ where: { shopId: shop.id } });
    expect(scores).toHaveLength((await rfmValuesFromOrders(shop.id, shop.ianaTimezone)).length);
    for (const row of scores) {
      expect(row).toMatchObject({ pAlive: null, churnRisk: "unknown", clvMinor: null, expectedPurchases30: null });
      expect(row.lifecycleStage).not.toBeNull();
      expect(RFM_SEGMENTS).toContain(row.rfmSegment);
    }
  }, 60_000);
});

describe("shop isolation", () => {
  it("leaves another shop's scores, KPIs, cohorts and runs untouched", async () => {
    // Given two shops, both run once
    const [a, b] = [await generatedShop(120, 400, "UTC", 1), await generatedShop(150, 500, "Europe/Paris", 2)];
    await runShopAnalytics(deps, a.domain, "test");
    await runShopAnalytics(deps, b.domain, "test");
    const snapshot = async () => ({
      scores: await db.customerScore.findMany({ where: { shopId: b.id }, orderBy: { customerId: "asc" } }),
      kpis: await db.kpiSnapshot.findMany({ where: { shopId: b.id }, orderBy: { id: "asc" } }),
      cohorts: await db.cohortRetention.findMany({ where: { shopId: b.id } }),
      runs: await db.analyticsRun.findMany({ where: { shopId: b.id } }),
    });
    const before = await snapshot();
    expect(before.scores.length).toBeGreaterThan(140);

    // When shop A runs again
    await runShopAnalytics(deps, a.domain, "test");

    // Then nothing of shop B changed
    expect(await snapshot()).toEqual(before);
    expect(await db.customerScore.count({ where: { shopId: a.id } })).toBe(
      (await rfmValuesFromOrders(a.id, a.ianaTimezone)).length,
    );

    // And shop/redact of A erases all of A's analytics, and only A's
    await eraseShop(db, a.domain);
    const where = { where: { shopId: a.id } };
    const left = await Promise.all([
      db.customerScore.count(where),
      db.analyticsRun.count(where),
      db.kpiSnapshot.count(where),
      db.cohortRetention.count(where),
      db.lifecycleTransition.count(where),
    ]);
    expect(left).toEqual([0, 0, 0, 0, 0]);
    expect(await snapshot()).toEqual(before);
  }, 60_000);
});
