import { UnrecoverableError, type Job } from "bullmq";

import { rescoreCustomer } from "../../app/crm/analytics/rescore-customer.server";
import {
  requestRecommendationMining,
  runRecommendationMining,
} from "../../app/crm/recommendations/recommendation-jobs.server";
import { runShopAnalytics, type AnalyticsDeps } from "../../app/crm/analytics/run-shop-analytics.server";
import { requestSegmentRecompute } from "../../app/crm/segments/segment-jobs.server";
import { findShopByDomain } from "../../app/crm/shop/shop.repository.server";
import type { JobQueues } from "../../app/jobs/job-queues.server";
import type { JobPayloads } from "../../app/jobs/queues";

type AnalyticsJob =
  | Job<JobPayloads["analytics"]["compute-shop"], unknown, "compute-shop">
  | Job<JobPayloads["analytics"]["rescore-customer"], unknown, "rescore-customer">
  | Job<JobPayloads["analytics"]["mine-recommendations"], unknown, "mine-recommendations">;

export function createAnalyticsProcessor(deps: Omit<AnalyticsDeps, "onProgress"> & { jobs?: JobQueues }) {
  return async (job: AnalyticsJob) => {
    if (job.name === "rescore-customer") {
      const { shopId, customerId } = job.data;
      return rescoreCustomer(deps, shopId, BigInt(customerId));
    }
    if (job.name === "compute-shop") {
      const outcome = await runShopAnalytics(
        { ...deps, onProgress: (progress) => job.updateProgress(progress) },
        job.data.shopDomain,
        job.data.trigger,
      );
      // Saved segments follow the new scores (their recompute finds them stale).
      if (outcome.status === "succeeded" && deps.jobs) {
        const shop = await findShopByDomain(deps.db, job.data.shopDomain);
        if (shop) await requestSegmentRecompute(deps.jobs, shop.id);
        // Co-purchase rules in their own job: the run's phase times stay the run's.
        if (shop) await requestRecommendationMining(deps.jobs, shop.id, outcome.runId);
      }
      return outcome;
    }
    if (job.name === "mine-recommendations") {
      if (!deps.jobs) throw new UnrecoverableError("No job queues to chain the metafield batch");
      return runRecommendationMining({ ...deps, jobs: deps.jobs }, job.data.shopId);
    }
    throw new UnrecoverableError(`Unknown analytics job ${String((job as Job).name)}`);
  };
}
