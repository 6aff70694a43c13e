// The actions a run performs, each safe to repeat: a reward's code is tied to the run step
// (one code per action execution), points carry a ledger key of the run step, tags and
// metafields are set states. A Flow trigger is sent at least once (Flow has no idempotency key):
// the run records the step as done right after it.
import { appendLedgerEntries } from "../loyalty/loyalty-ledger.repository.server";
import { LoyaltyLedgerError } from "../loyalty/ledger-entry";
import { createGiftRedemption } from "../loyalty/gift-reward.server";
import { enrolCustomer } from "../loyalty/evaluate-order.server";
import { findMemberByCustomer, findProgram } from "../loyalty/loyalty.repository.server";
import { issueReward } from "../loyalty/redeem-reward.server";
import type { LoyaltyDeps } from "../loyalty/loyalty-service-deps";
import { requestShopifySync } from "../loyalty/sync-loyalty-to-shopify.server";
import { addCustomerTags, removeCustomerTags } from "../shopify-admin/customer-tags.server";
import { fireFlowTrigger } from "../shopify-admin/flow-triggers.server";
import { setMetafields } from "../shopify-admin/metafields.server";
import type { ShopifyAdminClient } from "../shopify-admin/shopify-admin-client.server";
import { AutomationError } from "./automation-error";
import { automationFlowTrigger } from "./automation-flow-triggers";
import type { AutomationAction, TriggerType } from "./automation-rule";
import { stepRedemption } from "./automation-runs.repository.server";

/** The ledger key of a points action: one entry per run step, whatever the retries. */
export const automationPointsKey = (runId: bigint, step: number) => `automation:${runId}:${step}`;

export interface ActionContext {
  runId: bigint;
  step: number;
  shopId: number;
  shopDomain: string;
  customerId: bigint;
  customerShopifyId: bigint;
  rule: { id: number; name: string; trigger: TriggerType };
}

type Exclude<T, U> = T extends U ? never : T;
export type PerformedAction = Exclude<AutomationAction, { type: "wait" }>;

export async function performAction(deps: LoyaltyDeps, action: PerformedAction, ctx: ActionContext): Promise<void> {
  switch (action.type) {
    case "reward":
      return issueAutomationReward(deps, action, ctx);
    case "points":
      return movePoints(deps, action, ctx);
    case "tag": {
      const admin = await adminOf(deps, ctx);
      const gid = customerGid(ctx.customerShopifyId);
      return action.op === "add"
        ? addCustomerTags(admin, gid, [action.tag])
        : removeCustomerTags(admin, gid, [action.tag]);
    }
    case "metafield": {
      const admin = await adminOf(deps, ctx);
      return setMetafields(admin, [
        {
          ownerId: customerGid(ctx.customerShopifyId),
          namespace: action.namespace,
          key: action.key,
          type: action.valueType,
          value: action.value,
        },
      ]);
    }
    case "flow": {
      const admin = await adminOf(deps, ctx);
      return fireFlowTrigger(
        admin,
        automationFlowTrigger({
          trigger: ctx.rule.trigger,
          customerShopifyId: ctx.customerShopifyId,
          ruleName: ctx.rule.name,
          ruleId: ctx.rule.id,
        }),
      );
    }
  }
}

const customerGid = (shopifyId: bigint) => `gid://shopify/Customer/${shopifyId}`;

async function adminOf(deps: LoyaltyDeps, ctx: ActionContext): Promise<ShopifyAdminClient> {
  if (!deps.adminFor) throw new AutomationError("no_admin_client", "No Admin API client factory");
  return deps.adminFor(ctx.shopDomain);
}

/**
 * The customer's loyalty member, enrolling them when the program is on (as an order or a survey
 * answer would): a win-back code should not depend on the customer having joined first.
 */
async function memberOf(deps: LoyaltyDeps, ctx: ActionContext) {
  const member = await findMemberByCustomer(deps.db, ctx.customerId);
  if (member) {
    if (member.shopId !== ctx.shopId) throw new AutomationError("not_a_member", "The customer is not a loyalty member");
    return member;
  }
  const program = await findProgram(deps.db, ctx.shopId);
  if (!program?.enabled)
    throw new AutomationError("not_a_member", "The customer is not a loyalty member and the loyalty program is off");
  return enrolCustomer(deps, ctx.shopDomain, program, ctx.customerId);
}

async function issueAutomationReward(
  deps: LoyaltyDeps,
  action: Extract<AutomationAction, { type: "reward" }>,
  ctx: ActionContext,
) {
  const member = await memberOf(deps, ctx);
  const redemptionId = await stepRedemption(deps.db, ctx.runId, ctx.step, (tx) =>
    createGiftRedemption(tx, { shopId: ctx.shopId, memberId: member.id, gift: action }),
  );
  // Transient failures throw (the run's job retries and finds the same redemption and code).
  const status = await issueReward(deps, redemptionId, { shopId: ctx.shopId });
  if (status === "failed") throw new AutomationError("reward_refused", "Shopify refused the discount code");
}

async function movePoints(
  deps: LoyaltyDeps,
  action: Extract<AutomationAction, { type: "points" }>,
  ctx: ActionContext,
) {
  const member = await memberOf(deps, ctx);
  try {
    const result = await appendLedgerEntries(deps.db, member.id, [
      {
        kind: "adjust",
        points: action.points,
        idempotencyKey: automationPointsKey(ctx.runId, ctx.step),
        reason: action.reason,
        staffName: `Automation: ${ctx.rule.name}`.slice(0, 255),
      },
    ]);
    if (result.inserted.length > 0) await requestShopifySync(deps, ctx.shopDomain, member.id);
  } catch (error) {
    if (error instanceof LoyaltyLedgerError && error.code === "insufficient_points")
      throw new AutomationError("insufficient_points", error.message);
    throw error;
  }
}
