// The production way in (server.ts mounts this router before Remix) over real HTTP,
// PostgreSQL and Redis: verified deliveries are stored once and enqueued, concurrent
// copies are each answered 200, forged and malformed ones are refused with nothing stored,
// and any other path is left to Remix.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";

import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { signedWebhookRequest } from "../../../test/helpers/signed-webhook-request";
import { webhookRouter } from "./webhook-express-route.server";

const db = createTestPrisma();
const queues = openTestQueues();
const shop = `express-webhooks-${Date.now()}.myshopify.com`;
let server: Server;
let appUrl: string;

const stored = () => db.webhookDelivery.findMany({ where: { shopDomain: shop }, orderBy: { id: "asc" } });
const ingestJobs = async () =>
  (await queues.jobs("ingest")).filter((job) => (job.data as { shopDomain?: string }).shopDomain === shop);
const signed = (options: Omit<Parameters<typeof signedWebhookRequest>[0], "shop" | "appUrl">) =>
  signedWebhookRequest({ shop, appUrl, ...options });

beforeAll(async () => {
  // Given the app's Express server: the webhook router, then (standing in for Remix) a 404
  const app = express();
  app.use(webhookRouter());
  app.use((_req, res) => res.status(404).send("left to Remix"));
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await db.webhookDelivery.deleteMany({ where: { shopDomain: shop } });
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await db.webhookDelivery.deleteMany({ where: { shopDomain: shop } });
  await db.$disconnect();
  await queues.cleanUp();
});

describe("POST /webhooks/<topic> on Express", () => {
  it("stores and enqueues a verified delivery, body and headers as sent", async () => {
    const request = signed({ topic: "orders/paid", body: '{"id": 9007199254740993, "total_price": "12.50"}' });
    const response = await fetch(request);
    expect(response.status).toBe(200);
    const [row] = await stored();
    expect(row).toMatchObject({
      topic: "orders/paid",
      webhookId: request.headers.get("X-Shopify-Webhook-Id"),
      eventId: request.headers.get("X-Shopify-Event-Id"),
      status: "received",
    });
    // The body is stored as received: an id past 2^53 keeps its digits
    const [raw] = await db.$queryRaw<{ id: string }[]>`
      SELECT payload->>'id' AS id FROM webhook_deliveries WHERE id = ${row!.id}`;
    expect(raw!.id).toBe("9007199254740993");
    expect((await ingestJobs()).map((job) => job.data.deliveryId)).toEqual([row!.id.toString()]);
  });

  it("answers each of many concurrent copies of a delivery 200 and stores and enqueues it once", async () => {
    const before = (await stored()).length;
    const jobsBefore = (await ingestJobs()).length;
    const copies = Array.from({ length: 16 }, () =>
      signed({ topic: "customers/update", body: { id: 5, note: "copy" }, webhookId: "sent-16-times" }),
    );
    const statuses = await Promise.all(copies.map(async (copy) => (await fetch(copy)).status));
    expect(statuses).toEqual(Array(16).fill(200));
    expect((await stored()).filter((row) => row.webhookId === "sent-16-times")).toHaveLength(1);
    expect((await stored()).length).toBe(before + 1);
    expect((await ingestJobs()).length).toBe(jobsBefore + 1);
  });

  it("accepts a body larger than Express's default limit", async () => {
    const note = "x".repeat(300_000);
    const response = await fetch(signed({ topic: "orders/updated", body: { id: 6, note } }));
    expect(response.status).toBe(200);
    expect((await stored()).some((row) => (row.payload as { note?: string }).note === note)).toBe(true);
  });

  it("refuses a forged HMAC with 401 and stores nothing", async () => {
    const before = await stored();
    const forged = signed({ topic: "customers/create", body: { id: 7 }, secret: "not-the-app-secret" });
    expect((await fetch(forged)).status).toBe(401);
    expect(await stored()).toEqual(before);
  });

  it("refuses a signed but malformed body with 400 and stores nothing", async () => {
    const before = await stored();
    const response = await fetch(signed({ topic: "orders/create", body: "{ not json" }));
    expect(response.status).toBe(400);
    expect(await response.text()).toBe("Malformed JSON body");
    expect(await stored()).toEqual(before);
  });

  it("refuses a delivery whose X-Shopify-Topic is not the topic of its path with 400", async () => {
    const before = await stored();
    const request = signed({ topic: "orders/create", body: { id: 8 } });
    const elsewhere = new Request(`${appUrl}/webhooks/customers/delete`, {
      method: "POST",
      headers: request.headers,
      body: await request.text(),
    });
    const response = await fetch(elsewhere);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/X-Shopify-Topic/);
    expect(await stored()).toEqual(before);
  });

  it("refuses a signed delivery missing Shopify's headers with 400", async () => {
    const request = signed({ topic: "orders/create", body: { id: 10 } });
    const headers = new Headers(request.headers);
    headers.delete("X-Shopify-Webhook-Id");
    const response = await fetch(new Request(request.url, { method: "POST", headers, body: await request.text() }));
    expect(response.status).toBe(400);
  });

  it("leaves paths that are no webhook route to Remix", async () => {
    const request = signed({ topic: "orders/create", body: { id: 11 } });
    const unknown = new Request(`${appUrl}/webhooks/products/create`, {
      method: "POST",
      headers: request.headers,
      body: await request.text(),
    });
    const response = await fetch(unknown);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("left to Remix");
  });
});
