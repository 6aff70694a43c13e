// The Shopify Flow triggers of automations, one per event family
// (extensions/automation-<family>-flow-trigger/shopify.extension.toml), each with the customer as
// reference. The payload's keys are the toml's fields: `customer_id` (the numeric Shopify id)
// for the customer reference, then the custom fields by their `key`.
import type { TriggerType } from "./automation-rule";

export const AUTOMATION_FLOW_FAMILIES = ["segment", "lifecycle", "loyalty", "orders", "survey"] as const;
export type AutomationFlowFamily = (typeof AUTOMATION_FLOW_FAMILIES)[number];

const FAMILY_OF: Record<TriggerType, AutomationFlowFamily> = {
  segment_entered: "segment",
  segment_left: "segment",
  lifecycle_changed: "lifecycle",
  churn_risk_crossed: "lifecycle",
  tier_changed: "loyalty",
  birthday: "loyalty",
  points_expiring: "loyalty",
  first_order: "orders",
  nth_order: "orders",
  no_order_for_days: "orders",
  survey_answered: "survey",
};

export function flowFamilyOf(trigger: TriggerType): AutomationFlowFamily {
  return FAMILY_OF[trigger];
}

export const automationFlowHandle = (family: AutomationFlowFamily) => `kinship-automation-${family}`;

export function automationFlowTrigger(input: {
  trigger: TriggerType;
  customerShopifyId: bigint;
  ruleName: string;
  ruleId: number;
}): { handle: string; payload: Record<string, string | number> } {
  return {
    handle: automationFlowHandle(flowFamilyOf(input.trigger)),
    payload: {
      customer_id: Number(input.customerShopifyId),
      "automation name": input.ruleName.slice(0, 255),
      "automation id": String(input.ruleId),
      event: input.trigger,
    },
  };
}
