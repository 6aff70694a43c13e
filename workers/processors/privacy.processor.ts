import type { Job } from "bullmq";

import { applyWebhookDelivery, type ApplyWebhookDeps } from "../../app/crm/ingest/apply-webhook.server";
import { applyRetention } from "../../app/crm/privacy/retention.server";
import type { JobPayloads } from "../../app/jobs/queues";
import { shopOfJob } from "./job-shop";

// Compliance requests share the inbox; the daily retention pass runs on the same queue.
export function createPrivacyProcessor(deps: ApplyWebhookDeps) {
  return async (job: Job<JobPayloads["privacy"][keyof JobPayloads["privacy"]]>) => {
    if (job.name === "apply-retention") return applyRetention(deps);
    const data = job.data as JobPayloads["privacy"]["apply-request"];
    return applyWebhookDelivery(deps, BigInt(data.deliveryId), shopOfJob(job));
  };
}
