// The home page's analytics read from real tables after real runs: figures agree with the rows
// counted independently, comparisons and flows respect their windows, a small shop shows the
// fallback, a shop without a run shows the queue, and no other shop's rows leak in.
import type { Prisma } from "@prisma/client";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { generateShopHistory } from "../../../scripts/bench/analytics/generate-shop-history";
import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma, testDatabaseUrl } from "../../../test/helpers/test-database";
import { createJobQueues } from "../../jobs/job-queues.server";
import { logger } from "../../lib/logger.server";
import { requestRecalculation } from "../analytics/analytics-jobs.server";
import { runShopAnalytics } from "../analytics/run-shop-analytics.server";
import { formatMoney } from "../money/money";
import { loadStoreOverviewCounts } from "../overview/store-overview.repository.server";
import { RFM_SEGMENTS } from "../rfm/rfm-segments";
import { loadAnalyticsDashboardRows } from "./analytics-dashboard.repository.server";
import { loadAnalyticsDashboard, loadRecalculationStatus } from "./analytics-dashboard.server";
import { CLV_OVERFLOW_BAND } from "./dashboard-format";

const db = createTestPrisma();
const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
const jobs = createJobQueues(redis, process.env.QUEUE_PREFIX!);
const deps = { db, logger, databaseUrl: testDatabaseUrl() };
const END = new Date(Date.now() - 86_400_000);

afterAll(async () => {
  const keys = await redis.keys(`${process.env.QUEUE_PREFIX}:*`);
  if (keys.length) await redis.del(...keys);
  await jobs.close();
  await redis.quit();
  await pool.end();
  await db.$disconnect();
});

async function shopWithRun(customers: number, orders: number, seed: number, currencyCode = "EUR") {
  const shop = await createTestShop(db, { currencyCode, ianaTimezone: "Europe/Paris" });
  const client = await pool.connect();
  try {
    await generateShopHistory(client, shop.id, { customers, orders, end: END, seed });
  } finally {
    client.release();
  }
  const outcome = await runShopAnalytics(deps, shop.domain, "test");
  if (outcome.status !== "succeeded") throw new Error(`run ${outcome.status}`);
  return { shop, runId: outcome.runId };
}

describe("analytics dashboard against real runs", () => {
  let shop: Awaited<ReturnType<typeof shopWithRun>>["shop"];
  let runId: number;

  beforeAll(async () => {
    ({ shop, runId } = await shopWithRun(400, 1_600, 11));
    // Another shop's run must not show up in this one's figures.
    await shopWithRun(120, 400, 12);
  }, 180_000);

  it("counts segments and stages exactly as the scores table holds them", async () => {
    // Given the scores counted independently with Prisma
    const bySegment = await db.customerScore.groupBy({
      by: ["rfmSegment"],
      where: { shopId: shop.id },
      _count: true,
      _sum: { netSpentMinor: true },
    });
    const byStage = await db.customerScore.groupBy({
      by: ["lifecycleStage"],
      where: { shopId: shop.id },
      _count: true,
    });
    // When the dashboard is read
    const rows = await loadAnalyticsDashboardRows(db, shop);
    const dashboard = (await loadAnalyticsDashboard({ db, jobs }, shop.domain))!;
    // Then every segment and stage count is the table's
    expect(rows.latestRun?.id).toBe(runId);
    expect(Object.fromEntries(rows.segments.map((row) => [row.key, row.customers]))).toEqual(
      Object.fromEntries(bySegment.map((row) => [row.rfmSegment, row._count])),
    );
    expect(new Map(rows.segments.map((row) => [row.key, row.netSpentMinor]))).toEqual(
      new Map(bySegment.map((row) => [row.rfmSegment, row._sum.netSpentMinor])),
    );
    const stageCounts = Object.fromEntries(byStage.map((row) => [row.lifecycleStage, row._count]));
    for (const stage of dashboard.latest!.lifecycle.stages) expect(stage.customers).toBe(stageCounts[stage.stage] ?? 0);
    const run = await db.analyticsRun.findUniqueOrThrow({ where: { id: runId } });
    expect(dashboard.latest!.customers).toBe(run.customersCount.toLocaleString("en-US"));
    expect(dashboard.latest!.segments.map((tile) => tile.segment)).toEqual([...RFM_SEGMENTS]);
    expect(dashboard.latest!.model.kind).toBe("fitted");
    expect(dashboard.latest!.clusters?.clusters.length).toBeGreaterThanOrEqual(2);
  });

  it("reads segments, stages and CLV bands from the run's summary, equal to grouping the scores live", async () => {
    // Given the dashboard rows as the run stored them
    const stored = await loadAnalyticsDashboardRows(db, shop);
    const summary = await db.analyticsRunSummary.findUniqueOrThrow({ where: { runId } });
    expect(stored.scoreFiguresFrom).toBe("run");
    expect(stored.scoresComputedAt).toEqual(summary.computedAt);
    // and the store totals the run counted are the home page's live counts
    const { customers, customersWithOrders, repeatCustomers, orders, netRevenueMinor } = summary;
    expect({ customers, customersWithOrders, repeatCustomers, orders, netRevenueMinor }).toEqual(
      await loadStoreOverviewCounts(db, shop.id),
    );
    // When the summary is gone (a run from before summaries), the same figures are grouped live
    await db.analyticsRunSummary.delete({ where: { runId } });
    try {
      const live = await loadAnalyticsDashboardRows(db, shop);
      const dashboard = (await loadAnalyticsDashboard({ db, jobs }, shop.domain))!;
      // Then both agree exactly: counts, net spend, CLV sums, bands, and the scores' time
      const byKey = (rows: typeof live.segments) => new Map(rows.map((row) => [row.key, row]));
      expect(live.scoreFiguresFrom).toBe("live");
      expect(dashboard.latest!.readLive).toBe(true);
      expect(byKey(stored.segments)).toEqual(byKey(live.segments));
      expect(byKey(stored.stages)).toEqual(byKey(live.stages));
      expect(stored.clvBands).toEqual(live.clvBands);
      expect(stored.scoresComputedAt).toEqual(live.scoresComputedAt);
    } finally {
      await db.analyticsRunSummary.create({ data: summary as Prisma.AnalyticsRunSummaryUncheckedCreateInput });
    }
    expect((await loadAnalyticsDashboard({ db, jobs }, shop.domain))!.latest!.readLive).toBe(false);
  });

  it("buckets CLV in SQL as the scores fall, and lists the ten highest CLVs", async () => {
    const scores = await db.customerScore.findMany({
      where: { shopId: shop.id, clvMinor: { not: null } },
      select: { customerId: true, clvMinor: true },
    });
    const rows = await loadAnalyticsDashboardRows(db, shop);
    const width = rows.clvBands.widthMinor;
    expect(width).toBeGreaterThan(0n);
    const expected = new Map<number, number>();
    for (const score of scores) {
      const clv = score.clvMinor! < 0n ? 0n : score.clvMinor!;
      const band = Math.min(Number(clv / width), CLV_OVERFLOW_BAND);
      expected.set(band, (expected.get(band) ?? 0) + 1);
    }
    expect(new Map(rows.clvBands.bands.map((band) => [band.band, band.customers]))).toEqual(expected);

    const top = [...scores]
      .sort((a, b) =>
        a.clvMinor! === b.clvMinor! ? Number(a.customerId - b.customerId) : a.clvMinor! > b.clvMinor! ? -1 : 1,
      )
      .slice(0, 10);
    expect(rows.topCustomers.map((row) => row.customerId)).toEqual(top.map((row) => row.customerId));
    const dashboard = (await loadAnalyticsDashboard({ db, jobs }, shop.domain))!;
    expect(dashboard.latest!.clv.topCustomers[0]!.clv).toBe(formatMoney(top[0]!.clvMinor!, "EUR"));
  });

  it("keeps the last 12 cohorts, offsets below 12", async () => {
    const months = await db.cohortRetention.findMany({
      where: { shopId: shop.id },
      distinct: ["cohortMonth"],
      orderBy: { cohortMonth: "desc" },
      take: 12,
    });
    const rows = await loadAnalyticsDashboardRows(db, shop);
    expect([...new Set(rows.cohorts.map((cell) => cell.cohortMonth))].sort()).toEqual(
      months.map((month) => month.cohortMonth.toISOString().slice(0, 10)).sort(),
    );
    expect(rows.cohorts.every((cell) => cell.monthOffset >= 0 && cell.monthOffset < 12)).toBe(true);
    const heatmap = (await loadAnalyticsDashboard({ db, jobs }, shop.domain))!.latest!.cohorts;
    expect(heatmap.rows).toHaveLength(12);
  });

  it("compares KPIs with an earlier run's snapshot of the period just before, never an overlapping one", async () => {
    // Given an earlier run whose 30 days end the day before this run's 30 days start, and a later
    // snapshot of that run overlapping this period
    const current = await db.kpiSnapshot.findFirstOrThrow({ where: { runId, period: "last_30_days" } });
    const earlier = await db.analyticsRun.create({
      data: {
        shopId: shop.id,
        trigger: "test",
        status: "succeeded",
        startedAt: new Date(Date.now() - 31 * 86_400_000),
        finishedAt: new Date(Date.now() - 31 * 86_400_000),
      },
    });
    const dayBefore = new Date(current.periodStart!.getTime() - 86_400_000);
    const base = { ...current, id: undefined, runId: earlier.id, revenueShareBySegment: {} };
    await db.kpiSnapshot.create({
      data: {
        ...base,
        periodStart: new Date(dayBefore.getTime() - 29 * 86_400_000),
        periodEnd: dayBefore,
        customers: current.customers * 2,
      },
    });
    await db.kpiSnapshot.create({
      data: { ...base, period: "last_90_days", periodEnd: current.periodEnd, customers: 1 },
    });
    // When the dashboard is read
    const rows = await loadAnalyticsDashboardRows(db, shop);
    const dashboard = (await loadAnalyticsDashboard({ db, jobs }, shop.domain))!;
    // Then only the 30-day figures have a comparison: half as many customers as before
    expect(rows.previousKpis.map((row) => [row.period, row.periodEnd])).toEqual([["last_30_days", dayBefore]]);
    const recent = dashboard.latest!.kpis.find((period) => period.period === "last_30_days")!;
    expect(recent.cards.find((card) => card.key === "customers")!.change?.label).toBe("−50%");
    const ninety = dashboard.latest!.kpis.find((period) => period.period === "last_90_days")!;
    expect(ninety.cards.every((card) => card.change === null)).toBe(true);
  });

  it("counts stage moves of the last 30 days only", async () => {
    const [a, b] = await db.customerScore.findMany({ where: { shopId: shop.id }, take: 2 });
    const move = (customerId: bigint, daysAgo: number, from: string, to: string) =>
      db.lifecycleTransition.create({
        data: {
          shopId: shop.id,
          customerId,
          fromStage: from,
          toStage: to,
          at: new Date(Date.now() - daysAgo * 86_400_000),
        },
      });
    const before = (await loadAnalyticsDashboardRows(db, shop)).flows;
    await move(a!.customerId, 2, "growing", "loyal");
    await move(b!.customerId, 3, "growing", "loyal");
    await move(b!.customerId, 45, "new", "growing");
    const after = (await loadAnalyticsDashboardRows(db, shop)).flows;
    const count = (flows: typeof before, from: string, to: string) =>
      flows.find((flow) => flow.from === from && flow.to === to)?.customers ?? 0;
    expect(count(after, "growing", "loyal")).toBe(count(before, "growing", "loyal") + 2);
    expect(count(after, "new", "growing")).toBe(count(before, "new", "growing"));
  });
});

describe("analytics dashboard before and without a fitted model", () => {
  it("shows a shop with too few repeat customers the fallback, with no CLV bands", async () => {
    const { shop } = await shopWithRun(40, 45, 5, "USD");
    const dashboard = (await loadAnalyticsDashboard({ db, jobs }, shop.domain))!;
    expect(dashboard.latest!.model).toMatchObject({
      kind: "fallback",
      reason: expect.stringContaining("repeat customers"),
    });
    expect(dashboard.latest!.clv.bands).toEqual([]);
    expect(dashboard.latest!.clv.topCustomers).toEqual([]);
    expect(dashboard.latest!.segments.reduce((sum, tile) => sum + Number(tile.customers), 0)).toBeGreaterThan(0);
  }, 60_000);

  it("shows no figures before the first run, then the queued and running recalculation", async () => {
    // Given a shop that never ran
    const shop = await createTestShop(db);
    expect(await loadAnalyticsDashboard({ db, jobs }, shop.domain)).toEqual({
      recalculation: { state: "idle", percent: 0, phase: "", startedAt: null },
      lastFailure: null,
      latest: null,
    });
    // When the merchant asks for a run, it waits in the queue (no worker here)
    await requestRecalculation(jobs, shop.domain);
    expect((await loadAnalyticsDashboard({ db, jobs }, shop.domain))!.recalculation.state).toBe("queued");
    expect(await loadRecalculationStatus({ db, jobs }, shop.domain)).toMatchObject({ state: "queued", percent: 0 });
    // And once a worker started it, its progress shows
    await db.analyticsRun.create({
      data: { shopId: shop.id, trigger: "merchant", status: "running", progress: 45, phase: "model_fit" },
    });
    expect((await loadAnalyticsDashboard({ db, jobs }, shop.domain))!.recalculation).toMatchObject({
      state: "running",
      percent: 45,
      phase: "Models fitted",
    });
    expect(await loadRecalculationStatus({ db, jobs }, shop.domain)).toMatchObject({ state: "running", percent: 45 });
    expect(await loadAnalyticsDashboard({ db, jobs }, "unknown.myshopify.com")).toBeNull();
    expect(await loadRecalculationStatus({ db, jobs }, "unknown.myshopify.com")).toBeNull();
  });
});
