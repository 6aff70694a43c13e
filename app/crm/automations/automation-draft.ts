// The editor's copy of a rule: numbers and amounts kept as the text the merchant typed (amounts
// in the shop currency), conditions as the segments rule builder's draft. `ruleOfDraft` turns it
// back into what automationRuleSchema checks on the server, so a typo becomes a field error there.
import { decimalStringToMinor, minorToDecimalString } from "../money/money";
import { draftOfFilter, filterOfDraft, type DraftGroup, type RuleOptions } from "../segments/rule-draft";
import type { AutomationAction, AutomationRuleInput, AutomationTrigger, TriggerType } from "./automation-rule";

/** Every trigger parameter as text; only those of the chosen type are sent. */
export interface TriggerDraft {
  type: TriggerType;
  segmentId: string;
  toStage: string;
  fromStage: string;
  band: string;
  direction: string;
  tierId: string;
  n: string;
  survey: string;
  minScore: string;
  maxScore: string;
  days: string;
}

export type ActionDraft = { key: string; type: AutomationAction["type"] } & Record<string, string>;

export interface RuleDraft {
  name: string;
  trigger: TriggerDraft;
  conditions: DraftGroup;
  actions: ActionDraft[];
  capDays: string;
}

export const TRIGGER_LABELS: Record<TriggerType, string> = {
  segment_entered: "Entered a segment",
  segment_left: "Left a segment",
  lifecycle_changed: "Lifecycle stage changed",
  churn_risk_crossed: "Churn risk rose to a band",
  tier_changed: "Loyalty tier changed",
  birthday: "Birthday (shop's time zone)",
  points_expiring: "Points about to expire",
  first_order: "First order",
  nth_order: "N-th order",
  survey_answered: "Survey answered",
  no_order_for_days: "No order for N days",
};

export const ACTION_LABELS: Record<AutomationAction["type"], string> = {
  reward: "Issue a reward (discount code)",
  points: "Add or remove points",
  tag: "Add or remove a customer tag",
  metafield: "Write a customer metafield",
  flow: "Fire a Shopify Flow trigger",
  wait: "Wait N days, then re-check the conditions",
};

const EMPTY_TRIGGER: TriggerDraft = {
  type: "lifecycle_changed",
  segmentId: "",
  toStage: "at_risk",
  fromStage: "",
  band: "high",
  direction: "any",
  tierId: "",
  n: "2",
  survey: "nps",
  minScore: "0",
  maxScore: "6",
  days: "60",
};

let keys = 0;
const nextKey = () => `a${++keys}`;

export function newActionDraft(type: AutomationAction["type"]): ActionDraft {
  const defaults: Record<AutomationAction["type"], Record<string, string>> = {
    reward: { title: "", kind: "percentage", amount: "", percentage: "10", minimumSubtotal: "" },
    points: { points: "100", reason: "" },
    tag: { op: "add", tag: "" },
    metafield: { namespace: "custom", key: "", valueType: "single_line_text_field", value: "" },
    flow: {},
    wait: { days: "3" },
  };
  return { key: nextKey(), type, ...defaults[type] };
}

const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));

function actionDraftOf(action: AutomationAction, currencyCode: string): ActionDraft {
  const draft = newActionDraft(action.type);
  for (const [field, value] of Object.entries(action)) if (field !== "type") draft[field] = text(value);
  if (action.type === "reward") {
    const money = (minor: string | null) => (minor ? minorToDecimalString(BigInt(minor), currencyCode) : "");
    draft.amount = money(action.amountMinor);
    draft.minimumSubtotal = money(action.minimumSubtotalMinor);
  }
  return draft;
}

export function draftOfRule(rule: AutomationRuleInput | null, options: RuleOptions): RuleDraft {
  if (!rule) {
    return {
      name: "",
      trigger: { ...EMPTY_TRIGGER },
      conditions: draftOfFilter({ combinator: "and", conditions: [] }, options),
      actions: [newActionDraft("flow")],
      capDays: "30",
    };
  }
  const trigger = { ...EMPTY_TRIGGER } as TriggerDraft;
  for (const [field, value] of Object.entries(rule.trigger))
    (trigger as unknown as Record<string, string>)[field] = text(value);
  return {
    name: rule.name,
    trigger,
    conditions: draftOfFilter(rule.conditions, options),
    actions: rule.actions.map((action) => actionDraftOf(action, options.currencyCode)),
    capDays: text(rule.capDays),
  };
}

/** Whole numbers become numbers; anything else stays text for the schema to refuse by name. */
function integer(value: string | undefined): number | string | null {
  const trimmed = (value ?? "").trim();
  if (trimmed === "") return null;
  return /^-?\d{1,12}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function minor(value: string | undefined, currencyCode: string): string | null {
  const trimmed = (value ?? "").trim();
  if (trimmed === "") return null;
  try {
    return decimalStringToMinor(trimmed, currencyCode).toString();
  } catch {
    return `invalid:${trimmed}`;
  }
}

const TRIGGER_FIELDS: Record<TriggerType, (keyof TriggerDraft)[]> = {
  segment_entered: ["segmentId"],
  segment_left: ["segmentId"],
  lifecycle_changed: ["toStage", "fromStage"],
  churn_risk_crossed: ["band"],
  tier_changed: ["direction", "tierId"],
  birthday: [],
  points_expiring: [],
  first_order: [],
  nth_order: ["n"],
  survey_answered: ["survey", "minScore", "maxScore"],
  no_order_for_days: ["days"],
};
const NUMERIC = new Set(["segmentId", "tierId", "n", "minScore", "maxScore", "days", "points", "percentage"]);

export function triggerFieldsOf(type: TriggerType): (keyof TriggerDraft)[] {
  return TRIGGER_FIELDS[type];
}

function triggerOfDraft(draft: TriggerDraft): Partial<AutomationTrigger> {
  const out: Record<string, unknown> = { type: draft.type };
  for (const field of TRIGGER_FIELDS[draft.type]) {
    const value = draft[field];
    out[field] = NUMERIC.has(field) ? integer(value) : value === "" ? null : value;
  }
  return out as Partial<AutomationTrigger>;
}

function actionOfDraft(draft: ActionDraft, currencyCode: string): unknown {
  const { key: _key, type, ...fields } = draft;
  if (type === "reward") {
    return {
      type,
      title: fields.title,
      kind: fields.kind,
      amountMinor: fields.kind === "fixed_amount" ? minor(fields.amount, currencyCode) : null,
      percentage: fields.kind === "percentage" ? integer(fields.percentage) : null,
      minimumSubtotalMinor: minor(fields.minimumSubtotal, currencyCode),
    };
  }
  const out: Record<string, unknown> = { type };
  for (const [field, value] of Object.entries(fields)) out[field] = NUMERIC.has(field) ? integer(value) : value;
  return out;
}

/** The draft as the JSON the server parses (not yet validated). */
export function ruleOfDraft(draft: RuleDraft, options: RuleOptions): unknown {
  return {
    name: draft.name,
    trigger: triggerOfDraft(draft.trigger),
    conditions: filterOfDraft(draft.conditions, options),
    actions: draft.actions.map((action) => actionOfDraft(action, options.currencyCode)),
    capDays: integer(draft.capDays),
  };
}
