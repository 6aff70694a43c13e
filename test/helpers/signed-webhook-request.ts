// A webhook request as Shopify sends it: raw JSON body, base64 HMAC-SHA256 keyed with
// the app secret, and Shopify's headers.
import { createHmac, randomUUID } from "node:crypto";

export interface SignedWebhookOptions {
  shop: string;
  topic: string;
  body: string | object;
  secret?: string;
  webhookId?: string;
  eventId?: string;
  appUrl?: string;
}

export function signedWebhookRequest(options: SignedWebhookOptions): Request {
  const raw = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const secret = options.secret ?? process.env.SHOPIFY_API_SECRET!;
  const hmac = createHmac("sha256", secret).update(raw, "utf8").digest("base64");
  return new Request(`${options.appUrl ?? process.env.SHOPIFY_APP_URL}/webhooks/${options.topic}`, {
    method: "POST",
    body: raw,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": options.topic,
      "X-Shopify-Hmac-Sha256": hmac,
      "X-Shopify-Shop-Domain": options.shop,
      "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
      "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
      "X-Shopify-Triggered-At": new Date().toISOString(),
      "X-Shopify-API-Version": "2026-07",
    },
  });
}
