import type { Job } from "bullmq";

import { applyWebhookDelivery, type ApplyWebhookDeps } from "../../app/crm/ingest/apply-webhook.server";
import type { JobPayloads } from "../../app/jobs/queues";

// Compliance requests share the inbox; their processing arrives with the customer-data issue.
export function createPrivacyProcessor(deps: ApplyWebhookDeps) {
  return async (job: Job<JobPayloads["privacy"]["apply-request"]>) => {
    return applyWebhookDelivery(deps, BigInt(job.data.deliveryId));
  };
}
