import type { Job } from "bullmq";

import { processCustomerBulkJob } from "../../app/crm/customers/customer-bulk-actions.server";
import type { HistoryImportDeps } from "../../app/crm/history/history-import.server";
import { reconcileShop } from "../../app/crm/history/reconcile-shop.server";
import { runRecommendationMetafields } from "../../app/crm/recommendations/recommendation-jobs.server";
import type { JobPayloads } from "../../app/jobs/queues";
import { createJobScopes, shopIdOfJob, shopOfJob } from "./job-shop";

export function createSyncProcessor(deps: HistoryImportDeps) {
  const scopes = createJobScopes(deps);
  return async (job: Job<JobPayloads["sync"][keyof JobPayloads["sync"]]>) => {
    if (job.name === "customers-bulk-action")
      return processCustomerBulkJob(
        scopes.byId(shopIdOfJob(job)),
        job.data as JobPayloads["sync"]["customers-bulk-action"],
      );
    if (job.name === "recommendation-metafields")
      return runRecommendationMetafields(
        scopes.byId(shopIdOfJob(job)),
        job.data as JobPayloads["sync"]["recommendation-metafields"],
      );
    const shopDomain = shopOfJob(job);
    return reconcileShop(scopes.byDomain(shopDomain), shopDomain);
  };
}
