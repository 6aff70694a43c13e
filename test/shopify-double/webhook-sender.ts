// Delivers webhooks to the app the way Shopify does: JSON body, HMAC of the exact bytes,
// and the X-Shopify-* headers that authenticate.webhook / api.webhooks.validate require.
import { createHmac, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

import type { DoubleState } from "./double-state";
import { HttpError, readParams, sendJson } from "./http-utils";
import { SCHEMA_API_VERSION } from "./schema";
import type { SendWebhookArgs, WebhookDeliveryResult } from "./types";

/** Base64 HMAC-SHA256 of the raw body bytes, keyed with the app secret (X-Shopify-Hmac-Sha256). */
export function signWebhookBody(rawBody: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

export function webhookHeaders(
  args: SendWebhookArgs,
  rawBody: string,
  secret: string,
  ids: { webhookId: string; eventId: string; triggeredAt: string },
): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Topic": args.topic,
    "X-Shopify-Hmac-Sha256": signWebhookBody(rawBody, args.signWith ?? secret),
    "X-Shopify-Shop-Domain": args.shop,
    "X-Shopify-Webhook-Id": ids.webhookId,
    "X-Shopify-Event-Id": ids.eventId,
    "X-Shopify-Triggered-At": ids.triggeredAt,
    "X-Shopify-API-Version": args.apiVersion ?? SCHEMA_API_VERSION,
    "User-Agent": "Shopify-Captain-Hook",
  };
}

export async function sendWebhook(state: DoubleState, args: SendWebhookArgs): Promise<WebhookDeliveryResult> {
  const rawBody = JSON.stringify(args.payload);
  const ids = {
    webhookId: args.webhookId ?? randomUUID(),
    eventId: args.eventId ?? randomUUID(),
    triggeredAt: args.triggeredAt ?? new Date().toISOString(),
  };
  const path = args.path ?? `/webhooks/${args.topic}`;
  const response = await fetch(`${state.config.appUrl}${path}`, {
    method: "POST",
    headers: webhookHeaders(args, rawBody, state.config.apiSecret, ids),
    body: rawBody,
  });
  return { status: response.status, webhookId: ids.webhookId, eventId: ids.eventId, body: await response.text() };
}

/** POST /_double/webhooks with JSON {shop, topic, payload, ...}: manual deliveries (curl, demo scripts). */
export async function handleWebhookRequest(
  state: DoubleState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const params = await readParams(req);
  const { shop, topic } = params;
  if (typeof shop !== "string" || !state.shops.has(shop) || typeof topic !== "string" || !("payload" in params)) {
    throw new HttpError(400, { errors: "Expected JSON {shop, topic, payload} for a shop the double hosts" });
  }
  const optional = (name: string): string | undefined =>
    typeof params[name] === "string" ? (params[name] as string) : undefined;
  try {
    const result = await sendWebhook(state, {
      shop,
      topic,
      payload: params.payload,
      webhookId: optional("webhookId"),
      eventId: optional("eventId"),
      triggeredAt: optional("triggeredAt"),
      apiVersion: optional("apiVersion"),
      path: optional("path"),
    });
    sendJson(res, 200, result);
  } catch (error) {
    sendJson(res, 502, {
      errors: `Delivery to the app failed: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}
