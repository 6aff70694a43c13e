// The customer filter: one typed rule tree shared by the Customers list, saved segments, exports
// and bulk actions. It is data, never SQL: each field has a fixed set of operators and typed
// values, so a rule that would be invalid SQL cannot even be parsed (customer-filter-sql.ts turns
// a parsed rule into parameterised SQL over a whitelist of columns).
import { z } from "zod";

import { CHURN_RISK_BANDS } from "../analytics/score-customers";
import { LIFECYCLE_STAGES } from "../lifecycle/lifecycle-stage";
import { RFM_SEGMENTS } from "../rfm/rfm-segments";

export const MARKETING_CONSENT_STATES = [
  "SUBSCRIBED",
  "NOT_SUBSCRIBED",
  "UNSUBSCRIBED",
  "PENDING",
  "REDACTED",
  "INVALID",
] as const;

/** Deepest nesting of groups a rule may have (a group inside a group inside the root). */
export const MAX_FILTER_DEPTH = 3;
export const MAX_CONDITIONS_PER_GROUP = 20;
const MAX_LIST_VALUES = 100;

const nonEmptyList = <T extends z.ZodTypeAny>(item: T) => z.array(item).min(1).max(MAX_LIST_VALUES);
/** Amounts in the shop currency's minor units, as a decimal string (JSON has no bigint). */
const minorAmount = z.string().regex(/^-?\d{1,15}$/, "Enter a whole amount in minor units");
const count = z.number().int().min(0).max(1_000_000_000);
const tag = z.string().trim().min(1).max(255);

function rangeOf<T extends z.ZodTypeAny>(value: T) {
  return z.discriminatedUnion("op", [
    z.object({ op: z.literal("gte"), value }),
    z.object({ op: z.literal("lte"), value }),
    z.object({ op: z.literal("between"), min: value, max: value }),
  ]);
}

/** Each filterable field with its operators. `in` lists match any of the values. */
export const customerConditionSchema = z.union([
  z.object({ field: z.literal("search"), op: z.literal("contains"), value: z.string().trim().min(1).max(200) }),
  z.object({ field: z.literal("rfmSegment"), op: z.literal("in"), values: nonEmptyList(z.enum(RFM_SEGMENTS)) }),
  z.object({ field: z.literal("cluster"), op: z.literal("in"), values: nonEmptyList(z.number().int().min(0).max(31)) }),
  z.object({ field: z.literal("lifecycleStage"), op: z.literal("in"), values: nonEmptyList(z.enum(LIFECYCLE_STAGES)) }),
  z.object({
    field: z.literal("churnRisk"),
    op: z.literal("in"),
    values: nonEmptyList(z.enum(CHURN_RISK_BANDS as unknown as ["low", "medium", "high", "unknown"])),
  }),
  // Tier ids of the shop's loyalty program; "none" matches customers without a tier.
  z.object({
    field: z.literal("tier"),
    op: z.literal("in"),
    values: nonEmptyList(z.union([z.number().int().positive(), z.literal("none")])),
  }),
  z.object({ field: z.literal("points") }).and(rangeOf(count)),
  z.object({ field: z.literal("ordersCount") }).and(rangeOf(count)),
  z.object({ field: z.literal("netSpent") }).and(rangeOf(minorAmount)),
  z.object({ field: z.literal("predictedClv") }).and(rangeOf(minorAmount)),
  z.discriminatedUnion("op", [
    // Whole days before now; `never` matches customers without an order.
    z.object({
      field: z.literal("lastOrderAt"),
      op: z.literal("withinDays"),
      days: z.number().int().min(1).max(36500),
    }),
    z.object({
      field: z.literal("lastOrderAt"),
      op: z.literal("olderThanDays"),
      days: z.number().int().min(1).max(36500),
    }),
    z.object({
      field: z.literal("lastOrderAt"),
      op: z.literal("between"),
      from: z.string().date(),
      to: z.string().date(),
    }),
    z.object({ field: z.literal("lastOrderAt"), op: z.literal("never") }),
  ]),
  z.object({
    field: z.literal("tags"),
    op: z.enum(["hasAny", "hasAll", "hasNone"]),
    values: nonEmptyList(tag),
  }),
  z.object({
    field: z.literal("country"),
    op: z.literal("in"),
    values: nonEmptyList(z.string().regex(/^[A-Z]{2}$/, "Use two-letter country codes")),
  }),
  z.object({
    field: z.enum(["emailConsent", "smsConsent"]),
    op: z.literal("in"),
    values: nonEmptyList(z.enum(MARKETING_CONSENT_STATES)),
  }),
]);

export type CustomerCondition = z.infer<typeof customerConditionSchema>;
export type CustomerFilterField = CustomerCondition["field"];

export type CustomerFilterGroup = {
  combinator: "and" | "or";
  conditions: (CustomerCondition | CustomerFilterGroup)[];
};

function groupSchema(depth: number): z.ZodType<CustomerFilterGroup> {
  const member: z.ZodTypeAny =
    depth < MAX_FILTER_DEPTH
      ? z.union([customerConditionSchema, z.lazy(() => groupSchema(depth + 1))])
      : customerConditionSchema;
  return z.object({
    combinator: z.enum(["and", "or"]),
    conditions: z.array(member).max(MAX_CONDITIONS_PER_GROUP),
  }) as z.ZodType<CustomerFilterGroup>;
}

/** A whole rule: the root group. An empty root matches every (not deleted) customer. */
export const customerFilterSchema = groupSchema(1);
export type CustomerFilter = CustomerFilterGroup;

export const EMPTY_CUSTOMER_FILTER: CustomerFilter = { combinator: "and", conditions: [] };

export function isFilterGroup(node: CustomerCondition | CustomerFilterGroup): node is CustomerFilterGroup {
  return "combinator" in node;
}

/** Sort orders of the Customers list; each has a keyset cursor (customer-list.ts). */
export const CUSTOMER_SORTS = [
  "predictedClv:desc",
  "predictedClv:asc",
  "netSpent:desc",
  "netSpent:asc",
  "lastOrderAt:desc",
  "lastOrderAt:asc",
] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];
export const customerSortSchema = z.enum(CUSTOMER_SORTS);
