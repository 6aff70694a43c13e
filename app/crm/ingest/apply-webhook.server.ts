// Applies inbox deliveries with their topic's handler. Handlers are idempotent, so a
// delivery retried after a crash, or replayed, changes nothing the second time. Topics with
// a batch handler (customers, orders, refunds) are applied many at a time: the worker hands
// in every delivery it is running at once (apply-webhook-batcher.server.ts). The inbox is read
// and marked with `db`; each handler works on its shop's data with `shopDb` (its scope).
import { UnrecoverableError } from "bullmq";

import { applied, failed, type DeliveryBatchHandler, type DeliveryOutcome } from "./delivery-batch-handler";
import { findDeliveries, markDeliveriesDone } from "./inbox-batch.repository.server";
import { depsForShop, type ApplyWebhookDeps, type InboxDeliveryForHandler } from "./webhook-handler";
import { WEBHOOK_BATCH_HANDLERS, WEBHOOK_HANDLERS } from "./webhook-handlers.server";

export type { ApplyWebhookDeps } from "./webhook-handler";

/** A delivery to apply, by id. */
export interface DeliveryToApply {
  deliveryId: bigint;
  /**
   * The job's shop: a delivery recorded for another shop is refused, never applied. Jobs always
   * carry it; in-process callers that recorded the delivery themselves (tests, replays) may not.
   */
  shopDomain?: string;
}

export async function applyWebhookDelivery(
  deps: ApplyWebhookDeps,
  deliveryId: bigint,
  shopDomain?: string,
): Promise<DeliveryOutcome> {
  const [result] = await applyWebhookDeliveries(deps, [{ deliveryId, shopDomain }]);
  if (result!.status === "rejected") throw result!.reason;
  return result!.value;
}

// A payload that is not what Shopify sends will not get better on retry.
function retryable(error: unknown): unknown {
  if ((error as { code?: string }).code === "invalid_payload") return new UnrecoverableError((error as Error).message);
  return error;
}

/** Applies the deliveries; one result per request, in order (a failure is that delivery's alone). */
export async function applyWebhookDeliveries(
  deps: ApplyWebhookDeps,
  requests: readonly DeliveryToApply[],
): Promise<PromiseSettledResult<DeliveryOutcome>[]> {
  const ids = [...new Set(requests.map((request) => request.deliveryId))];
  const rows = new Map((await findDeliveries(deps.db, ids)).map((row) => [row.id, row]));
  // A job for one shop carrying another shop's delivery id: refused, and that other delivery is
  // applied only if a request of its own shop asks for it.
  const refused = new Set(
    requests.filter((request) => {
      const row = rows.get(request.deliveryId);
      return row !== undefined && request.shopDomain !== undefined && request.shopDomain !== row.shopDomain;
    }),
  );
  const wanted = new Set(requests.filter((request) => !refused.has(request)).map((request) => request.deliveryId));
  const results = new Map<bigint, PromiseSettledResult<DeliveryOutcome>>();
  const batches = new Map<DeliveryBatchHandler, InboxDeliveryForHandler[]>();
  const singles: InboxDeliveryForHandler[] = [];
  for (const id of ids) {
    if (!wanted.has(id)) continue;
    const row = rows.get(id);
    if (!row) {
      results.set(id, failed(new UnrecoverableError(`Webhook delivery ${id} is not in the inbox`)));
    } else if (row.status === "applied" || row.status === "ignored") {
      results.set(id, applied(row.status));
    } else {
      const delivery = {
        id: row.id,
        shopDomain: row.shopDomain,
        topic: row.topic,
        payload: row.payload,
        webhookId: row.webhookId,
        occurredAt: row.triggeredAt ?? row.receivedAt,
      };
      const batchHandler = WEBHOOK_BATCH_HANDLERS[row.topic];
      if (batchHandler) batches.set(batchHandler, [...(batches.get(batchHandler) ?? []), delivery]);
      else singles.push(delivery);
    }
  }
  for (const [handler, deliveries] of batches) {
    const outcomes = await handler(deps, deliveries);
    deliveries.forEach((delivery, i) => results.set(delivery.id, outcomes[i]!));
  }
  for (const delivery of singles) {
    results.set(delivery.id, await applySingle(depsForShop(deps, delivery.shopDomain), delivery));
  }

  const done = { applied: [] as bigint[], ignored: [] as bigint[] };
  for (const [id, result] of results) {
    const before = rows.get(id)?.status;
    if (result.status === "fulfilled" && before !== "applied" && before !== "ignored") done[result.value].push(id);
  }
  await markDeliveriesDone(deps.db, done.applied, "applied");
  await markDeliveriesDone(deps.db, done.ignored, "ignored");
  return requests.map((request) => {
    if (refused.has(request)) {
      const id = request.deliveryId.toString();
      deps.logger.warn({ shop: request.shopDomain, deliveryId: id }, "webhook delivery of another shop: refused");
      return failed(new UnrecoverableError(`Webhook delivery ${id} is not in ${request.shopDomain}'s inbox`));
    }
    const result = results.get(request.deliveryId)!;
    return result.status === "rejected" ? failed(retryable(result.reason)) : result;
  });
}

async function applySingle(
  deps: ApplyWebhookDeps,
  delivery: InboxDeliveryForHandler,
): Promise<PromiseSettledResult<DeliveryOutcome>> {
  const handler = WEBHOOK_HANDLERS[delivery.topic];
  if (!handler) {
    deps.logger.info({ shop: delivery.shopDomain, topic: delivery.topic }, "webhook kept without processing");
    return applied("ignored");
  }
  try {
    return applied(await handler(deps, delivery));
  } catch (error) {
    return failed(error);
  }
}
