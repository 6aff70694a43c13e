// Verifies a webhook with the Shopify library's own check (HMAC of the raw body with the
// app secret, required headers). We call `webhooks.validate` directly rather than
// `authenticate.webhook`, which also loads the shop's session from the database on every
// delivery: the receiving path needs none, and it is the hottest path of the app.
import { shopifyApi, WebhookValidationErrorReason } from "@shopify/shopify-api";

import { env } from "../../config/env.server";
// The app's Shopify set-up also installs the library's runtime adapters (and, offline, the
// double's fetch) in the right order; this module shares them.
import { API_VERSION } from "../../shopify.server";

let api: ReturnType<typeof shopifyApi> | undefined;
function webhookApi() {
  const config = env();
  api ??= shopifyApi({
    apiKey: config.SHOPIFY_API_KEY,
    apiSecretKey: config.SHOPIFY_API_SECRET,
    apiVersion: API_VERSION,
    hostName: new URL(config.SHOPIFY_APP_URL).host,
    isEmbeddedApp: true,
    scopes: config.SCOPES.split(","),
    logger: { level: 0 },
  });
  return api;
}

export interface VerifiedWebhook {
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  apiVersion: string;
  triggeredAt: Date | null;
  payload: unknown;
}

/** The delivery, or a Response to answer with: 405, 401 (bad HMAC), or 400 (headers, body). */
export async function verifyWebhook(request: Request): Promise<VerifiedWebhook | Response> {
  if (request.method !== "POST") return new Response(undefined, { status: 405 });
  const rawBody = await request.text();
  const check = await webhookApi().webhooks.validate({ rawBody, rawRequest: request });
  if (!check.valid) {
    return check.reason === WebhookValidationErrorReason.InvalidHmac
      ? new Response(undefined, { status: 401, statusText: "Unauthorized" })
      : new Response(`Missing webhook headers: ${check.reason}`, { status: 400 });
  }
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    return new Response("Malformed JSON body", { status: 400 });
  }
  const triggeredAt = request.headers.get("X-Shopify-Triggered-At");
  const at = triggeredAt ? new Date(triggeredAt) : null;
  return {
    shop: check.domain,
    topic: check.topic,
    webhookId: check.webhookId,
    eventId: request.headers.get("X-Shopify-Event-Id"),
    apiVersion: check.apiVersion,
    triggeredAt: at && !Number.isNaN(at.getTime()) ? at : null,
    payload,
  };
}
