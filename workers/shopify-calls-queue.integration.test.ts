// The shopify-calls queue, through startWorkers: a new order's survey link is written from its own
// queue while the order's point evaluation runs from loyalty, and a link job left in the loyalty
// queue from before the split (waiting at deploy time) still runs.
import type { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { surveyLinkJobId } from "../app/crm/feedback/survey-link-metafield.server";
import { createJobQueues } from "../app/jobs/job-queues.server";
import { logger } from "../app/lib/logger.server";
import { addStoreOrder, openFeedbackStore, type FeedbackStore } from "../test/helpers/feedback-test-setup";
import { deliver } from "../test/helpers/loyalty-test-setup";
import { createTestPrisma } from "../test/helpers/test-database";
import { openTestQueues } from "../test/helpers/test-queues";
import { customerMetafieldsOf } from "../test/shopify-double/discounts";
import { orderPayload } from "../test/shopify-double/rest-payloads";
import { startWorkers } from "./start-workers";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
let fx: FeedbackStore;
let nextId = 5_300_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;

beforeAll(async () => {
  fx = await openFeedbackStore(db, jobs, "shopify-calls");
});

afterAll(async () => {
  await fx.cleanUp();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

const newStoreOrder = () => addStoreOrder(fx, nextId++);

async function finished(queue: Queue, jobId: string) {
  for (let waited = 0; waited < 30_000; waited += 100) {
    const state = await queue.getJobState(jobId);
    if (state === "completed" || state === "failed") break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return queue.getJob(jobId);
}

const surveyLinkOf = (orderId: number) =>
  customerMetafieldsOf(fx.shop.domain).get(`gid://shopify/Order/${orderId}|kinship.survey_url`);

describe("the shopify-calls queue", () => {
  it("writes a new order's survey link from its own queue, the points from loyalty, and drains old loyalty jobs", async () => {
    // Given a link job for an older order still waiting in the loyalty queue from before the split
    // (the order applied while surveys were off, so it queued nothing itself), then a survey
    // switched on and a new order of Ada's applied by the ingest path
    const store = fx.double.store(fx.shop.domain);
    await fx.setSettings({ surveys: { nps: false, csat: false, likert: false } });
    const older = newStoreOrder();
    await deliver(fx.deps, fx.shop.domain, "orders/create", orderPayload(store, older));
    await fx.setSettings({ surveys: { nps: true, csat: false, likert: false } });
    const order = newStoreOrder();
    await deliver(fx.deps, fx.shop.domain, "orders/create", orderPayload(store, order));
    const olderJobId = surveyLinkJobId(fx.shop.id, String(older.id));
    await queues
      .queue("loyalty")
      .add(
        "survey-link-metafield",
        { shopDomain: fx.shop.domain, orderShopifyId: String(older.id) },
        { jobId: olderJobId },
      );
    const linkJobId = surveyLinkJobId(fx.shop.id, String(order.id));
    const evaluation = (await queues.jobs("loyalty")).find(
      (job) => job.name === "evaluate-order" && job.data.orderShopifyId === String(order.id),
    );
    expect(evaluation).toBeDefined();
    expect((await queues.jobs("shopify-calls")).map((job) => job.id)).toContain(linkJobId);

    // When the workers run
    const running = startWorkers({
      db,
      logger,
      jobs,
      connection: queues.connection,
      prefix: queues.prefix,
      adminFor: fx.deps.adminFor,
    });
    try {
      // Then the link job completes in shopify-calls and the evaluation in loyalty
      const link = await finished(queues.queue("shopify-calls"), linkJobId);
      const evaluated = await finished(queues.queue("loyalty"), evaluation!.id!);
      const olderLink = await finished(queues.queue("loyalty"), olderJobId);
      expect(await link?.getState()).toBe("completed");
      expect(link?.returnvalue).toMatchObject({ status: "written" });
      expect(surveyLinkOf(order.id)).toBe((link?.returnvalue as { url: string }).url);
      expect(await evaluated?.getState()).toBe("completed");
      // And the link job left in loyalty ran with the same code
      expect(await olderLink?.getState()).toBe("completed");
      expect(olderLink?.returnvalue).toMatchObject({ status: "written" });
      expect(surveyLinkOf(older.id)).toBe((olderLink?.returnvalue as { url: string }).url);
    } finally {
      await running.stop();
    }
  });
});
