import type { Job } from "bullmq";

import type { ApplyWebhookDeps } from "../../app/crm/ingest/apply-webhook.server";
import { createApplyWebhookBatcher } from "../../app/crm/ingest/apply-webhook-batcher.server";
import type { JobPayloads } from "../../app/jobs/queues";
import { shopOfJob } from "./job-shop";

export function createIngestProcessor(deps: ApplyWebhookDeps) {
  // The jobs running at once are applied together (see the batcher). With the owner's client: a
  // per-event job (test/security/worker-database-scope.integration.test.ts says why).
  const batcher = createApplyWebhookBatcher(deps);
  return async (job: Job<JobPayloads["ingest"]["apply-webhook"]>) => {
    return batcher.apply({ deliveryId: BigInt(job.data.deliveryId), shopDomain: shopOfJob(job) });
  };
}
