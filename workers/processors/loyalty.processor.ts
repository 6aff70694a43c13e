import { UnrecoverableError, type Job } from "bullmq";

import { processSurveyResponse } from "../../app/crm/feedback/survey-follow-ups.server";
import { runDailyShop } from "../../app/crm/loyalty/daily-shop.server";
import { createMicroBatcher } from "../../app/lib/micro-batcher";
import { evaluateCustomers, evaluateOrders, type EvaluationOutcome } from "../../app/crm/loyalty/evaluate-order.server";
import type { LoyaltyDeps } from "../../app/crm/loyalty/loyalty-service-deps";
import { issueRewardAttempt } from "../../app/crm/loyalty/settle-redemption.server";
import { runTierReplacement } from "../../app/crm/loyalty/tier-replacement.server";
import type { JobName, JobPayloads } from "../../app/jobs/queues";
import { createJobScopes, shopOfJob } from "./job-shop";
import { isShopifyCallsJob, type ShopifyCallsJob, type ShopifyCallsProcessor } from "./shopify-calls.processor";
import { unrecoverableWithoutSession } from "./unrecoverable-without-session";

type LoyaltyJob = { [N in JobName<"loyalty">]: Job<JobPayloads["loyalty"][N], unknown, N> }[JobName<"loyalty">];

export function createLoyaltyProcessor(loyaltyDeps: LoyaltyDeps, shopifyCalls: ShopifyCallsProcessor) {
  const scopes = createJobScopes(loyaltyDeps);
  // The order evaluations running at once share their reads and, shop by shop, one transaction
  // in that shop's scope (one runs for every order webhook: see evaluate-order.server.ts).
  const orders = createMicroBatcher<{ shopDomain: string; orderShopifyId: bigint }, EvaluationOutcome>((requests) =>
    evaluateOrders(scopes.byDomain, requests),
  );
  // Likewise the customer evaluations (one runs for every customer webhook).
  const customers = createMicroBatcher<{ shopDomain: string; customerShopifyId: bigint }, EvaluationOutcome>(
    (requests) => evaluateCustomers(scopes.byDomain, requests),
  );
  return async (job: LoyaltyJob | ShopifyCallsJob) => {
    // Jobs enqueued here before the shopify-calls queue took them (still waiting at deploy time)
    // run with that queue's code.
    if (isShopifyCallsJob(job)) return shopifyCalls(job);
    // Every loyalty job names its shop, and runs in its scope.
    const deps = scopes.byDomain(shopOfJob(job));
    switch (job.name) {
      case "evaluate-order":
        return orders.add({ shopDomain: job.data.shopDomain, orderShopifyId: BigInt(job.data.orderShopifyId) });
      case "evaluate-customer":
        return customers.add({
          shopDomain: job.data.shopDomain,
          customerShopifyId: BigInt(job.data.customerShopifyId),
        });
      case "issue-reward":
        // The last attempt that fails gives the points back instead of leaving them spent.
        return issueRewardAttempt(
          deps,
          BigInt(job.data.redemptionId),
          { shopDomain: shopOfJob(job) },
          { lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) },
        );
      case "reevaluate-shop-tiers":
        return runTierReplacement(deps, job.data.shopDomain);
      case "daily-shop":
        return runDailyShop(deps, job.data.shopDomain);
      case "process-survey-response":
        // The job's return value is stored as JSON: the redemption id as text.
        return unrecoverableWithoutSession(async () => {
          const outcome = await processSurveyResponse(deps, BigInt(job.data.responseId), shopOfJob(job));
          return outcome && { ...outcome, recoveryRedemptionId: outcome.recoveryRedemptionId?.toString() ?? null };
        });
      default:
        throw new UnrecoverableError(`Unknown loyalty job ${(job as Job).name}`);
    }
  };
}
