// Which handler applies each webhook topic. A topic without a handler is kept in the
// inbox as "ignored", so it can be replayed once one exists. Topics with a batch handler
// are applied many deliveries at a time by the ingest worker.
import { PRIVACY_WEBHOOK_HANDLERS } from "../privacy/privacy-webhooks.server";
import { PROFILE_WEBHOOK_BATCH_HANDLERS, PROFILE_WEBHOOK_HANDLERS } from "../profile/profile-webhooks.server";
import { HISTORY_WEBHOOK_HANDLERS } from "../history/history-webhooks.server";
import { SHOP_WEBHOOK_HANDLERS } from "../shop/shop-webhooks.server";
import type { DeliveryBatchHandler } from "./delivery-batch-handler";
import type { DeliveryHandler } from "./webhook-handler";

export const WEBHOOK_HANDLERS: Record<string, DeliveryHandler> = {
  ...PROFILE_WEBHOOK_HANDLERS,
  ...SHOP_WEBHOOK_HANDLERS,
  ...HISTORY_WEBHOOK_HANDLERS,
  ...PRIVACY_WEBHOOK_HANDLERS,
};

export const WEBHOOK_BATCH_HANDLERS: Record<string, DeliveryBatchHandler> = {
  ...PROFILE_WEBHOOK_BATCH_HANDLERS,
};
