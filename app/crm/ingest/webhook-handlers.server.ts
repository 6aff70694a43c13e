// Which handler applies each webhook topic. A topic without a handler is kept in the
// inbox as "ignored", so it can be replayed once one exists.
import { SHOP_WEBHOOK_HANDLERS } from "../shop/shop-webhooks.server";
import type { DeliveryHandler } from "./webhook-handler";

export const WEBHOOK_HANDLERS: Record<string, DeliveryHandler> = {
  ...SHOP_WEBHOOK_HANDLERS,
};
