import type { Job } from "bullmq";

import { applyWebhookDelivery, type ApplyWebhookDeps } from "../../app/crm/ingest/apply-webhook.server";
import { applyRetention } from "../../app/crm/privacy/retention.server";
import type { JobPayloads } from "../../app/jobs/queues";
import { createJobScopes, shopOfJob } from "./job-shop";

// Compliance requests share the inbox; the daily retention pass runs on the same queue.
export function createPrivacyProcessor(deps: ApplyWebhookDeps) {
  const scopes = createJobScopes(deps);
  return async (job: Job<JobPayloads["privacy"][keyof JobPayloads["privacy"]]>) => {
    // Every shop's expired data at once: the owner's client (listed in worker-database-scope).
    if (job.name === "apply-retention") return applyRetention(deps);
    const data = job.data as JobPayloads["privacy"]["apply-request"];
    const shopDomain = shopOfJob(job);
    return applyWebhookDelivery(scopes.byDomain(shopDomain), BigInt(data.deliveryId), shopDomain);
  };
}
