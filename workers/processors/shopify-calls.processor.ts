import { UnrecoverableError, type Job } from "bullmq";

import { env } from "../../app/config/env.server";
import { type SurveyLinkOutcome, writeSurveyLinkMetafields } from "../../app/crm/feedback/survey-link-metafield.server";
import { surveyTokenKey } from "../../app/crm/feedback/survey-token";
import { createMicroBatcher } from "../../app/lib/micro-batcher";
import type { LoyaltyDeps } from "../../app/crm/loyalty/loyalty-service-deps";
import { readMemberBirthday } from "../../app/crm/loyalty/birthday-from-shopify.server";
import { syncMemberToShopify } from "../../app/crm/loyalty/sync-loyalty-to-shopify.server";
import type { JobName, JobPayloads } from "../../app/jobs/queues";
import { createJobScopes, shopOfJob } from "./job-shop";
import { unrecoverableWithoutSession } from "./unrecoverable-without-session";

export type ShopifyCallsJob = {
  [N in JobName<"shopify-calls">]: Job<JobPayloads["shopify-calls"][N], unknown, N>;
}[JobName<"shopify-calls">];

export type ShopifyCallsProcessor = (job: ShopifyCallsJob) => Promise<unknown>;

const JOB_NAMES: Record<JobName<"shopify-calls">, true> = {
  "survey-link-metafield": true,
  "sync-member-to-shopify": true,
  "read-member-birthday": true,
};

/** A job of this queue by its name (the loyalty queue may still hold some from before it existed). */
export const isShopifyCallsJob = (job: { name: string }): job is ShopifyCallsJob => Object.hasOwn(JOB_NAMES, job.name);

export function createShopifyCallsProcessor(loyaltyDeps: LoyaltyDeps): ShopifyCallsProcessor {
  const scopes = createJobScopes(loyaltyDeps);
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
  return async (job) => {
    // Every job names its shop; its records are read and written in that shop's scope.
    const shopDomain = shopOfJob(job);
    switch (job.name) {
      case "survey-link-metafield":
        return surveyLinks.add({ shopDomain, orderShopifyId: BigInt(job.data.orderShopifyId) });
      case "sync-member-to-shopify":
        return unrecoverableWithoutSession(() =>
          syncMemberToShopify(scopes.byDomain(shopDomain), shopDomain, BigInt(job.data.memberId)),
        );
      case "read-member-birthday":
        return unrecoverableWithoutSession(() =>
          readMemberBirthday(scopes.byDomain(shopDomain), shopDomain, BigInt(job.data.memberId)),
        );
      default:
        throw new UnrecoverableError(`Unknown shopify-calls job ${(job as Job).name}`);
    }
  };
}

/** The positions of the requests of each shop, in order. */
function indexesByShop(requests: readonly { shopDomain: string }[]): Map<string, number[]> {
  const byShop = new Map<string, number[]>();
  requests.forEach((request, i) => byShop.set(request.shopDomain, [...(byShop.get(request.shopDomain) ?? []), i]));
  return byShop;
}
