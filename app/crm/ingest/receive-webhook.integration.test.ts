// Webhook routes against real PostgreSQL and Redis: verified deliveries are stored
// once and enqueued; forged and malformed ones are refused with nothing stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { signedWebhookRequest } from "../../../test/helpers/signed-webhook-request";
import { WEBHOOK_TOPICS } from "./webhook-topics";

const db = createTestPrisma();
const queues = openTestQueues();
const shop = `webhooks-${Date.now()}.myshopify.com`;

type RouteModule = { action: (args: { request: Request; params: object; context: object }) => Promise<Response> };
async function route(topic: string): Promise<RouteModule> {
  return (await import(`../../routes/webhooks.${topic.replace("/", ".")}.tsx`)) as RouteModule;
}
async function post(request: Request): Promise<Response> {
  const topic = request.headers.get("X-Shopify-Topic")!;
  return (await route(topic)).action({ request, params: {}, context: {} });
}
const stored = () => db.webhookDelivery.findMany({ where: { shopDomain: shop }, orderBy: { id: "asc" } });

beforeAll(async () => {
  await db.webhookDelivery.deleteMany({ where: { shopDomain: shop } });
});
afterAll(async () => {
  await db.webhookDelivery.deleteMany({ where: { shopDomain: shop } });
  await db.$disconnect();
  await queues.cleanUp();
});

describe("webhook routes", () => {
  it("store and enqueue a verified delivery for every subscribed topic", async () => {
    for (const topic of WEBHOOK_TOPICS) {
      // Given a delivery signed with the app secret
      const request = signedWebhookRequest({ shop, topic, body: { id: 1, topic } });
      const webhookId = request.headers.get("X-Shopify-Webhook-Id")!;
      // When Shopify posts it
      const response = await post(request);
      // Then it is acknowledged and in the inbox
      expect(response.status, topic).toBe(200);
      const row = await db.webhookDelivery.findFirst({ where: { shopDomain: shop, webhookId } });
      expect(row).toMatchObject({ topic, status: "received", apiVersion: "2026-07", payload: { id: 1, topic } });
    }
    // And each delivery is one job on its queue
    const rows = await stored();
    const ingest = await queues.jobs("ingest");
    const privacy = await queues.jobs("privacy");
    expect(ingest.length + privacy.length).toBe(WEBHOOK_TOPICS.length);
    expect(privacy.map((job) => job.data.topic).sort()).toEqual([
      "customers/data_request",
      "customers/redact",
      "shop/redact",
    ]);
    expect([...ingest, ...privacy].map((job) => job.data.deliveryId).sort()).toEqual(
      rows.map((row) => row.id.toString()).sort(),
    );
  });

  it("acknowledge a repeated delivery without storing or enqueuing it again", async () => {
    const before = (await stored()).length;
    const jobsBefore = (await queues.jobs("ingest")).length;
    const first = signedWebhookRequest({ shop, topic: "orders/create", body: { id: 42 }, webhookId: "repeat-me" });
    const again = signedWebhookRequest({ shop, topic: "orders/create", body: { id: 42 }, webhookId: "repeat-me" });
    expect((await post(first)).status).toBe(200);
    expect((await post(again)).status).toBe(200);
    expect((await stored()).length).toBe(before + 1);
    expect((await queues.jobs("ingest")).length).toBe(jobsBefore + 1);
  });

  it("acknowledge a redelivered event (same event id, new webhook id) without storing it again", async () => {
    // Given an event already received
    const before = (await stored()).length;
    const jobsBefore = (await queues.jobs("ingest")).length;
    const first = signedWebhookRequest({ shop, topic: "orders/paid", body: { id: 43 }, eventId: "event-43" });
    expect((await post(first)).status).toBe(200);
    // When Shopify sends the same event again under another webhook id
    const again = signedWebhookRequest({ shop, topic: "orders/paid", body: { id: 43 }, eventId: "event-43" });
    expect((await post(again)).status).toBe(200);
    // Then it is stored and enqueued once; the same event id on another topic is its own delivery
    expect((await stored()).length).toBe(before + 1);
    expect((await queues.jobs("ingest")).length).toBe(jobsBefore + 1);
    const other = signedWebhookRequest({ shop, topic: "orders/updated", body: { id: 43 }, eventId: "event-43" });
    expect((await post(other)).status).toBe(200);
    expect((await stored()).length).toBe(before + 2);
  });

  it("refuse a forged HMAC with 401 and store nothing", async () => {
    const before = await stored();
    const jobsBefore = (await queues.jobs("ingest")).length;
    const forged = signedWebhookRequest({
      shop,
      topic: "customers/create",
      body: { id: 7 },
      secret: "not-the-app-secret",
    });
    expect((await post(forged)).status).toBe(401);
    expect(await stored()).toEqual(before);
    expect((await queues.jobs("ingest")).length).toBe(jobsBefore);
  });

  it("refuse a tampered body with 401", async () => {
    const request = signedWebhookRequest({ shop, topic: "orders/paid", body: { id: 1, total_price: "10.00" } });
    const tampered = new Request(request.url, {
      method: "POST",
      headers: request.headers,
      body: JSON.stringify({ id: 1, total_price: "0.01" }),
    });
    expect((await post(tampered)).status).toBe(401);
  });

  it("reject a signed but malformed body with 400 and store nothing", async () => {
    const before = await stored();
    const malformed = signedWebhookRequest({ shop, topic: "orders/updated", body: "{ not json" });
    expect((await post(malformed)).status).toBe(400);
    expect(await stored()).toEqual(before);
  });
});
