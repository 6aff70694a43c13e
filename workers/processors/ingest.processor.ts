import type { Job } from "bullmq";

import { applyWebhookDelivery, type ApplyWebhookDeps } from "../../app/crm/ingest/apply-webhook.server";
import type { JobPayloads } from "../../app/jobs/queues";

export function createIngestProcessor(deps: ApplyWebhookDeps) {
  return async (job: Job<JobPayloads["ingest"]["apply-webhook"]>) => {
    return applyWebhookDelivery(deps, BigInt(job.data.deliveryId));
  };
}
