// Enqueues one inbox delivery on its queue, under its deterministic job id.
import type { JobQueues } from "../../jobs/job-queues.server";
import { deliveryJobId, deliveryJobTarget } from "./delivery-jobs";

export async function enqueueDelivery(
  jobs: JobQueues,
  delivery: { id: bigint; shopDomain: string; topic: string; attempts: number },
) {
  const payload = { deliveryId: delivery.id.toString(), shopDomain: delivery.shopDomain, topic: delivery.topic };
  const options = { jobId: deliveryJobId(delivery.id, delivery.attempts) };
  const target = deliveryJobTarget(delivery.topic);
  if (target.queue === "privacy") await jobs.add("privacy", "apply-request", payload, options);
  else await jobs.add("ingest", "apply-webhook", payload, options);
}
