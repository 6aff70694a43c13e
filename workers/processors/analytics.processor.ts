import { UnrecoverableError, type Job } from "bullmq";

import { rescoreCustomer, rescoreCustomers } from "../../app/crm/analytics/rescore-customer.server";
import { requestCustomerListRebuild } from "../../app/crm/customers/customer-list-jobs.server";
import { rebuildCustomerListTable } from "../../app/crm/customers/customer-list-table.repository.server";
import {
  requestRecommendationMining,
  runRecommendationMining,
} from "../../app/crm/recommendations/recommendation-jobs.server";
import { runShopAnalytics, type AnalyticsDeps } from "../../app/crm/analytics/run-shop-analytics.server";
import { requestSegmentRecompute } from "../../app/crm/segments/segment-jobs.server";
import { findShopByDomain } from "../../app/crm/shop/shop.repository.server";
import type { JobQueues } from "../../app/jobs/job-queues.server";
import type { JobPayloads } from "../../app/jobs/queues";
import { createJobScopes, shopIdOfJob, shopOfJob } from "./job-shop";

type AnalyticsJob =
  | Job<JobPayloads["analytics"]["compute-shop"], unknown, "compute-shop">
  | Job<JobPayloads["analytics"]["rescore-customer"], unknown, "rescore-customer">
  | Job<JobPayloads["analytics"]["rescore-customers"], unknown, "rescore-customers">
  | Job<JobPayloads["analytics"]["mine-recommendations"], unknown, "mine-recommendations">
  | Job<JobPayloads["analytics"]["rebuild-customer-list"], unknown, "rebuild-customer-list">;

export function createAnalyticsProcessor(deps: Omit<AnalyticsDeps, "onProgress"> & { jobs?: JobQueues }) {
  const scopes = createJobScopes(deps);
  return async (job: AnalyticsJob) => {
    if (job.name === "rescore-customers") {
      const shopId = shopIdOfJob(job);
      // One transaction of its own connection, in the shop's scope (rescore-customer.server.ts).
      return rescoreCustomers(scopes.byId(shopId), shopId, job.data.customerIds.map(BigInt));
    }
    if (job.name === "rescore-customer") {
      const shopId = shopIdOfJob(job);
      return rescoreCustomer(scopes.byId(shopId), shopId, BigInt(job.data.customerId));
    }
    if (job.name === "compute-shop") {
      // The run's bulk reads and writes go through its own connection (deps.databaseUrl, the
      // owner's; listed in worker-database-scope): the client handed over is the shop's.
      const shopDeps = scopes.byDomain(shopOfJob(job));
      const outcome = await runShopAnalytics(
        { ...shopDeps, onProgress: (progress) => job.updateProgress(progress) },
        job.data.shopDomain,
        job.data.trigger,
      );
      // Saved segments follow the new scores (their recompute finds them stale).
      if (outcome.status === "succeeded" && deps.jobs) {
        const shop = await findShopByDomain(shopDeps.db, job.data.shopDomain);
        if (shop) await requestSegmentRecompute(deps.jobs, shop.id);
        // The run wrote its scores with the list table's patches off: the table is rebuilt.
        if (shop) await requestCustomerListRebuild(deps.jobs, shop.id, `analytics-${outcome.runId}`);
        // Co-purchase rules in their own job: the run's phase times stay the run's.
        if (shop) await requestRecommendationMining(deps.jobs, shop.id, outcome.runId);
      }
      return outcome;
    }
    if (job.name === "mine-recommendations") {
      if (!deps.jobs) throw new UnrecoverableError("No job queues to chain the metafield batch");
      return runRecommendationMining({ ...scopes.byId(shopIdOfJob(job)), jobs: deps.jobs }, job.data.shopId);
    }
    if (job.name === "rebuild-customer-list") {
      // DDL in schema customer_lists (CREATE TABLE AS, indexes, swap), which kinship_app cannot do.
      const build = await rebuildCustomerListTable(deps.db, job.data.shopId);
      deps.logger.info({ shopId: job.data.shopId, rows: build.rows, ms: build.ms }, "customer list table rebuilt");
      return build;
    }
    throw new UnrecoverableError(`Unknown analytics job ${String((job as Job).name)}`);
  };
}
