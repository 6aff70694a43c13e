// The shape every webhook handler has. Handlers live with their area (profile, privacy,
// history, shop) and are listed in webhook-handlers.server.ts.
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import type { Logger } from "../../lib/logger.server";

export interface ApplyWebhookDeps {
  db: PrismaClient;
  logger: Logger;
  jobs: JobQueues;
}

export interface InboxDeliveryForHandler {
  id: bigint;
  shopDomain: string;
  topic: string;
  payload: unknown;
  webhookId: string;
  /** X-Shopify-Triggered-At, when Shopify sent it; else when we received the delivery. */
  occurredAt: Date;
}

/** Applies a delivery; "ignored" when there was nothing to do (for example, an unknown shop). */
export type DeliveryHandler = (
  deps: ApplyWebhookDeps,
  delivery: InboxDeliveryForHandler,
) => Promise<"applied" | "ignored">;
