// The order metafield `kinship.survey_url`: an orders/create delivery applied by the ingest path
// queues one `shopify-calls` job per order, the job writes the order's signed link to Shopify (the double)
// with metafieldsSet, and the link it wrote opens the survey through the real app proxy route.
import { randomUUID } from "node:crypto";

import type { Job } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { addStoreOrder, openFeedbackStore, type FeedbackStore } from "../../../test/helpers/feedback-test-setup";
import { deliver } from "../../../test/helpers/loyalty-test-setup";
import { signedAppProxyRequest } from "../../../test/helpers/signed-app-proxy-request";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { customerMetafieldsOf } from "../../../test/shopify-double/discounts";
import { orderPayload } from "../../../test/shopify-double/rest-payloads";
import type { StoreOrder } from "../../../test/shopify-double/store-data";
import { createShopifyCallsProcessor } from "../../../workers/processors/shopify-calls.processor";
import { createJobQueues } from "../../jobs/job-queues.server";
import type * as ProxyRouteModule from "../../routes/proxy.$";
import { SURVEY_PROXY_PREFIX } from "./survey-links";
import { surveyLinkJobId, writeSurveyLinkMetafield } from "./survey-link-metafield.server";
import { verifySurveyToken } from "./survey-token";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
let fx: FeedbackStore;
let route: typeof ProxyRouteModule;
let nextId = 5_200_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;

beforeAll(async () => {
  fx = await openFeedbackStore(db, jobs, "survey-metafield");
  route = await import("../../routes/proxy.$");
});

afterAll(async () => {
  await fx.cleanUp();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

const newStoreOrder = (customer: "ada" | "guest" = "ada") => addStoreOrder(fx, nextId++, customer);

const orderCreated = (order: StoreOrder, webhookId = randomUUID()) =>
  deliver(fx.deps, fx.shop.domain, "orders/create", orderPayload(fx.double.store(fx.shop.domain), order), webhookId);

const linkJobsOf = async (orderId: number) =>
  (await queues.jobs("shopify-calls")).filter((job) => job.id === surveyLinkJobId(fx.shop.id, String(orderId)));

/** Runs the job as the shopify-calls worker would (the job stays, as a completed job does for a day). */
async function runJob(job: Job) {
  const process = createShopifyCallsProcessor(fx.deps);
  return process(job as Parameters<typeof process>[0]);
}

const metafieldOf = (orderId: number) =>
  customerMetafieldsOf(fx.shop.domain).get(`gid://shopify/Order/${orderId}|kinship.survey_url`);

const linkWrites = (orderId: number) =>
  fx.double
    .graphqlCalls(fx.shop.domain)
    .filter((call) => call.query.includes("KinshipMetafieldsSet"))
    .filter((call) => JSON.stringify(call.variables).includes(`gid://shopify/Order/${orderId}"`))
    .filter((call) => JSON.stringify(call.variables).includes('"key":"survey_url"'));

async function openThroughProxy(url: string) {
  const path = new URL(url).pathname.slice("/apps/kinship/".length);
  const request = signedAppProxyRequest({ shop: fx.shop.domain, path, method: "GET" });
  const response = await route.loader({ request, params: { "*": path }, context: {} });
  return { status: response.status, html: await response.text() };
}

describe("survey link order metafield", () => {
  it("writes a link the app proxy accepts, once for a redelivered order", async () => {
    // Given NPS and CSAT switched on, links valid 30 days
    await fx.setSettings({ surveys: { nps: true, csat: true, likert: false }, linkValidDays: 30 });
    const order = newStoreOrder();
    const webhookId = randomUUID();
    // When Shopify delivers orders/create, retries it (same webhook id) and sends a duplicate event
    await orderCreated(order, webhookId);
    await orderCreated(order, webhookId);
    await orderCreated(order);
    // Then one job for the order; running it writes one metafield of type url
    const [job, ...more] = await linkJobsOf(order.id);
    expect(more).toEqual([]);
    const outcome = await runJob(job!);
    expect(outcome).toMatchObject({ status: "written" });
    const url = metafieldOf(order.id)!;
    expect(url.startsWith(`https://${fx.shop.domain}${SURVEY_PROXY_PREFIX}`)).toBe(true);
    expect(linkWrites(order.id)).toHaveLength(1);
    expect(JSON.stringify(linkWrites(order.id)[0]!.variables)).toContain('"type":"url"');
    // The token names this shop, this order, the first survey switched on, valid 30 days from the order
    const token = url.slice(`https://${fx.shop.domain}${SURVEY_PROXY_PREFIX}`.length);
    const check = verifySurveyToken(fx.deps.surveyTokenKey, token, new Date());
    expect(check).toMatchObject({ ok: true, claims: { shopId: fx.shop.id, kind: "nps" } });
    if (!check.ok) throw new Error("token refused");
    expect(check.claims.orderShopifyId).toBe(BigInt(order.id));
    const validFor = check.claims.expiresAt.getTime() - Date.parse(order.processedAt);
    expect(Math.abs(validFor - 30 * 86_400_000)).toBeLessThan(1000);
    // And the storefront's app proxy opens the survey with it
    const page = await openThroughProxy(url);
    expect(page.status).toBe(200);
    expect(page.html).toContain("How likely are you to recommend us");
    // A later duplicate delivery (the job is still kept) queues nothing more
    await orderCreated(order);
    expect(await linkJobsOf(order.id)).toHaveLength(1);
    expect(linkWrites(order.id)).toHaveLength(1);
  });

  it("a retried job writes the very same link", async () => {
    await fx.setSettings({ surveys: { nps: true, csat: false, likert: false } });
    const order = newStoreOrder();
    await orderCreated(order);
    const [job] = await linkJobsOf(order.id);
    await runJob(job!);
    const first = metafieldOf(order.id);
    await runJob(job!);
    expect(metafieldOf(order.id)).toBe(first);
  });

  it("stops without retrying when Shopify refuses the metafield", async () => {
    await fx.setSettings({ surveys: { nps: true, csat: false, likert: false } });
    // An order we hold that Shopify (the double) does not: metafieldsSet answers "Owner does not exist"
    const unknownToShopify = await fx.addOrder(fx.ada, 1);
    const outcome = await writeSurveyLinkMetafield(
      { ...fx.deps, adminFor: fx.deps.adminFor!, surveyTokenKey: fx.deps.surveyTokenKey },
      fx.shop.domain,
      unknownToShopify,
    );
    expect(outcome).toEqual({ status: "refused" });
    expect(metafieldOf(Number(unknownToShopify))).toBeUndefined();
  });

  it("jobs running together share one metafieldsSet call, and an order Shopify refuses fails alone", async () => {
    // Given three new orders, and one we hold that Shopify (the double) does not
    await fx.setSettings({ surveys: { nps: true, csat: false, likert: false } });
    const orders = [newStoreOrder(), newStoreOrder(), newStoreOrder()];
    for (const order of orders) await orderCreated(order);
    const unknownToShopify = await fx.addOrder(fx.ada, 1);
    await jobs
      .queue("shopify-calls")
      .add(
        "survey-link-metafield",
        { shopDomain: fx.shop.domain, orderShopifyId: unknownToShopify.toString() },
        { jobId: surveyLinkJobId(fx.shop.id, unknownToShopify) },
      );
    const linkJobs = [...(await Promise.all(orders.map((order) => linkJobsOf(order.id)))).flat()];
    const [unknownJob] = (await queues.jobs("shopify-calls")).filter(
      (job) => job.id === surveyLinkJobId(fx.shop.id, unknownToShopify),
    );
    const callsBefore = fx.double.graphqlCalls(fx.shop.domain).length;

    // When the worker runs the four jobs at the same time
    const process = createShopifyCallsProcessor(fx.deps);
    const outcomes = await Promise.all(
      [...linkJobs, unknownJob!].map((job) => process(job as Parameters<typeof process>[0])),
    );

    // Then the three links are written with one call, and the refused order is refused alone (one call each)
    expect(outcomes.slice(0, 3).map((outcome) => (outcome as { status: string }).status)).toEqual([
      "written",
      "written",
      "written",
    ]);
    expect(outcomes[3]).toEqual({ status: "refused" });
    for (const order of orders)
      expect(metafieldOf(order.id)).toBe((outcomes[orders.indexOf(order)] as { url: string }).url);
    expect(metafieldOf(Number(unknownToShopify))).toBeUndefined();
    const calls = fx.double
      .graphqlCalls(fx.shop.domain)
      .slice(callsBefore)
      .filter((call) => call.query.includes("KinshipMetafieldsSet"));
    // One call for all four (refused), then one for each
    expect(calls).toHaveLength(5);
    expect(orders.every((order) => linkWrites(order.id).length === 2)).toBe(true);
  });

  it("writes nothing while surveys are off, nor for a guest's order", async () => {
    // Given every survey switched off
    await fx.setSettings({ surveys: { nps: false, csat: false, likert: false } });
    const order = newStoreOrder();
    // When the order arrives, then no job is queued
    await orderCreated(order);
    expect(await linkJobsOf(order.id)).toEqual([]);
    // And a job queued before surveys were switched off writes nothing either
    const outcome = await writeSurveyLinkMetafield(
      { ...fx.deps, adminFor: fx.deps.adminFor!, surveyTokenKey: fx.deps.surveyTokenKey },
      fx.shop.domain,
      BigInt(order.id),
    );
    expect(outcome).toEqual({ status: "skipped", reason: "surveys_off" });
    expect(metafieldOf(order.id)).toBeUndefined();
    expect(linkWrites(order.id)).toEqual([]);
    // A guest's order gets no job even with a survey on
    await fx.setSettings({ surveys: { nps: true, csat: false, likert: false } });
    const guest = newStoreOrder("guest");
    await orderCreated(guest);
    expect(await linkJobsOf(guest.id)).toEqual([]);
  });
});
