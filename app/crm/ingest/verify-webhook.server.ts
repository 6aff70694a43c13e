// Verifies a webhook with the Shopify library's own check (HMAC of the raw body with the
// app secret, required headers). We call `webhooks.validate` directly rather than
// `authenticate.webhook`, which also loads the shop's session from the database on every
// delivery: the receiving path needs none, and it is the hottest path of the app.
// The library's web-api adapter reads the request through `rawRequest` (what the app's
// shopifyApp() installs too); this import makes that explicit for the Express path.
import "@shopify/shopify-api/adapters/web-api";
import {
  ApiVersion,
  shopifyApi,
  ShopifyEventsHeader,
  ShopifyHeader,
  WebhookValidationErrorReason,
} from "@shopify/shopify-api";

import { env } from "../../config/env.server";
import { normaliseTopic, topicOfWebhookPath, type WebhookTopic } from "./webhook-topics";

let api: ReturnType<typeof shopifyApi> | undefined;
function webhookApi() {
  const config = env();
  api ??= shopifyApi({
    apiKey: config.SHOPIFY_API_KEY,
    apiSecretKey: config.SHOPIFY_API_SECRET,
    // Validation does not depend on the version; the app's subscriptions pin theirs in
    // shopify.app.toml and each delivery names it in X-Shopify-API-Version.
    apiVersion: ApiVersion.July26,
    hostName: new URL(config.SHOPIFY_APP_URL).host,
    isEmbeddedApp: true,
    scopes: config.SCOPES.split(","),
    logger: { level: 0 },
  });
  return api;
}

/** A webhook request as it arrived, whichever server (Express or Remix) took it. */
export interface IncomingWebhook {
  method: string;
  /** Absolute URL of the request. */
  url: string;
  pathname: string;
  /** Header names in lower case, as Node and the Fetch API give them. */
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export interface VerifiedWebhook {
  shop: string;
  topic: WebhookTopic;
  webhookId: string;
  eventId: string | null;
  apiVersion: string;
  triggeredAt: Date | null;
  /** The body as received, checked to be JSON: stored as it is, never re-serialised. */
  payloadJson: string;
}

/** What to answer a request that is not a verified delivery. */
export interface WebhookRefusal {
  status: 400 | 401 | 404 | 405;
  reason: string;
}

const header = (incoming: IncomingWebhook, name: string) => {
  const value = incoming.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
};

// The library canonicalises every header name it is given with regular expressions, over
// and over (about 0.3 ms of CPU a call with a dozen headers, 0.1 ms with five): give it
// only the headers it requires, for Shopify's webhooks and for its newer events.
const LIBRARY_HEADERS = [
  ShopifyHeader.Hmac,
  ShopifyHeader.Topic,
  ShopifyHeader.Domain,
  ShopifyHeader.ApiVersion,
  ShopifyHeader.WebhookId,
  ShopifyEventsHeader.Hmac,
  ShopifyEventsHeader.Topic,
  ShopifyEventsHeader.Domain,
  ShopifyEventsHeader.ApiVersion,
  ShopifyEventsHeader.WebhookId,
  ShopifyEventsHeader.EventId,
].map((name) => name.toLowerCase());

function libraryHeaders(incoming: IncomingWebhook): Map<string, string> {
  const headers = new Map<string, string>();
  for (const name of LIBRARY_HEADERS) {
    const value = header(incoming, name);
    if (value !== null) headers.set(name, value);
  }
  return headers;
}

export async function verifyWebhook(incoming: IncomingWebhook): Promise<VerifiedWebhook | WebhookRefusal> {
  if (incoming.method !== "POST") return { status: 405, reason: "method not allowed" };
  const routeTopic = topicOfWebhookPath(incoming.pathname);
  if (!routeTopic) return { status: 404, reason: "no webhook route at this path" };
  const check = await webhookApi().webhooks.validate({
    rawBody: incoming.rawBody,
    rawRequest: { method: incoming.method, url: incoming.url, headers: libraryHeaders(incoming) },
  });
  if (!check.valid) {
    return check.reason === WebhookValidationErrorReason.InvalidHmac
      ? { status: 401, reason: "invalid HMAC" }
      : { status: 400, reason: `Missing webhook headers: ${check.reason}` };
  }
  // Each route takes one topic: a delivery posted to another topic's path is a mistake.
  if (normaliseTopic(check.topic) !== routeTopic) {
    return { status: 400, reason: `X-Shopify-Topic does not match the path ${incoming.pathname}` };
  }
  try {
    JSON.parse(incoming.rawBody);
  } catch {
    return { status: 400, reason: "Malformed JSON body" };
  }
  const triggeredAt = header(incoming, "x-shopify-triggered-at");
  const at = triggeredAt ? new Date(triggeredAt) : null;
  return {
    shop: check.domain,
    topic: routeTopic,
    webhookId: check.webhookId,
    eventId: header(incoming, "x-shopify-event-id"),
    apiVersion: check.apiVersion,
    triggeredAt: at && !Number.isNaN(at.getTime()) ? at : null,
    payloadJson: incoming.rawBody,
  };
}
