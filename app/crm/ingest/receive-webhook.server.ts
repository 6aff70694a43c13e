// The whole of a webhook request: verify (library HMAC check), store once in the inbox,
// enqueue, answer. Heavy work never runs here. One function serves both ways in: the
// Express route in server.ts (production) and the Remix routes (shopify app dev, tests).
import { jobs } from "../../jobs/jobs.server";
import { logger } from "../../lib/logger.server";
import { createInboxBatcher, type InboxBatcher } from "./inbox-batcher.server";
import { inboxPool } from "./inbox-pool.server";
import { verifyWebhook, type IncomingWebhook } from "./verify-webhook.server";

export type { IncomingWebhook } from "./verify-webhook.server";

export interface WebhookAnswer {
  status: number;
  body?: string;
}

let batcher: InboxBatcher | undefined;
const inbox = () => (batcher ??= createInboxBatcher({ pool: inboxPool(), jobs: jobs(), logger }));

export async function receiveWebhookDelivery(incoming: IncomingWebhook): Promise<WebhookAnswer> {
  const verified = await verifyWebhook(incoming);
  if ("status" in verified) {
    // A forged signature is noise from the internet; anything else is worth a look.
    if (verified.status !== 401) {
      logger.warn({ path: incoming.pathname, status: verified.status, reason: verified.reason }, "webhook rejected");
    }
    return { status: verified.status, body: verified.status === 400 ? verified.reason : undefined };
  }
  const receipt = await inbox().record({
    shopDomain: verified.shop,
    webhookId: verified.webhookId,
    eventId: verified.eventId,
    topic: verified.topic,
    apiVersion: verified.apiVersion,
    triggeredAt: verified.triggeredAt,
    payloadJson: verified.payloadJson,
  });
  if (receipt === "duplicate") {
    logger.info(
      { shop: verified.shop, topic: verified.topic, webhookId: verified.webhookId },
      "webhook already received",
    );
  }
  return { status: 200 };
}

/** The Remix routes' way in: app/routes/webhooks.<topic>.tsx. */
export async function receiveWebhook(request: Request): Promise<Response> {
  const url = new URL(request.url);
  let answer: WebhookAnswer;
  try {
    answer = await receiveWebhookDelivery({
      method: request.method,
      url: request.url,
      pathname: url.pathname,
      headers: Object.fromEntries(request.headers),
      rawBody: request.method === "POST" ? await request.text() : "",
    });
  } catch (error) {
    // Not stored (PostgreSQL down): 503 and Shopify delivers it again, as on the Express path.
    logger.error({ path: url.pathname, err: (error as Error).message }, "webhook not stored");
    return new Response(null, { status: 503, headers: { "Retry-After": "5" } });
  }
  return new Response(answer.body, { status: answer.status });
}
