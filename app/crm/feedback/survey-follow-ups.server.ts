// What happens after an answer is stored: loyalty points for answering, a recovery reward for a
// detractor, and the Flow trigger. Run inline after the answer and again by the
// `process-survey-response` job (the safety net), so each step is idempotent: the points carry
// the ledger key `survey:<response id>`, the recovery redemption is created under the response's
// row lock and its code derives from the redemption id, the trigger is marked once sent.
import { requestCustomerEvents } from "../automations/automation-jobs.server";
import { ledgerKeys } from "../loyalty/ledger-entry";
import { appendLockedEntries, LEDGER_TX_OPTIONS, lockMember } from "../loyalty/loyalty-ledger.repository.server";
import type { LoyaltyDeps } from "../loyalty/loyalty-service-deps";
import { findProgram, type LoyaltyProgramRecord } from "../loyalty/loyalty.repository.server";
import { enrolCustomer } from "../loyalty/evaluate-order.server";
import { issueReward } from "../loyalty/redeem-reward.server";
import { insertPendingRedemption } from "../loyalty/redemption.repository.server";
import { discountCodeForRedemption, rewardSnapshot } from "../loyalty/reward-discount";
import { requestShopifySync } from "../loyalty/sync-loyalty-to-shopify.server";
import { fireFlowTrigger } from "../shopify-admin/flow-triggers.server";
import { ShopifyAdminError } from "../shopify-admin/shopify-admin-error";
import type { FeedbackSettings } from "./feedback-settings";
import type { NpsBand } from "./nps";
import { surveyFlowTrigger } from "./survey-flow-trigger";
import type { SurveyKind } from "./survey-kinds";
import {
  findFeedbackSettings,
  findSurveyResponse,
  lockSurveyResponse,
  updateSurveyResponse,
  type SurveyResponseRecord,
} from "./survey-responses.repository.server";

export interface FollowUpOutcome {
  pointsAwarded: number;
  recoveryRedemptionId: bigint | null;
  flowFired: boolean;
}

/** The response must be `shopDomain`'s (the job's shop), or nothing happens. */
export async function processSurveyResponse(
  deps: LoyaltyDeps,
  responseId: bigint,
  shopDomain: string,
): Promise<FollowUpOutcome | null> {
  const response = await findSurveyResponse(deps.db, shopDomain, responseId);
  if (!response) {
    deps.logger.warn(
      { shop: shopDomain, responseId: responseId.toString() },
      "no such survey response in this shop: no follow-ups",
    );
    return null;
  }
  if (response.shop.uninstalledAt) return null;
  const settings = await findFeedbackSettings(deps.db, response.shopId);
  const program = await findProgram(deps.db, response.shopId);
  const pointsAwarded = await awardPoints(deps, response, settings, program);
  const recoveryRedemptionId = await recoveryReward(deps, response, settings, program);
  const flowFired = await fireSurveyFlowTrigger(deps, response);
  // Automations with the "survey answered" event react now, not at the next nightly evaluation;
  // the job id (by response) makes the inline call and the job's retry one request.
  if (response.customerId !== null)
    await requestCustomerEvents(deps, response.shopId, [response.customerId], ["survey"], `survey-${responseId}`);
  await updateSurveyResponse(deps.db, responseId, { processedAt: deps.now?.() ?? new Date() });
  return { pointsAwarded, recoveryRedemptionId, flowFired };
}

async function awardPoints(
  deps: LoyaltyDeps,
  response: SurveyResponseRecord,
  settings: FeedbackSettings,
  program: LoyaltyProgramRecord | null,
): Promise<number> {
  if (response.pointsAwarded > 0) return response.pointsAwarded;
  if (settings.pointsForAnswer <= 0 || !program?.enabled || response.customerId === null) return 0;
  const member = await enrolCustomer(deps, response.shop.domain, program, response.customerId);
  const now = deps.now?.() ?? new Date();
  const inserted = await deps.db.$transaction(async (tx) => {
    const locked = await lockMember(tx, member.id);
    const result = await appendLockedEntries(
      tx,
      locked,
      [
        {
          kind: "survey",
          points: settings.pointsForAnswer,
          idempotencyKey: ledgerKeys.survey(response.id),
          orderShopifyId: response.orderShopifyId,
          reason: `Answered the ${response.kind.toUpperCase()} survey`,
        },
      ],
      now,
    );
    const points = result.inserted[0]?.points ?? 0;
    if (points > 0) await updateSurveyResponse(tx, response.id, { pointsAwarded: points });
    return points;
  }, LEDGER_TX_OPTIONS);
  if (inserted > 0) await requestShopifySync(deps, response.shop.domain, member.id);
  return inserted;
}

async function recoveryReward(
  deps: LoyaltyDeps,
  response: SurveyResponseRecord,
  settings: FeedbackSettings,
  program: LoyaltyProgramRecord | null,
): Promise<bigint | null> {
  if (response.band !== "detractor" || response.customerId === null || !program?.enabled) {
    return response.recoveryRedemptionId;
  }
  const reward = program.rewards.find((r) => r.id === settings.recoveryRewardId);
  let redemptionId = response.recoveryRedemptionId;
  if (redemptionId === null && reward) {
    const member = await enrolCustomer(deps, response.shop.domain, program, response.customerId);
    redemptionId = await deps.db.$transaction(async (tx) => {
      const locked = await lockSurveyResponse(tx, response.id);
      if (locked?.recoveryRedemptionId) return locked.recoveryRedemptionId;
      // Free: the reward's code without a points debit (pointsSpent 0, so a refusal gives nothing back).
      const created = await insertPendingRedemption(
        tx,
        {
          shopId: response.shopId,
          memberId: member.id,
          rewardId: reward.id,
          snapshot: rewardSnapshot(reward),
          pointsSpent: 0,
        },
        discountCodeForRedemption,
      );
      await updateSurveyResponse(tx, response.id, { recoveryRedemptionId: created.id });
      return created.id;
    });
  }
  // issueReward looks the code up first, so a repeated call never creates a second discount;
  // a transient failure throws and the job retries.
  if (redemptionId !== null) await issueReward(deps, redemptionId, { shopId: response.shopId });
  return redemptionId;
}

async function fireSurveyFlowTrigger(deps: LoyaltyDeps, response: SurveyResponseRecord): Promise<boolean> {
  if (response.flowFiredAt) return true;
  if (response.customerShopifyId === null || !deps.adminFor) return false;
  const admin = await deps.adminFor(response.shop.domain);
  const trigger = surveyFlowTrigger({
    customerShopifyId: response.customerShopifyId,
    kind: response.kind as SurveyKind,
    score: response.score,
    band: response.band as NpsBand | null,
    orderShopifyId: response.orderShopifyId,
  });
  try {
    await fireFlowTrigger(admin, trigger);
  } catch (error) {
    // Flow refused this payload: a retry sends the same one, so record it and move on.
    if (!(error instanceof ShopifyAdminError) || error.code !== "USER_ERRORS") throw error;
    deps.logger.warn(
      { shopId: response.shopId, responseId: response.id.toString(), err: error.message },
      "flow trigger refused",
    );
  }
  await updateSurveyResponse(deps.db, response.id, { flowFiredAt: deps.now?.() ?? new Date() });
  return true;
}
