import type { Job } from "bullmq";

import type { ApplyWebhookDeps } from "../../app/crm/ingest/apply-webhook.server";
import { createApplyWebhookBatcher } from "../../app/crm/ingest/apply-webhook-batcher.server";
import type { JobPayloads } from "../../app/jobs/queues";
import { createJobScopes, shopOfJob } from "./job-shop";

export function createIngestProcessor(deps: ApplyWebhookDeps) {
  // The jobs running at once are applied together (see the batcher). The inbox, every shop's, is
  // read and marked with the owner's client; each shop's deliveries are applied in its scope.
  const scopes = createJobScopes(deps);
  const batcher = createApplyWebhookBatcher({ ...deps, shopDb: scopes.clients.byDomain });
  return async (job: Job<JobPayloads["ingest"]["apply-webhook"]>) => {
    return batcher.apply({ deliveryId: BigInt(job.data.deliveryId), shopDomain: shopOfJob(job) });
  };
}
