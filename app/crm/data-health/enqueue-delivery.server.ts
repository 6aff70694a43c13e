// Enqueues inbox deliveries on their queues, under their deterministic job ids.
import type { JobQueues } from "../../jobs/job-queues.server";
import { deliveryJobId, deliveryJobTarget } from "./delivery-jobs";

interface DeliveryToEnqueue {
  id: bigint;
  shopDomain: string;
  topic: string;
  attempts: number;
}

const jobOf = (delivery: DeliveryToEnqueue) => ({
  payload: { deliveryId: delivery.id.toString(), shopDomain: delivery.shopDomain, topic: delivery.topic },
  options: { jobId: deliveryJobId(delivery.id, delivery.attempts) },
});

export async function enqueueDelivery(jobs: JobQueues, delivery: DeliveryToEnqueue) {
  const { payload, options } = jobOf(delivery);
  const target = deliveryJobTarget(delivery.topic);
  if (target.queue === "privacy") await jobs.add("privacy", "apply-request", payload, options);
  else await jobs.add("ingest", "apply-webhook", payload, options);
}

/** Many deliveries in one Redis round trip per queue (the webhook request path's micro-batches). */
export async function enqueueDeliveries(jobs: JobQueues, deliveries: DeliveryToEnqueue[]) {
  const byQueue = new Map<"privacy" | "ingest", { name: string; data: object; opts: object }[]>();
  for (const delivery of deliveries) {
    const target = deliveryJobTarget(delivery.topic);
    const { payload, options } = jobOf(delivery);
    const list = byQueue.get(target.queue) ?? [];
    list.push({ name: target.name, data: payload, opts: options });
    byQueue.set(target.queue, list);
  }
  // addBulk applies the queue's default job options (retries, backoff, removal) like add does.
  await Promise.all([...byQueue].map(([queue, list]) => jobs.queue(queue).addBulk(list)));
}
