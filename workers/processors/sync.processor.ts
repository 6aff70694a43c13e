import type { Job } from "bullmq";

import type { HistoryImportDeps } from "../../app/crm/history/history-import.server";
import { reconcileShop } from "../../app/crm/history/reconcile-shop.server";
import type { JobPayloads } from "../../app/jobs/queues";

export function createSyncProcessor(deps: HistoryImportDeps) {
  return async (job: Job<JobPayloads["sync"]["reconcile-shop"]>) => {
    return reconcileShop(deps, job.data.shopDomain);
  };
}
