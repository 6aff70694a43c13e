import { describe, expect, it } from "vitest";

import { RFM_SEGMENTS } from "../rfm/rfm-segments";
import { buildAnalyticsDashboard, type AnalyticsRunRow, type DashboardRows } from "./analytics-dashboard";
import { cohortHeatmap, heatLevel } from "./cohort-heatmap";
import { clvBandWidthMinor, formatWholeMoney } from "./dashboard-format";
import type { KpiSnapshotRow } from "./kpi-cards";

const SHOP = { currencyCode: "EUR", timeZone: "Europe/Paris" };
const FINISHED = new Date("2026-11-20T02:00:30Z");

function run(overrides: Partial<AnalyticsRunRow> = {}): AnalyticsRunRow {
  return {
    id: 7,
    trigger: "nightly",
    status: "succeeded",
    progress: 100,
    phase: "done",
    startedAt: new Date("2026-11-20T02:00:00Z"),
    finishedAt: FINISHED,
    phaseDurations: { rfm: 1_200, model_fit: 300 },
    customersCount: 1_234,
    ordersCount: 5_678,
    repeatCustomersCount: 400,
    transitionsCount: 12,
    modelFit: {
      kind: "fitted",
      periodDays: 7,
      clvHorizonMonths: 12,
      monthlyDiscountRate: 0.01,
      bgNbd: { r: 0.24312, alpha: 4.41359, a: 0.79297, b: 2.42591, logLikelihood: -9582.43, converged: true },
      gammaGamma: { p: 6.2488, q: 3.7443, v: 15.4434, logLikelihood: -4000.25, customers: 946 },
    },
    clusters: {
      silhouette: 0.4123,
      centroids: [
        {
          cluster: 0,
          name: "Occasional",
          size: 100,
          recencyDays: 200.4,
          frequency: 1.2,
          monetary: 4_550.4,
          clv: 1_000,
        },
        { cluster: 1, name: "Best", size: 300, recencyDays: 10, frequency: 6.55, monetary: 99_999.6, clv: 50_000 },
      ],
    },
    error: null,
    ...overrides,
  };
}

function kpi(overrides: Partial<KpiSnapshotRow>): KpiSnapshotRow {
  return {
    period: "last_30_days",
    periodStart: new Date("2026-10-21"),
    periodEnd: new Date("2026-11-19"),
    customers: 200,
    newCustomers: 50,
    returningCustomers: 150,
    orders: 300,
    revenueMinor: 1_500_000n,
    repeatPurchaseRate: 0.25,
    purchaseFrequency: 1.5,
    averageOrderValueMinor: 5_000n,
    revenuePerCustomerMinor: 7_500n,
    churnRate: 0.3,
    averageClvMinor: 12_345n,
    totalClvMinor: 15_233_730n,
    computedAt: FINISHED,
    ...overrides,
  };
}

function rows(overrides: Partial<DashboardRows> = {}): DashboardRows {
  return {
    latestRun: run(),
    activeRun: null,
    failedRun: null,
    kpis: [kpi({ period: "all_time", periodStart: null, churnRate: null }), kpi({})],
    previousKpis: [],
    segments: [
      { key: "Champions", customers: 30, netSpentMinor: 600_000n, clvMinor: 300_001n, clvCustomers: 30 },
      { key: "Lost", customers: 70, netSpentMinor: 400_000n, clvMinor: null, clvCustomers: 0 },
    ],
    stages: [
      { key: "new", customers: 25, netSpentMinor: 0n, clvMinor: null, clvCustomers: 0 },
      { key: "churned", customers: 75, netSpentMinor: 0n, clvMinor: null, clvCustomers: 0 },
    ],
    flows: [{ from: "growing", to: "at_risk", customers: 3 }],
    clvBands: {
      widthMinor: 5_000n,
      bands: [
        { band: 0, customers: 40, clvMinor: 80_000n },
        { band: 2, customers: 10, clvMinor: 110_000n },
        { band: 10, customers: 1, clvMinor: 900_000n },
      ],
    },
    topCustomers: [
      {
        customerId: 11n,
        shopifyId: 9_001n,
        firstName: "Ada",
        lastName: "Lovelace",
        redacted: false,
        clvMinor: 900_000n,
        pAlive: 0.9876,
        purchaseDays: 12,
        netSpentMinor: 1_234_567n,
        rfmSegment: "Champions",
        lifecycleStage: "loyal",
      },
      {
        customerId: 12n,
        shopifyId: 9_002n,
        firstName: null,
        lastName: null,
        redacted: false,
        clvMinor: 10n,
        pAlive: null,
        purchaseDays: 1,
        netSpentMinor: 5n,
        rfmSegment: "New",
        lifecycleStage: null,
      },
    ],
    cohorts: [],
    scoresComputedAt: FINISHED,
    scoreFiguresFrom: "run",
    ...overrides,
  };
}

describe("analytics dashboard", () => {
  it("says when and how the figures were computed, in the shop's time zone", () => {
    const dashboard = buildAnalyticsDashboard(rows(), SHOP);
    expect(dashboard.latest).toMatchObject({
      computedAt: "Nov 20, 2026, 3:00 AM GMT+1",
      trigger: "nightly run",
      duration: "1.5 s",
      customers: "1,234",
      orders: "5,678",
    });
    expect(dashboard.recalculation.state).toBe("idle");
  });

  it("credits the demo seed with the demo's first run", () => {
    const dashboard = buildAnalyticsDashboard(rows({ latestRun: run({ trigger: "demo" }) }), SHOP);
    expect(dashboard.latest?.trigger).toBe("demo seed");
  });

  it("orders KPI periods and compares with the previous period, churn falling as good news", () => {
    // Given the last 30 days and the 30 days before them
    const previous = kpi({
      periodStart: new Date("2026-09-21"),
      periodEnd: new Date("2026-10-20"),
      customers: 160,
      revenueMinor: 2_000_000n,
      repeatPurchaseRate: 0.2,
      churnRate: 0.35,
    });
    const dashboard = buildAnalyticsDashboard(rows({ previousKpis: [previous] }), SHOP);
    const [recent, allTime] = dashboard.latest!.kpis;
    expect([recent!.period, allTime!.period]).toEqual(["last_30_days", "all_time"]);
    expect(recent!.comparedWith).toBe("Sep 21, 2026 – Oct 20, 2026");
    const card = (key: string) => recent!.cards.find((entry) => entry.key === key)!;
    // Then changes are relative for counts and money, in points for rates
    expect(card("customers")).toMatchObject({
      value: "200",
      change: { label: "+25%", previous: "160", tone: "success" },
    });
    expect(card("revenue")).toMatchObject({ value: "€15,000.00", change: { label: "−25%", tone: "critical" } });
    expect(card("repeatPurchaseRate").change).toEqual({ label: "+5.0 pts", previous: "20%", tone: "success" });
    expect(card("churnRate").change).toEqual({ label: "−5.0 pts", previous: "35%", tone: "success" });
    expect(card("orders").change).toMatchObject({ label: "±0%", tone: "neutral" });
    // And all time has neither a comparison nor a churn rate
    expect(allTime!.cards.every((entry) => entry.change === null)).toBe(true);
    expect(allTime!.cards.map((entry) => entry.key)).not.toContain("churnRate");
  });

  it("shows all eleven segments with exact shares and the cells of their rule", () => {
    const tiles = buildAnalyticsDashboard(rows(), SHOP).latest!.segments;
    expect(tiles.map((tile) => tile.segment)).toEqual([...RFM_SEGMENTS]);
    expect(tiles[0]).toMatchObject({
      segment: "Champions",
      customers: "30",
      customerShare: "30%",
      revenueShare: "60%",
      averageClv: "€100.00",
      rule: "R 5, FM 4–5; R 4, FM 5",
    });
    expect(tiles.find((tile) => tile.segment === "Lost")).toMatchObject({ revenueShare: "40%", averageClv: null });
    expect(tiles.find((tile) => tile.segment === "New")).toMatchObject({ customers: "0", customerShare: "0%" });
  });

  it("spells out lifecycle, CLV bands with an open last band, and top customers", () => {
    const latest = buildAnalyticsDashboard(rows(), SHOP).latest!;
    expect(latest.lifecycle.stages.map((stage) => [stage.label, stage.customers, stage.share])).toEqual([
      ["New", 25, "25%"],
      ["Growing", 0, "0%"],
      ["Loyal", 0, "0%"],
      ["At risk", 0, "0%"],
      ["Churned", 75, "75%"],
    ]);
    expect(latest.flows.rows).toEqual([{ from: "Growing", to: "At risk", customers: "3" }]);
    expect(latest.clv.bands.map((band) => [band.label, band.customers])).toEqual([
      ["€0–€50", 40],
      ["€50–€100", 0],
      ["€100–€150", 10],
      ...Array.from({ length: 7 }, (_, i) => [`€${(i + 3) * 50}–€${(i + 4) * 50}`, 0]),
      ["€500+", 1],
    ]);
    expect(latest.clv.scoredCustomers).toBe("51");
    expect(latest.clv.topCustomers.map((row) => [row.name, row.clv, row.pAlive, row.stage])).toEqual([
      ["Ada Lovelace", "€9,000.00", "98.8%", "Loyal"],
      ["Customer 9002", "€0.10", "–", "–"],
    ]);
  });

  it("reads the model fit and clusters, or says why the model fell back", () => {
    const latest = buildAnalyticsDashboard(rows(), SHOP).latest!;
    expect(latest.model).toMatchObject({
      kind: "fitted",
      period: "weeks",
      fittedAt: "Nov 20, 2026, 3:00 AM GMT+1",
      bgNbd: {
        parameters: [
          { name: "r", value: "0.2431" },
          { name: "α", value: "4.414" },
          { name: "a", value: "0.793" },
          { name: "b", value: "2.426" },
        ],
        logLikelihood: "-9,582.4",
      },
      gammaGamma: { customers: "946" },
    });
    expect(latest.clusters?.clusters.map((c) => [c.name, c.share, c.spent, c.orders])).toEqual([
      ["Best", "75%", "€1,000.00", "6.6"],
      ["Occasional", "25%", "€45.50", "1.2"],
    ]);
    const fallback = buildAnalyticsDashboard(
      rows({
        latestRun: run({
          modelFit: { kind: "fallback", reason: "3 repeat customers; the model needs at least 20" },
          clusters: null,
        }),
      }),
      SHOP,
    ).latest!;
    expect(fallback.model).toMatchObject({
      kind: "fallback",
      reason: "3 repeat customers; the model needs at least 20",
    });
    expect(fallback.clusters).toBeNull();
  });

  it("reports a queued or running recalculation and a failure newer than the figures", () => {
    const never = buildAnalyticsDashboard(rows({ latestRun: null }), SHOP, "queued");
    expect(never).toEqual({
      recalculation: { state: "queued", percent: 0, phase: "Waiting for a worker", startedAt: null },
      lastFailure: null,
      latest: null,
    });
    const running = buildAnalyticsDashboard(
      rows({
        activeRun: run({ id: 9, status: "running", progress: 45, phase: "model_fit", finishedAt: null }),
        failedRun: run({ id: 8, status: "failed", error: "connection reset" }),
      }),
      SHOP,
      "queued",
    );
    expect(running.recalculation).toEqual({
      state: "running",
      percent: 45,
      phase: "Models fitted",
      startedAt: "Nov 20, 2026, 3:00 AM GMT+1",
    });
    expect(running.lastFailure).toEqual({ at: "Nov 20, 2026, 3:00 AM GMT+1", error: "connection reset" });
    const olderFailure = buildAnalyticsDashboard(rows({ failedRun: run({ id: 3, status: "failed" }) }), SHOP);
    expect(olderFailure.lastFailure).toBeNull();
  });
});

describe("cohort heatmap", () => {
  it("scales the shading on cohorts of ten or more, clamping a tiny cohort's 100% to the top shade", () => {
    const at = new Date("2026-11-20T00:00:00Z");
    const cell = (cohortMonth: string, monthOffset: number, activeCustomers: number, cohortSize: number) => ({
      cohortMonth,
      monthOffset,
      cohortSize,
      activeCustomers,
      computedAt: at,
    });
    const heatmap = cohortHeatmap(
      [
        cell("2026-08-01", 0, 20, 20),
        cell("2026-08-01", 1, 5, 20),
        cell("2026-09-01", 0, 1, 1),
        cell("2026-09-01", 1, 1, 1),
      ],
      at,
      "UTC",
    );
    expect(heatmap.rows.map((row) => row.cells[0])).toEqual([
      { share: "25%", customers: "5", level: 5 },
      { share: "100%", customers: "1", level: 5 },
    ]);
    expect(heatmap.legend[1]).toEqual({ level: 1, label: "0%–5%" });
  });

  it("shows months reached as shares, months not reached as empty, shaded against the best month", () => {
    const at = new Date("2026-11-20T00:00:00Z");
    const cell = (cohortMonth: string, monthOffset: number, activeCustomers: number, cohortSize: number) => ({
      cohortMonth,
      monthOffset,
      cohortSize,
      activeCustomers,
      computedAt: at,
    });
    const heatmap = cohortHeatmap(
      [
        cell("2026-09-01", 0, 10, 10),
        cell("2026-09-01", 2, 4, 10),
        cell("2026-10-01", 0, 20, 20),
        cell("2026-10-01", 1, 1, 20),
      ],
      at,
      "UTC",
    );
    expect(heatmap.offsets).toEqual([1, 2]);
    expect(heatmap.rows).toEqual([
      {
        cohort: "Sep 2026",
        customers: "10",
        cells: [
          { share: "0%", customers: "0", level: 0 },
          { share: "40%", customers: "4", level: 5 },
        ],
      },
      { cohort: "Oct 2026", customers: "20", cells: [{ share: "5%", customers: "1", level: 1 }, null] },
    ]);
    expect(heatmap.legend[5]).toEqual({ level: 5, label: "32% and more" });
    expect([heatLevel(0.17, 0.4), heatLevel(0.4, 0.4), heatLevel(0.01, 0)]).toEqual([3, 5, 0]);
  });
});

describe("CLV band width", () => {
  it("is a round 1, 2 or 5 × 10^k in minor units, at least one major unit", () => {
    expect([45_000n, 120_000n, 700_000n, 900n].map((p95) => clvBandWidthMinor(p95, "USD"))).toEqual([
      5_000n,
      20_000n,
      100_000n,
      100n,
    ]);
    expect(clvBandWidthMinor(45_000n, "JPY")).toBe(5_000n);
    expect([formatWholeMoney(5_000n, "USD"), formatWholeMoney(5_050n, "USD"), formatWholeMoney(5_000n, "JPY")]).toEqual(
      ["$50", "$50.50", "¥5,000"],
    );
  });
});
