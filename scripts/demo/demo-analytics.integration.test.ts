// The demo runs a shop's analytics once: the first call computes them, later calls keep that run.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

import { logger } from "../../app/lib/logger.server";
import { createTestShop } from "../../test/helpers/create-test-shop";
import { createTestPrisma, testDatabaseUrl } from "../../test/helpers/test-database";
import { generateShopHistory } from "../bench/analytics/generate-shop-history";
import { ensureDemoAnalytics } from "./demo-analytics";

const db = createTestPrisma();
afterAll(() => db.$disconnect());

describe("demo analytics", () => {
  it("computes the shop's analytics on the first start only", async () => {
    // Given a shop with orders and no analytics run
    const shop = await createTestShop(db);
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await generateShopHistory(client, shop.id, { customers: 150, orders: 500, end: new Date(), seed: 3 });
    await client.end();
    const deps = { db, logger, databaseUrl: testDatabaseUrl() };

    // When the demo starts twice
    const first = await ensureDemoAnalytics(deps, shop.domain);
    const second = await ensureDemoAnalytics(deps, shop.domain);

    // Then one run computed every customer's scores, and the second start kept it
    expect(first.ran).toBe(true);
    expect(second).toEqual({ ran: false, runId: first.runId, ms: 0 });
    const runs = await db.analyticsRun.findMany({ where: { shopId: shop.id } });
    expect(runs.map((run) => [run.id, run.status, run.trigger])).toEqual([[first.runId, "succeeded", "demo"]]);
    expect(await db.customerScore.count({ where: { shopId: shop.id } })).toBe(runs[0]!.customersCount);
  }, 60_000);
});
