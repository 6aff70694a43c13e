// Which job applies an inbox delivery, and its id. The id is deterministic so that BullMQ
// drops a repeated enqueue of the same run: `delivery-<id>` for the run started when the
// webhook arrived, `delivery-<id>-retry-<attempts>` for a merchant's retry of a dead letter
// (attempts only grows, so each retry gets a new id and is not deduplicated away).
import { isComplianceTopic } from "../ingest/webhook-topics";

export type DeliveryJobTarget =
  { queue: "privacy"; name: "apply-request" } | { queue: "ingest"; name: "apply-webhook" };

export function deliveryJobTarget(topic: string): DeliveryJobTarget {
  return isComplianceTopic(topic)
    ? { queue: "privacy", name: "apply-request" }
    : { queue: "ingest", name: "apply-webhook" };
}

/** `attempts` is webhook_deliveries.attempts when the run was enqueued (0 when the webhook arrived). */
export function deliveryJobId(deliveryId: bigint | string, attempts: number): string {
  return attempts > 0 ? `delivery-${deliveryId}-retry-${attempts}` : `delivery-${deliveryId}`;
}

/** A failed attempt is final when no retry follows: attempts used up, or an unrecoverable error. */
export function isFinalFailure(job: { attemptsMade: number; opts: { attempts?: number } }, error: Error): boolean {
  return error.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/** Payload of an inbox job, when the job is one (other jobs share the queues). */
export function inboxDeliveryOf(data: unknown): { deliveryId: bigint; shopDomain: string } | null {
  const { deliveryId, shopDomain } = (data ?? {}) as { deliveryId?: unknown; shopDomain?: unknown };
  if (typeof deliveryId !== "string" || !/^\d+$/.test(deliveryId) || typeof shopDomain !== "string") return null;
  return { deliveryId: BigInt(deliveryId), shopDomain };
}
