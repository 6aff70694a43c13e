// A customer deleted in Shopify (customers/delete, applied through the real webhook path) leaves
// the shop's analytics on the next run: no scores, and no part in the KPIs or cohorts.
import { randomUUID } from "node:crypto";

import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

import { generateShopHistory } from "../../../scripts/bench/analytics/generate-shop-history";
import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma, testDatabaseUrl } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { createJobQueues } from "../../jobs/job-queues.server";
import { logger } from "../../lib/logger.server";
import { applyWebhookDelivery } from "../ingest/apply-webhook.server";
import { recordDelivery } from "../ingest/webhook-inbox.repository.server";
import { runShopAnalytics } from "./run-shop-analytics.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const deps = { db, logger, databaseUrl: testDatabaseUrl() };

afterAll(async () => {
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

async function succeededRun(domain: string) {
  const outcome = await runShopAnalytics(deps, domain, "test");
  if (outcome.status !== "succeeded") throw new Error(`run ${outcome.status}`);
  return outcome.runId;
}

const allTimeKpis = (runId: number) => db.kpiSnapshot.findFirstOrThrow({ where: { runId, period: "all_time" } });

const cohortSizes = async (shopId: number) =>
  (await db.cohortRetention.findMany({ where: { shopId, monthOffset: 0 } })).reduce(
    (sum, cell) => sum + cell.cohortSize,
    0,
  );

describe("a customer deleted in Shopify", () => {
  it("drops out of the scores, KPIs and cohorts on the next run", async () => {
    // Given a shop whose analytics ran, and a repeat customer with scores
    const shop = await createTestShop(db, { ianaTimezone: "Europe/Madrid" });
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await generateShopHistory(client, shop.id, {
      customers: 200,
      orders: 900,
      end: new Date(Date.now() - 86_400_000),
      seed: 11,
    });
    await client.end();
    const firstRunId = await succeededRun(shop.domain);
    const scored = await db.customerScore.findFirstOrThrow({
      where: { shopId: shop.id, purchaseDays: { gte: 2 } },
      orderBy: { netSpentMinor: "desc" },
    });
    const customer = await db.customer.findUniqueOrThrow({ where: { id: scored.customerId } });
    const counted = await db.order.findMany({
      where: { shopId: shop.id, customerId: customer.id, cancelledAt: null },
    });
    const before = await allTimeKpis(firstRunId);
    const cohortsBefore = await cohortSizes(shop.id);

    // When Shopify sends customers/delete for that customer and the next run happens
    const deliveryId = await recordDelivery(db, {
      shopDomain: shop.domain,
      webhookId: randomUUID(),
      eventId: null,
      topic: "customers/delete",
      apiVersion: "2026-07",
      triggeredAt: new Date(),
      payload: { id: Number(customer.shopifyId) },
    });
    await applyWebhookDelivery({ db, logger, jobs }, deliveryId!);
    expect((await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).deletedAt).not.toBeNull();
    const nextRunId = await succeededRun(shop.domain);

    // Then the customer has no scores, and every figure lost exactly that customer's share
    expect(await db.customerScore.findUnique({ where: { customerId: customer.id } })).toBeNull();
    const run = await db.analyticsRun.findUniqueOrThrow({ where: { id: nextRunId } });
    expect(run.customersCount).toBe(before.customers - 1);
    expect(await db.customerScore.count({ where: { shopId: shop.id } })).toBe(before.customers - 1);
    const after = await allTimeKpis(nextRunId);
    expect(after.customers).toBe(before.customers - 1);
    expect(after.returningCustomers).toBe(before.returningCustomers - 1);
    expect(after.orders).toBe(before.orders - counted.length);
    expect(after.revenueMinor).toBe(before.revenueMinor - scored.netSpentMinor);
    expect(await cohortSizes(shop.id)).toBe(cohortsBefore - 1);
    // And the orders themselves are kept (the tombstone only hides them from analytics)
    expect(await db.order.count({ where: { shopId: shop.id, customerId: customer.id } })).toBeGreaterThan(0);
  }, 120_000);
});
