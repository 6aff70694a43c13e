import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { FIXTURE_SHOP, fixtureShop } from "./fixtures";
import { type Api, startHarness } from "./library-harness";
import { orderPayload } from "./rest-payloads";
import type { ShopifyDouble } from "./types";

interface Captured {
  req: IncomingMessage;
  rawBody: string;
  url: string;
}

/** A stand-in for the app: records each delivery and answers 200. */
let app: Server;
let appUrl: string;
const deliveries: Captured[] = [];
let double: ShopifyDouble;
let api: Api;

beforeAll(async () => {
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      deliveries.push({ req, rawBody: Buffer.concat(chunks).toString("utf8"), url: req.url ?? "" });
      res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  ({ double, api } = await startHarness({ appUrl }));
});
afterAll(async () => {
  await double.close();
  await new Promise((resolve) => app.close(resolve));
});

describe("webhook sender", () => {
  it("delivers a delivery that the library's webhooks.validate accepts", async () => {
    const shop = fixtureShop();
    const payload = orderPayload(shop, shop.orders[0]!);
    const result = await double.sendWebhook({ shop: FIXTURE_SHOP, topic: "orders/create", payload, webhookId: "wh-1" });
    expect(result).toEqual({ status: 200, webhookId: "wh-1", eventId: expect.any(String), body: "ok" });

    const delivery = deliveries.at(-1)!;
    expect(delivery.url).toBe("/webhooks/orders/create");
    expect(JSON.parse(delivery.rawBody)).toEqual(payload);
    expect(delivery.req.headers).toMatchObject({
      "content-type": "application/json",
      "x-shopify-topic": "orders/create",
      "x-shopify-shop-domain": FIXTURE_SHOP,
      "x-shopify-webhook-id": "wh-1",
      "x-shopify-event-id": result.eventId,
      "x-shopify-api-version": "2026-07",
      "user-agent": "Shopify-Captain-Hook",
    });
    expect(Date.parse(String(delivery.req.headers["x-shopify-triggered-at"]))).not.toBeNaN();

    const check = await api.webhooks.validate({ rawBody: delivery.rawBody, rawRequest: delivery.req });
    expect(check).toMatchObject({
      valid: true,
      topic: "ORDERS_CREATE",
      domain: FIXTURE_SHOP,
      webhookId: "wh-1",
      apiVersion: "2026-07",
    });
  });

  it("lets a test forge a delivery that validation rejects", async () => {
    await double.sendWebhook({
      shop: FIXTURE_SHOP,
      topic: "customers/redact",
      payload: { shop_domain: FIXTURE_SHOP },
      signWith: "forger",
    });
    const delivery = deliveries.at(-1)!;
    expect(delivery.url).toBe("/webhooks/customers/redact");
    expect(await api.webhooks.validate({ rawBody: delivery.rawBody, rawRequest: delivery.req })).toEqual({
      valid: false,
      reason: "invalid_hmac",
    });
  });

  it("honours a custom path, ids and API version", async () => {
    const result = await double.sendWebhook({
      shop: FIXTURE_SHOP,
      topic: "app/uninstalled",
      payload: {},
      path: "/hooks/uninstalled",
      eventId: "ev-9",
      apiVersion: "2026-04",
      triggeredAt: "2026-05-01T00:00:00.000Z",
    });
    const delivery = deliveries.at(-1)!;
    expect(result.eventId).toBe("ev-9");
    expect(delivery.url).toBe("/hooks/uninstalled");
    expect(delivery.req.headers["x-shopify-api-version"]).toBe("2026-04");
    expect(delivery.req.headers["x-shopify-triggered-at"]).toBe("2026-05-01T00:00:00.000Z");
  });

  it("delivers over HTTP from POST /_double/webhooks", async () => {
    const response = await fetch(`${double.url}/_double/webhooks`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ shop: FIXTURE_SHOP, topic: "shop/redact", payload: { shop_domain: FIXTURE_SHOP } }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 200, body: "ok" });
    const delivery = deliveries.at(-1)!;
    expect(delivery.url).toBe("/webhooks/shop/redact");
    expect((await api.webhooks.validate({ rawBody: delivery.rawBody, rawRequest: delivery.req })).valid).toBe(true);

    const bad = await fetch(`${double.url}/_double/webhooks`, { method: "POST", body: JSON.stringify({ topic: "x" }) });
    expect(bad.status).toBe(400);
  });
});
