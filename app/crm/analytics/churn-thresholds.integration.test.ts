// The shop's churn risk thresholds (analytics_settings) decide the bands a run writes, and the
// per-customer re-score after an order bands as the last run did.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { generateShopHistory } from "../../../scripts/bench/analytics/generate-shop-history";
import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma, testDatabaseUrl } from "../../../test/helpers/test-database";
import { logger } from "../../lib/logger.server";
import { churnRiskBandWith, CHURN_RISK_THRESHOLDS } from "../clv/clv-models";
import { closeAnalyticsPools } from "./analytics-connection.repository.server";
import { rescoreCustomer } from "./rescore-customer.server";
import { runShopAnalytics } from "./run-shop-analytics.server";

const db = createTestPrisma();
const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 1 });
const deps = { db, logger, databaseUrl: testDatabaseUrl() };

let shop: Awaited<ReturnType<typeof createTestShop>>;

beforeAll(async () => {
  shop = await createTestShop(db);
  const client = await pool.connect();
  try {
    await generateShopHistory(client, shop.id, {
      customers: 400,
      orders: 1_600,
      end: new Date(Date.now() - 86_400_000),
      seed: 11,
    });
  } finally {
    client.release();
  }
}, 120_000);

afterAll(async () => {
  await db.shop.delete({ where: { id: shop.id } });
  await closeAnalyticsPools();
  await pool.end();
  await db.$disconnect();
});

async function storedBands() {
  const scores = await db.customerScore.findMany({
    where: { shopId: shop.id },
    select: { customerId: true, pAlive: true, churnRisk: true },
  });
  const counts: Record<string, number> = {};
  for (const score of scores) counts[score.churnRisk] = (counts[score.churnRisk] ?? 0) + 1;
  return { scores, counts };
}

describe("churn risk thresholds", () => {
  it("bands every customer with the shop's thresholds, and the default ones without settings", async () => {
    // Given a shop without analytics settings, when a run scores it
    const first = await runShopAnalytics(deps, shop.domain, "test");
    expect(first.status).toBe("succeeded");
    const before = await storedBands();
    // Then the bands are the default ones
    expect(before.scores.length).toBeGreaterThan(300);
    for (const score of before.scores) {
      expect(score.pAlive).not.toBeNull();
      expect(score.churnRisk).toBe(churnRiskBandWith(score.pAlive, CHURN_RISK_THRESHOLDS));
    }

    // When the shop moves its bands (a much earlier medium, a lower high) and runs again
    const thresholds = { medium: 0.05, high: 0.2 };
    await db.analyticsSettings.create({
      data: { shopId: shop.id, churnMediumThreshold: thresholds.medium, churnHighThreshold: thresholds.high },
    });
    const second = await runShopAnalytics(deps, shop.domain, "test");
    expect(second.status).toBe("succeeded");
    const after = await storedBands();

    // Then every customer is banded with the shop's thresholds, and fewer are low risk than before
    for (const score of after.scores) {
      expect(score.churnRisk).toBe(churnRiskBandWith(score.pAlive, thresholds));
    }
    expect(after.counts.low ?? 0).toBeLessThan(before.counts.low ?? 0);
    expect(after.counts.high ?? 0).toBeGreaterThan(before.counts.high ?? 0);
    // And the run records the thresholds it used, beside the CLV settings
    const run = await db.analyticsRun.findUniqueOrThrow({
      where: { id: second.status === "succeeded" ? second.runId : -1 },
    });
    expect(run.modelFit).toMatchObject({ churnThresholds: thresholds, clvHorizonMonths: 12 });
  }, 120_000);

  it("re-scores one customer with the last run's thresholds, not the defaults", async () => {
    // Given a customer whose churn risk falls between the default and the shop's bands
    const thresholds = { medium: 0.05, high: 0.2 };
    const { scores } = await storedBands();
    const between = scores.find(
      (score) =>
        score.pAlive !== null &&
        churnRiskBandWith(score.pAlive, thresholds) !== churnRiskBandWith(score.pAlive, CHURN_RISK_THRESHOLDS),
    );
    expect(between).toBeDefined();
    await db.customerScore.update({
      where: { customerId: between!.customerId },
      data: { churnRisk: "unknown" },
    });

    // When the customer is re-scored (as after an order)
    await expect(rescoreCustomer(deps, shop.id, between!.customerId)).resolves.toBe("scored");

    // Then the band is the shop's
    const rescored = await db.customerScore.findUniqueOrThrow({ where: { customerId: between!.customerId } });
    expect(rescored.churnRisk).toBe(churnRiskBandWith(rescored.pAlive, thresholds));
    expect(rescored.churnRisk).not.toBe(churnRiskBandWith(rescored.pAlive, CHURN_RISK_THRESHOLDS));
  }, 60_000);
});
