// An automation rule: *when* an event (trigger), *if* conditions on the customer (the Customers
// filter tree, customer-filter.ts: no second condition language), *then* actions. Stored as JSON
// on automation_rules and always parsed with these schemas, so a stored rule that no longer
// parses fails loudly instead of acting on garbage.
import { z } from "zod";

import { customerFilterSchema, type CustomerFilter } from "../customers/customer-filter";
import { LIFECYCLE_STAGES } from "../lifecycle/lifecycle-stage";

/** Churn bands in rising order of risk; a rule fires when a customer rises to its band or past it. */
export const CHURN_THRESHOLD_BANDS = ["medium", "high"] as const;
export const SURVEY_KINDS = ["nps", "csat", "likert"] as const;

export const triggerSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("segment_entered"), segmentId: z.number().int().positive() }),
  z.object({ type: z.literal("segment_left"), segmentId: z.number().int().positive() }),
  z.object({
    type: z.literal("lifecycle_changed"),
    toStage: z.enum(LIFECYCLE_STAGES),
    fromStage: z.enum(LIFECYCLE_STAGES).nullable().default(null),
  }),
  z.object({ type: z.literal("churn_risk_crossed"), band: z.enum(CHURN_THRESHOLD_BANDS) }),
  z.object({
    type: z.literal("tier_changed"),
    direction: z.enum(["upgrade", "downgrade", "any"]).default("any"),
    /** Only changes into this tier; null: any tier. */
    tierId: z.number().int().positive().nullable().default(null),
  }),
  z.object({ type: z.literal("birthday") }),
  z.object({ type: z.literal("points_expiring") }),
  z.object({ type: z.literal("first_order") }),
  z.object({
    type: z.literal("nth_order"),
    n: z.number().int().min(2, "2 or more (the first order has its own event)").max(1000),
  }),
  z.object({
    type: z.literal("survey_answered"),
    survey: z.enum(SURVEY_KINDS),
    minScore: z.number().int().min(0).max(10),
    maxScore: z.number().int().min(0).max(10),
  }),
  z.object({ type: z.literal("no_order_for_days"), days: z.number().int().min(1).max(3650) }),
]);
export type AutomationTrigger = z.infer<typeof triggerSchema>;
export type TriggerType = AutomationTrigger["type"];
export const TRIGGER_TYPES = triggerSchema.options.map((o) => o.shape.type.value) as TriggerType[];

/** Triggers evaluated the moment an order is applied (and again, as a safety net, nightly). */
export const ORDER_TRIGGERS: readonly TriggerType[] = ["first_order", "nth_order"];
export const SURVEY_TRIGGERS: readonly TriggerType[] = ["survey_answered"];

/** The real-time events, and the triggers each can fire. */
export type CustomerEventKind = "order" | "survey";
export const TRIGGERS_OF_EVENT: Record<CustomerEventKind, readonly TriggerType[]> = {
  order: ORDER_TRIGGERS,
  survey: SURVEY_TRIGGERS,
};

const minorAmount = z.string().regex(/^\d{1,12}$/, "Enter a whole amount in minor units");

export const rewardActionSchema = z
  .object({
    type: z.literal("reward"),
    title: z.string().trim().min(1).max(100),
    kind: z.enum(["fixed_amount", "percentage", "free_shipping"]),
    amountMinor: minorAmount.nullable().default(null),
    percentage: z.number().int().min(1).max(100).nullable().default(null),
    minimumSubtotalMinor: minorAmount.nullable().default(null),
  })
  .superRefine((reward, ctx) => {
    if (reward.kind === "fixed_amount" && (reward.amountMinor === null || reward.amountMinor === "0"))
      ctx.addIssue({ code: "custom", path: ["amountMinor"], message: "A fixed amount reward needs an amount" });
    if (reward.kind === "percentage" && reward.percentage === null)
      ctx.addIssue({ code: "custom", path: ["percentage"], message: "A percentage reward needs a percentage" });
  });

export const actionSchema = z.union([
  rewardActionSchema,
  z.object({
    type: z.literal("points"),
    points: z
      .number()
      .int()
      .min(-1_000_000)
      .max(1_000_000)
      .refine((n) => n !== 0, "Points cannot be 0"),
    reason: z.string().trim().min(1).max(200),
  }),
  z.object({
    type: z.literal("tag"),
    op: z.enum(["add", "remove"]),
    tag: z.string().trim().min(1, "Enter a tag").max(255),
  }),
  z.object({
    type: z.literal("metafield"),
    namespace: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{3,255}$/, "3 or more letters, digits, - or _")
      .refine((ns) => ns !== "kinship", "The kinship namespace belongs to the app"),
    key: z.string().regex(/^[a-zA-Z0-9_-]{2,64}$/, "2 to 64 letters, digits, - or _"),
    valueType: z.enum(["single_line_text_field", "number_integer", "boolean", "date"]),
    value: z.string().max(1000),
  }),
  z.object({ type: z.literal("flow") }),
  z.object({ type: z.literal("wait"), days: z.number().int().min(1).max(365) }),
]);
export type AutomationAction = z.infer<typeof actionSchema>;
export type RewardAction = z.infer<typeof rewardActionSchema>;

export const MAX_ACTIONS = 10;

export const automationRuleSchema = z
  .object({
    name: z.string().trim().min(1, "Give the rule a name").max(100),
    trigger: triggerSchema,
    conditions: customerFilterSchema,
    actions: z.array(actionSchema).min(1, "Add at least one action").max(MAX_ACTIONS),
    capDays: z.number().int().min(1).max(3650).nullable().default(null),
  })
  .superRefine((rule, ctx) => {
    const t = rule.trigger;
    if (t.type === "survey_answered" && t.minScore > t.maxScore)
      ctx.addIssue({ code: "custom", path: ["trigger", "maxScore"], message: "The highest score is below the lowest" });
    if (rule.actions.at(-1)?.type === "wait")
      ctx.addIssue({ code: "custom", path: ["actions"], message: "A wait must be followed by an action" });
  });
export type AutomationRuleInput = z.infer<typeof automationRuleSchema>;

export interface AutomationRuleRecord extends AutomationRuleInput {
  id: number;
  shopId: number;
  recipe: string | null;
  enabled: boolean;
  enabledAt: Date | null;
  conditions: CustomerFilter;
}
