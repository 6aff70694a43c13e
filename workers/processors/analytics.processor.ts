import { UnrecoverableError, type Job } from "bullmq";

import { rescoreCustomer } from "../../app/crm/analytics/rescore-customer.server";
import { runShopAnalytics, type AnalyticsDeps } from "../../app/crm/analytics/run-shop-analytics.server";
import type { JobPayloads } from "../../app/jobs/queues";

type AnalyticsJob =
  | Job<JobPayloads["analytics"]["compute-shop"], unknown, "compute-shop">
  | Job<JobPayloads["analytics"]["rescore-customer"], unknown, "rescore-customer">;

export function createAnalyticsProcessor(deps: Omit<AnalyticsDeps, "onProgress">) {
  return async (job: AnalyticsJob) => {
    if (job.name === "rescore-customer") {
      const { shopId, customerId } = job.data;
      return rescoreCustomer(deps, shopId, BigInt(customerId));
    }
    if (job.name === "compute-shop") {
      return runShopAnalytics(
        { ...deps, onProgress: (progress) => job.updateProgress(progress) },
        job.data.shopDomain,
        job.data.trigger,
      );
    }
    throw new UnrecoverableError(`Unknown analytics job ${String((job as Job).name)}`);
  };
}
