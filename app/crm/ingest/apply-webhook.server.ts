// Applies one inbox delivery. Topics whose processing arrives with the customer-data
// issue are marked "ignored" (kept in the inbox, so they can be replayed later).
import { UnrecoverableError } from "bullmq";

import type { PrismaClient } from "../../db.server";
import type { Logger } from "../../lib/logger.server";
import { markShopUninstalled, updateSessionScopes } from "../shop/shop.repository.server";
import { findDelivery, markDelivery } from "./webhook-inbox.repository.server";

export interface ApplyWebhookDeps {
  db: PrismaClient;
  logger: Logger;
}

type DeliveryHandler = (
  deps: ApplyWebhookDeps,
  delivery: { shopDomain: string; payload: unknown; receivedAt: Date },
) => Promise<void>;

const HANDLERS: Record<string, DeliveryHandler> = {
  "app/uninstalled": async ({ db }, delivery) => {
    await markShopUninstalled(db, delivery.shopDomain, delivery.receivedAt);
  },
  "app/scopes_update": async ({ db }, delivery) => {
    const current = (delivery.payload as { current?: unknown }).current;
    if (!Array.isArray(current)) throw new UnrecoverableError("app/scopes_update payload has no current scopes");
    await updateSessionScopes(db, delivery.shopDomain, current.map(String));
  },
};

export async function applyWebhookDelivery(deps: ApplyWebhookDeps, deliveryId: bigint): Promise<"applied" | "ignored"> {
  const delivery = await findDelivery(deps.db, deliveryId);
  if (!delivery) throw new UnrecoverableError(`Webhook delivery ${deliveryId} is not in the inbox`);
  if (delivery.status === "applied" || delivery.status === "ignored") return delivery.status;
  const handler = HANDLERS[delivery.topic];
  if (!handler) {
    await markDelivery(deps.db, deliveryId, { status: "ignored" });
    deps.logger.info({ shop: delivery.shopDomain, topic: delivery.topic }, "webhook kept without processing");
    return "ignored";
  }
  await handler(deps, delivery);
  await markDelivery(deps.db, deliveryId, { status: "applied" });
  return "applied";
}
