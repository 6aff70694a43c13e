import { UnrecoverableError, type Job } from "bullmq";

import { env } from "../../app/config/env.server";
import { processSurveyResponse } from "../../app/crm/feedback/survey-follow-ups.server";
import { type SurveyLinkOutcome, writeSurveyLinkMetafields } from "../../app/crm/feedback/survey-link-metafield.server";
import { surveyTokenKey } from "../../app/crm/feedback/survey-token";
import { runDailyShop } from "../../app/crm/loyalty/daily-shop.server";
import { createMicroBatcher } from "../../app/lib/micro-batcher";
import { evaluateCustomer, evaluateOrders, type EvaluationOutcome } from "../../app/crm/loyalty/evaluate-order.server";
import type { LoyaltyDeps } from "../../app/crm/loyalty/loyalty-service-deps";
import { readMemberBirthday } from "../../app/crm/loyalty/birthday-from-shopify.server";
import { issueRewardAttempt } from "../../app/crm/loyalty/settle-redemption.server";
import { syncMemberToShopify } from "../../app/crm/loyalty/sync-loyalty-to-shopify.server";
import { runTierReplacement } from "../../app/crm/loyalty/tier-replacement.server";
import { ShopifyAdminError } from "../../app/crm/shopify-admin/shopify-admin-error";
import type { JobName, JobPayloads } from "../../app/jobs/queues";
import { createJobScopes, shopOfJob } from "./job-shop";

type LoyaltyJob = { [N in JobName<"loyalty">]: Job<JobPayloads["loyalty"][N], unknown, N> }[JobName<"loyalty">];

export function createLoyaltyProcessor(loyaltyDeps: LoyaltyDeps) {
  const scopes = createJobScopes(loyaltyDeps);
  // The order evaluations running at once share their reads and one ledger transaction. With the
  // owner's client: one runs for every order webhook, and in scope its standalone reads cost 4 round
  // trips each (test/security/worker-database-scope lists why).
  const orders = createMicroBatcher<{ shopDomain: string; orderShopifyId: bigint }, EvaluationOutcome>((requests) =>
    evaluateOrders(loyaltyDeps, requests),
  );
  let surveyKey: Buffer | undefined;
  // Survey links running at once share metafieldsSet calls (25 to a call), shop by shop.
  const surveyLinks = createMicroBatcher<{ shopDomain: string; orderShopifyId: bigint }, SurveyLinkOutcome>(
    async (requests) => {
      if (!loyaltyDeps.adminFor) throw new UnrecoverableError("No Admin API client for survey links");
      surveyKey ??= surveyTokenKey(env().SHOPIFY_API_SECRET);
      const results: PromiseSettledResult<SurveyLinkOutcome>[] = new Array(requests.length);
      for (const [shopDomain, indexes] of indexesByShop(requests)) {
        const linkDeps = { ...scopes.byDomain(shopDomain), adminFor: loyaltyDeps.adminFor, surveyTokenKey: surveyKey };
        const ids = indexes.map((i) => requests[i]!.orderShopifyId);
        const settled = await writeSurveyLinkMetafields(linkDeps, shopDomain, ids).catch((reason: unknown) =>
          ids.map((): PromiseRejectedResult => ({ status: "rejected", reason })),
        );
        indexes.forEach((index, j) => (results[index] = settled[j]!));
      }
      return results;
    },
  );
  return async (job: LoyaltyJob) => {
    // Every loyalty job names its shop. Survey links are scoped per shop in their batcher above;
    // the per-event evaluations (evaluate-order, evaluate-customer) use the owner's client.
    const deps = scopes.byDomain(shopOfJob(job));
    switch (job.name) {
      case "evaluate-order":
        return orders.add({ shopDomain: job.data.shopDomain, orderShopifyId: BigInt(job.data.orderShopifyId) });
      case "evaluate-customer":
        // With the owner's client: one follows every customer webhook (see worker-database-scope).
        return evaluateCustomer(loyaltyDeps, job.data.shopDomain, BigInt(job.data.customerShopifyId));
      case "issue-reward":
        // The last attempt that fails gives the points back instead of leaving them spent.
        return issueRewardAttempt(
          deps,
          BigInt(job.data.redemptionId),
          { shopDomain: shopOfJob(job) },
          { lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) },
        );
      case "sync-member-to-shopify":
        return unrecoverableWithoutSession(() =>
          syncMemberToShopify(deps, job.data.shopDomain, BigInt(job.data.memberId)),
        );
      case "read-member-birthday":
        return unrecoverableWithoutSession(() =>
          readMemberBirthday(deps, job.data.shopDomain, BigInt(job.data.memberId)),
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
      case "survey-link-metafield":
        return surveyLinks.add({ shopDomain: shopOfJob(job), orderShopifyId: BigInt(job.data.orderShopifyId) });
      default:
        throw new UnrecoverableError(`Unknown loyalty job ${(job as Job).name}`);
    }
  };
}

/** The positions of the requests of each shop, in order. */
function indexesByShop(requests: readonly { shopDomain: string }[]): Map<string, number[]> {
  const byShop = new Map<string, number[]>();
  requests.forEach((request, i) => byShop.set(request.shopDomain, [...(byShop.get(request.shopDomain) ?? []), i]));
  return byShop;
}

async function unrecoverableWithoutSession<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    // No offline session (uninstalled, or a shop without one): retrying will not help.
    if (error instanceof ShopifyAdminError && error.code === "UNAUTHORIZED")
      throw new UnrecoverableError(error.message);
    throw error;
  }
}
