// app/uninstalled and app/scopes_update.
import { UnrecoverableError } from "bullmq";

import type { DeliveryHandler } from "../ingest/webhook-handler";
import { unscheduleShopJobs } from "../history/shop-schedules.server";
import { markShopUninstalled, updateSessionScopes } from "./shop.repository.server";

export const SHOP_WEBHOOK_HANDLERS: Record<string, DeliveryHandler> = {
  // Sessions go (the token is dead), the shop's recurring jobs stop, the shop is marked; its
  // data stays until shop/redact, 48 hours later. Each step is a no-op the second time.
  "app/uninstalled": async ({ db, jobs, logger }, delivery) => {
    await markShopUninstalled(db, delivery.shopDomain, delivery.occurredAt);
    await unscheduleShopJobs(jobs, delivery.shopDomain);
    logger.info({ shop: delivery.shopDomain }, "shop uninstalled");
    return "applied";
  },
  "app/scopes_update": async ({ db }, delivery) => {
    const current = (delivery.payload as { current?: unknown }).current;
    if (!Array.isArray(current)) throw new UnrecoverableError("app/scopes_update payload has no current scopes");
    await updateSessionScopes(db, delivery.shopDomain, current.map(String));
    return "applied";
  },
};
