// Analytics jobs against real PostgreSQL and Redis: the merchant's recalculation (deduplicated,
// with progress), the re-score after an order webhook, and the nightly scheduler per shop.
import { randomUUID } from "node:crypto";

import { Worker } from "bullmq";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

import { generateShopHistory } from "../../../scripts/bench/analytics/generate-shop-history";
import { createTestShop } from "../../../test/helpers/create-test-shop";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import { createTestPrisma, testDatabaseUrl } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { probeWriteScope } from "../../../test/helpers/write-scope-probe";
import { orderPayload } from "../../../test/shopify-double/rest-payloads";
import { createAnalyticsProcessor } from "../../../workers/processors/analytics.processor";
import { db as appDb } from "../../db.server";
import { createJobQueues } from "../../jobs/job-queues.server";
import { logger } from "../../lib/logger.server";
import { onShopInstalled, unscheduleShopJobs } from "../history/shop-schedules.server";
import { scoreCustomer, type ClvModelFit } from "../clv/clv-models";
import { applyWebhookDelivery } from "../ingest/apply-webhook.server";
import { recordDelivery } from "../ingest/webhook-inbox.repository.server";
import { closeAnalyticsPools } from "./analytics-connection.repository.server";
import { recalculationJobId, requestRecalculation, rescoreJobId } from "./analytics-jobs.server";
import { analyticsSchedulerId, NIGHTLY_ANALYTICS_PATTERN } from "./analytics-schedules.server";
import { runShopAnalytics } from "./run-shop-analytics.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const deps = { db, logger, databaseUrl: testDatabaseUrl() };
const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });

afterAll(async () => {
  await jobs.close();
  await queues.cleanUp();
  await pool.end();
  await closeAnalyticsPools();
  await appDb().$disconnect();
  await db.$disconnect();
});

async function generatedShop(customers: number, orders: number) {
  const shop = await createTestShop(db, { ianaTimezone: "Europe/Berlin" });
  const client = await pool.connect();
  try {
    await generateShopHistory(client, shop.id, { customers, orders, end: new Date(Date.now() - 86_400_000), seed: 3 });
  } finally {
    client.release();
  }
  return shop;
}

function startAnalyticsWorker() {
  return new Worker("analytics", createAnalyticsProcessor(deps), {
    connection: queues.connection.duplicate(),
    prefix: queues.prefix,
  });
}

describe("the merchant's recalculation", () => {
  it("enqueues one run per shop however often it is asked, and reports progress to the end", async () => {
    const shop = await generatedShop(200, 800);
    // When the merchant asks twice before a worker takes it
    await requestRecalculation(jobs, shop.domain);
    await requestRecalculation(jobs, shop.domain);
    // Then one job waits
    const waiting = (await queues.jobs("analytics")).filter((job) => job.id === recalculationJobId(shop.domain));
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.data).toEqual({ shopDomain: shop.domain, trigger: "merchant" });

    // And when a worker runs it, the job reports the run's phases up to 100%
    const worker = startAnalyticsWorker();
    const progress: { phase: string; percent: number }[] = [];
    worker.on("progress", (_job, value) => progress.push(value as { phase: string; percent: number }));
    await new Promise<void>((resolve, reject) => {
      worker.on("completed", () => resolve());
      worker.on("failed", (_job, error) => reject(error));
    });
    await worker.close();
    const percents = progress.map((p) => p.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ phase: "done", percent: 100 });
    expect(progress.map((p) => p.phase)).toContain("model_fit");
    const run = await db.analyticsRun.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(run).toMatchObject({ trigger: "merchant", status: "succeeded" });
  }, 60_000);
});

describe("re-scoring after an order", () => {
  it("re-scores the customer of an applied order with the latest run's parameters", async () => {
    // Given a shop with a finished run
    const shop = await generatedShop(300, 1_200);
    const outcome = await runShopAnalytics(deps, shop.domain, "test");
    if (outcome.status !== "succeeded") throw new Error("run skipped");
    const customer = await db.customerScore.findFirstOrThrow({
      where: { shopId: shop.id, recencyDays: { gt: 30 } },
      include: { customer: true },
    });
    const runFit = (await db.analyticsRun.findUniqueOrThrow({ where: { id: outcome.runId } })).modelFit;

    // When an order of that customer arrives by webhook
    const store = smallTestStore(shop.domain);
    store.customers[0]!.id = Number(customer.customer.shopifyId);
    const order = {
      ...structuredClone(store.orders[0]!),
      id: 7_000_000_000_001,
      customerId: Number(customer.customer.shopifyId),
      processedAt: new Date().toISOString(),
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      cancelledAt: null,
      refunds: [],
    };
    const deliveryId = await recordDelivery(db, {
      shopDomain: shop.domain,
      webhookId: randomUUID(),
      eventId: null,
      topic: "orders/create",
      apiVersion: "2026-07",
      triggeredAt: new Date(),
      payload: orderPayload(store, order) as object,
    });
    await applyWebhookDelivery({ db, logger, jobs }, deliveryId!);

    // Then one re-score job is queued for the customer, and a worker applies it
    const queued = (await queues.jobs("analytics")).filter((job) => job.name === "rescore-customers");
    expect(queued.map((job) => [job.id, job.data])).toEqual([
      [
        rescoreJobId(shop.id, deliveryId!.toString()),
        { shopId: shop.id, customerIds: [customer.customerId.toString()] },
      ],
    ]);
    const probe = await probeWriteScope(db, "customer_scores", shop.id);
    try {
      const worker = startAnalyticsWorker();
      const result = await new Promise<unknown>((resolve, reject) => {
        worker.on("completed", (_job, value) => resolve(value));
        worker.on("failed", (_job, error) => reject(error));
      });
      await worker.close();
      expect(result).toEqual(["scored"]);
      // As kinship_app, inside the shop's row-level-security scope
      expect(await probe.writers()).toEqual({ writers: [`kinship_app ${shop.id}`], writes: 1 });
    } finally {
      await probe.remove();
    }

    const after = await db.customerScore.findUniqueOrThrow({ where: { customerId: customer.customerId } });
    expect(after.recencyDays).toBe(0);
    expect(after.purchaseDays).toBe(customer.purchaseDays + 1);
    expect(after.rScore).toBe(5);
    expect(after.computedAt.getTime()).toBeGreaterThan(customer.computedAt.getTime());
    expect(after.runId).toBe(outcome.runId);
    expect(after.cluster).toBe(customer.cluster);
    // Scored with the run's stored fit (not refitted) on the new summary: bought today, so t_x = T
    expect(after.frequency).toBe(customer.frequency + 1);
    expect(after.recency).toBe(after.T);
    const expected = scoreCustomer(
      runFit as unknown as ClvModelFit,
      { frequency: after.frequency, recency: after.recency, T: after.T, monetaryValue: after.monetaryValue },
      { periodDays: 7, horizonMonths: 12, monthlyDiscountRate: 0.01 },
    );
    expect(after.pAlive).toBeCloseTo(expected.pAlive!, 12);
    expect(Number(after.clvMinor)).toBe(Math.round(expected.clv!));
    expect((await db.analyticsRun.findUniqueOrThrow({ where: { id: outcome.runId } })).modelFit).toEqual(runFit);
  }, 60_000);
});

describe("the nightly run", () => {
  it("is scheduled at 03:00 in the shop's time zone on install and removed on uninstall", async () => {
    // Given a shop in Tokyo and another in Lima
    const tokyo = await createTestShop(db, { ianaTimezone: "Asia/Tokyo" });
    const lima = await createTestShop(db, { ianaTimezone: "America/Lima" });
    // When both install
    await onShopInstalled(jobs, tokyo.domain, tokyo.ianaTimezone);
    await onShopInstalled(jobs, lima.domain, lima.ianaTimezone);
    // Then each has its own nightly scheduler in its zone
    const schedulers = async () =>
      Object.fromEntries(
        (await queues.queue("analytics").getJobSchedulers()).map((s) => [
          s.key ?? s.id,
          { pattern: s.pattern, tz: s.tz },
        ]),
      );
    expect(await schedulers()).toMatchObject({
      [analyticsSchedulerId(tokyo.domain)]: { pattern: NIGHTLY_ANALYTICS_PATTERN, tz: "Asia/Tokyo" },
      [analyticsSchedulerId(lima.domain)]: { pattern: NIGHTLY_ANALYTICS_PATTERN, tz: "America/Lima" },
    });
    const next = (await queues.jobs("analytics")).find((job) => job.data.shopDomain === tokyo.domain)!;
    expect(next.data).toEqual({ shopDomain: tokyo.domain, trigger: "nightly" });
    // 03:00 in Tokyo is 18:00 UTC
    expect(new Date(next.timestamp + next.delay).getUTCHours()).toBe(18);

    // When Tokyo uninstalls, its scheduler goes and Lima's stays
    await unscheduleShopJobs(jobs, tokyo.domain);
    const left = await schedulers();
    expect(left[analyticsSchedulerId(tokyo.domain)]).toBeUndefined();
    expect(left[analyticsSchedulerId(lima.domain)]).toBeDefined();
  });
});
