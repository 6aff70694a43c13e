// A handler that applies several inbox deliveries at once: one set of statements for the
// whole batch instead of one per delivery. Each delivery still gets its own outcome, so one
// bad payload fails alone while the rest are applied.
import type { ApplyWebhookDeps, InboxDeliveryForHandler } from "./webhook-handler";

export type DeliveryOutcome = "applied" | "ignored";

/** One result per delivery, in the order given. */
export type DeliveryBatchHandler = (
  deps: ApplyWebhookDeps,
  deliveries: readonly InboxDeliveryForHandler[],
) => Promise<PromiseSettledResult<DeliveryOutcome>[]>;

export const applied = <T>(value: T): PromiseFulfilledResult<T> => ({ status: "fulfilled", value });
export const failed = (reason: unknown): PromiseRejectedResult => ({ status: "rejected", reason });
