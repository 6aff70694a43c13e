// After the ingest worker applies an order, refund or customer, loyalty gets a job (one per
// delivery, so a replayed delivery adds nothing). The profile handlers call
// requestLoyaltyEvaluations with what they applied, which keeps loyalty rules out of ingest.
import type { JobsOptions } from "bullmq";

import type { JobName, JobPayloads } from "../../jobs/queues";
import type { ApplyWebhookDeps, DeliveryHandler, InboxDeliveryForHandler } from "../ingest/webhook-handler";
import { findShopByDomain } from "../shop/shop.repository.server";
import { recordCodesUsed } from "./redemption.repository.server";
import { isLoyaltyDiscountCode } from "./reward-discount";

type Payload = { id?: unknown; order_id?: unknown; discount_codes?: { code?: unknown }[] };

function idOf(value: unknown): bigint | null {
  return typeof value === "number" || (typeof value === "string" && /^\d+$/.test(value)) ? BigInt(value) : null;
}

const ORDER_TOPICS = new Set(["orders/create", "orders/updated", "orders/paid", "orders/cancelled"]);
const CUSTOMER_TOPICS = new Set(["customers/create", "customers/update"]);
const isEvaluated = (topic: string) =>
  ORDER_TOPICS.has(topic) || CUSTOMER_TOPICS.has(topic) || topic === "refunds/create";

type LoyaltyJob = {
  [N in JobName<"loyalty">]: { name: N; data: JobPayloads["loyalty"][N]; opts: JobsOptions };
}[JobName<"loyalty">];

interface Evaluation {
  job: LoyaltyJob;
  /** Loyalty discount codes used on the order, linked to their redemptions before evaluation. */
  codes: string[];
  orderId: bigint | null;
}

function evaluationOf(delivery: InboxDeliveryForHandler): Evaluation | null {
  const payload = (delivery.payload ?? {}) as Payload;
  const opts = { jobId: `loyalty-${delivery.id}` };
  if (CUSTOMER_TOPICS.has(delivery.topic)) {
    const customerId = idOf(payload.id);
    if (customerId === null) return null;
    const data = { shopDomain: delivery.shopDomain, customerShopifyId: customerId.toString() };
    return { job: { name: "evaluate-customer", data, opts }, codes: [], orderId: null };
  }
  const orderId = idOf(delivery.topic === "refunds/create" ? payload.order_id : payload.id);
  if (orderId === null) return null;
  const codes = (payload.discount_codes ?? []).map((d) => String(d.code ?? "")).filter(isLoyaltyDiscountCode);
  const data = { shopDomain: delivery.shopDomain, orderShopifyId: orderId.toString() };
  return { job: { name: "evaluate-order", data, opts }, codes, orderId };
}

/** Queues the loyalty evaluation of applied deliveries (those of other topics are skipped): one addBulk. */
export async function requestLoyaltyEvaluations(
  deps: ApplyWebhookDeps,
  deliveries: readonly InboxDeliveryForHandler[],
): Promise<void> {
  const evaluations = deliveries.flatMap((delivery) =>
    isEvaluated(delivery.topic) ? (evaluationOf(delivery) ?? []) : [],
  );
  const shopIds = new Map<string, number | null>();
  for (const evaluation of evaluations) {
    if (evaluation.codes.length === 0 || evaluation.orderId === null) continue;
    // Before evaluation: a refund of this order must know which redeemed points it used.
    const domain = evaluation.job.data.shopDomain;
    if (!shopIds.has(domain)) shopIds.set(domain, (await findShopByDomain(deps.db, domain))?.id ?? null);
    const shopId = shopIds.get(domain);
    if (shopId) await recordCodesUsed(deps.db, shopId, evaluation.orderId, evaluation.codes);
  }
  if (evaluations.length > 0) await deps.jobs.queue("loyalty").addBulk(evaluations.map((e) => e.job));
}

/** The profile handlers, each followed by its loyalty job. */
export function withLoyaltyEvaluation(handlers: Record<string, DeliveryHandler>): Record<string, DeliveryHandler> {
  const wrapped: Record<string, DeliveryHandler> = {};
  for (const [topic, handler] of Object.entries(handlers)) {
    wrapped[topic] = isEvaluated(topic)
      ? async (deps, delivery) => {
          const outcome = await handler(deps, delivery);
          if (outcome === "applied") await requestLoyaltyEvaluations(deps, [delivery]);
          return outcome;
        }
      : handler;
  }
  return wrapped;
}
