// app/uninstalled and app/scopes_update.
import { UnrecoverableError } from "bullmq";

import type { DeliveryHandler } from "../ingest/webhook-handler";
import { markShopUninstalled, updateSessionScopes } from "./shop.repository.server";

export const SHOP_WEBHOOK_HANDLERS: Record<string, DeliveryHandler> = {
  "app/uninstalled": async ({ db }, delivery) => {
    await markShopUninstalled(db, delivery.shopDomain, delivery.occurredAt);
    return "applied";
  },
  "app/scopes_update": async ({ db }, delivery) => {
    const current = (delivery.payload as { current?: unknown }).current;
    if (!Array.isArray(current)) throw new UnrecoverableError("app/scopes_update payload has no current scopes");
    await updateSessionScopes(db, delivery.shopDomain, current.map(String));
    return "applied";
  },
};
