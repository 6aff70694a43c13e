// The shape every webhook handler has. Handlers live with their area (profile, privacy,
// history, shop) and are listed in webhook-handlers.server.ts.
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import type { Logger } from "../../lib/logger.server";

export interface ApplyWebhookDeps {
  /** The inbox's client: deliveries of every shop are read and marked with it. */
  db: PrismaClient;
  /**
   * A shop's client inside its row-level-security scope, for the handlers' work on the shop's
   * data (the workers' createJobScopes). Without it (in-process replays, handler tests), `db`.
   */
  shopDb?: (shopDomain: string) => PrismaClient;
  logger: Logger;
  jobs: JobQueues;
}

/** The deps a handler works with on one shop's data: `db` in that shop's scope, when there is one. */
export function depsForShop(deps: ApplyWebhookDeps, shopDomain: string): ApplyWebhookDeps {
  return deps.shopDb ? { ...deps, db: deps.shopDb(shopDomain) } : deps;
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
