// The whole of a webhook request: verify (library HMAC check), store once in the
// inbox, enqueue, answer. Heavy work never runs here.
import type { Prisma } from "@prisma/client";

import { jobs } from "../../jobs/jobs.server";
import { logger } from "../../lib/logger.server";
import { db } from "../../db.server";
import { authenticate } from "../../shopify.server";
import { recordDelivery } from "./webhook-inbox.repository.server";
import { isComplianceTopic, normaliseTopic } from "./webhook-topics";

export async function receiveWebhook(request: Request): Promise<Response> {
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    // Throws a 401 Response on a bad HMAC, 400 on missing headers, 405 on non-POST.
    context = await authenticate.webhook(request);
  } catch (error) {
    if (error instanceof Response) return error;
    if (error instanceof SyntaxError) {
      logger.warn({ url: request.url }, "webhook rejected: body is not JSON");
      return new Response("Malformed JSON body", { status: 400 });
    }
    throw error;
  }
  const topic = normaliseTopic(context.topic);
  const deliveryId = await recordDelivery(db(), {
    shopDomain: context.shop,
    webhookId: context.webhookId,
    eventId: context.eventId ?? null,
    topic,
    apiVersion: context.apiVersion,
    triggeredAt: parseTriggeredAt(context.triggeredAt),
    payload: context.payload as Prisma.InputJsonValue,
  });
  if (deliveryId === null) {
    logger.info({ shop: context.shop, topic, webhookId: context.webhookId }, "webhook already received");
    return new Response();
  }
  const payload = { deliveryId: deliveryId.toString(), shopDomain: context.shop, topic };
  try {
    // Job id = delivery id: a repeated enqueue of the same delivery is a no-op.
    const options = { jobId: `delivery-${payload.deliveryId}` };
    if (isComplianceTopic(topic)) await jobs().add("privacy", "apply-request", payload, options);
    else await jobs().add("ingest", "apply-webhook", payload, options);
  } catch (error) {
    // The delivery is safe in the inbox; the inbox sweeper enqueues it once Redis is back.
    logger.error({ shop: context.shop, topic, err: (error as Error).message }, "webhook stored but not enqueued");
  }
  return new Response();
}

function parseTriggeredAt(value: string | undefined): Date | null {
  const at = value ? new Date(value) : null;
  return at && !Number.isNaN(at.getTime()) ? at : null;
}
