// Applies one inbox delivery with its topic's handler. Handlers are idempotent, so a
// delivery retried after a crash, or replayed, changes nothing the second time.
import { UnrecoverableError } from "bullmq";

import type { ApplyWebhookDeps } from "./webhook-handler";
import { WEBHOOK_HANDLERS } from "./webhook-handlers.server";
import { findDelivery, markDelivery } from "./webhook-inbox.repository.server";

export type { ApplyWebhookDeps } from "./webhook-handler";

export async function applyWebhookDelivery(deps: ApplyWebhookDeps, deliveryId: bigint): Promise<"applied" | "ignored"> {
  const delivery = await findDelivery(deps.db, deliveryId);
  if (!delivery) throw new UnrecoverableError(`Webhook delivery ${deliveryId} is not in the inbox`);
  if (delivery.status === "applied" || delivery.status === "ignored") return delivery.status;
  const handler = WEBHOOK_HANDLERS[delivery.topic];
  if (!handler) {
    await markDelivery(deps.db, deliveryId, { status: "ignored" });
    deps.logger.info({ shop: delivery.shopDomain, topic: delivery.topic }, "webhook kept without processing");
    return "ignored";
  }
  let outcome: "applied" | "ignored";
  try {
    outcome = await handler(deps, {
      id: delivery.id,
      shopDomain: delivery.shopDomain,
      topic: delivery.topic,
      payload: delivery.payload,
      webhookId: delivery.webhookId,
      occurredAt: delivery.triggeredAt ?? delivery.receivedAt,
    });
  } catch (error) {
    // A payload that is not what Shopify sends will not get better on retry.
    if ((error as { code?: string }).code === "invalid_payload") throw new UnrecoverableError((error as Error).message);
    throw error;
  }
  await markDelivery(deps.db, deliveryId, { status: outcome });
  return outcome;
}
