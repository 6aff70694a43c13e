// Storing a shopper's answer (from either channel), then its follow-ups: inline, with a job
// queued first as the safety net should this process die or Shopify be unreachable.
import type { LoyaltyDeps } from "../loyalty/loyalty-service-deps";
import type { SurveyAnswer } from "./survey-answer";
import { processSurveyResponse, type FollowUpOutcome } from "./survey-follow-ups.server";
import type { SurveyChannel } from "./survey-kinds";
import { discountCodeOfRedemption, insertSurveyResponse } from "./survey-responses.repository.server";

export type RecordOutcome =
  | { status: "already_answered" }
  | { status: "recorded"; responseId: bigint; pointsAwarded: number; recoveryCode: string | null };

export async function recordSurveyAnswer(
  deps: LoyaltyDeps,
  input: {
    shop: { id: number; domain: string };
    order: { shopifyId: bigint; customerId: bigint | null; customerShopifyId: bigint | null };
    channel: SurveyChannel;
    answer: SurveyAnswer;
  },
): Promise<RecordOutcome> {
  const responseId = await insertSurveyResponse(deps.db, {
    shopId: input.shop.id,
    orderShopifyId: input.order.shopifyId,
    customerId: input.order.customerId,
    customerShopifyId: input.order.customerShopifyId,
    channel: input.channel,
    answer: input.answer,
    answeredAt: deps.now?.() ?? new Date(),
  });
  if (responseId === null) return { status: "already_answered" };
  deps.logger.info(
    { shop: input.shop.domain, responseId: responseId.toString(), kind: input.answer.kind },
    "survey answered",
  );
  await deps.jobs.add(
    "loyalty",
    "process-survey-response",
    { shopDomain: input.shop.domain, responseId: responseId.toString() },
    { jobId: `survey-response-${responseId}`, delay: 30_000 },
  );
  let outcome: FollowUpOutcome | null = null;
  try {
    outcome = await processSurveyResponse(deps, responseId, input.shop.domain);
  } catch (error) {
    deps.logger.warn(
      { shop: input.shop.domain, responseId: responseId.toString(), err: (error as Error).message },
      "survey follow-ups deferred to their job",
    );
  }
  const redemption =
    outcome?.recoveryRedemptionId != null
      ? await discountCodeOfRedemption(deps.db, input.shop.id, outcome.recoveryRedemptionId)
      : null;
  return {
    status: "recorded",
    responseId,
    pointsAwarded: outcome?.pointsAwarded ?? 0,
    recoveryCode: redemption?.status === "issued" ? redemption.discountCode : null,
  };
}
