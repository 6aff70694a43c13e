// The whole of a webhook request: verify (library HMAC check), store once in the
// inbox, enqueue, answer. Heavy work never runs here.
import type { Prisma } from "@prisma/client";

import { jobs } from "../../jobs/jobs.server";
import { logger } from "../../lib/logger.server";
import { enqueueDelivery } from "../data-health/enqueue-delivery.server";
import { inboxPool } from "./inbox-pool.server";
import { verifyWebhook } from "./verify-webhook.server";
import { recordDeliveryWithPool } from "./webhook-inbox.repository.server";
import { normaliseTopic } from "./webhook-topics";

export async function receiveWebhook(request: Request): Promise<Response> {
  const verified = await verifyWebhook(request);
  if (verified instanceof Response) {
    if (verified.status !== 401) logger.warn({ url: request.url, status: verified.status }, "webhook rejected");
    return verified;
  }
  const topic = normaliseTopic(verified.topic);
  const deliveryId = await recordDeliveryWithPool(inboxPool(), {
    shopDomain: verified.shop,
    webhookId: verified.webhookId,
    eventId: verified.eventId,
    topic,
    apiVersion: verified.apiVersion,
    triggeredAt: verified.triggeredAt,
    payload: verified.payload as Prisma.InputJsonValue,
  });
  if (deliveryId === null) {
    logger.info({ shop: verified.shop, topic, webhookId: verified.webhookId }, "webhook already received");
    return new Response();
  }
  try {
    await enqueueDelivery(jobs(), { id: deliveryId, shopDomain: verified.shop, topic, attempts: 0 });
  } catch (error) {
    // The delivery is safe in the inbox; the inbox sweeper enqueues it once Redis is back.
    logger.error({ shop: verified.shop, topic, err: (error as Error).message }, "webhook stored but not enqueued");
  }
  return new Response();
}
