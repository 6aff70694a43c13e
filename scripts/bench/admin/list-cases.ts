// The Customers list cases of the bench: one case per single filter of the issue (each field of
// the CustomerFilter, search included), plus no filter at all, against every sort.
import {
  CUSTOMER_SORTS,
  customerFilterSchema,
  type CustomerCondition,
  type CustomerFilter,
  type CustomerFilterField,
  type CustomerSort,
} from "../../../app/crm/customers/customer-filter";

export interface ListFilterCase {
  name: string;
  filter: CustomerFilter;
}

/** Tier ids of the bench shop, and a customer e-mail that exists (a search matching one row). */
export interface ListCaseContext {
  goldTierId: number;
  knownEmail: string;
}

const single = (condition: CustomerCondition): CustomerFilter =>
  customerFilterSchema.parse({ combinator: "and", conditions: [condition] });

export function listFilterCases(context: ListCaseContext): ListFilterCase[] {
  const cases: [string, CustomerCondition | null][] = [
    ["no filter", null],
    ["rfmSegment=At risk", { field: "rfmSegment", op: "in", values: ["At risk"] }],
    ["cluster=1 (smallest)", { field: "cluster", op: "in", values: [1] }],
    ["lifecycleStage=at_risk", { field: "lifecycleStage", op: "in", values: ["at_risk"] }],
    ["churnRisk=high", { field: "churnRisk", op: "in", values: ["high"] }],
    ["tier=Gold", { field: "tier", op: "in", values: [context.goldTierId] }],
    ["points>=1000", { field: "points", op: "gte", value: 1000 }],
    ["ordersCount>=10", { field: "ordersCount", op: "gte", value: 10 }],
    ["netSpent 100-200", { field: "netSpent", op: "between", min: "10000", max: "20000" }],
    ["lastOrderAt within 30 days", { field: "lastOrderAt", op: "withinDays", days: 30 }],
    ["tags hasAny influencer", { field: "tags", op: "hasAny", values: ["influencer"] }],
    ["country=SE", { field: "country", op: "in", values: ["SE"] }],
    ["emailConsent=SUBSCRIBED", { field: "emailConsent", op: "in", values: ["SUBSCRIBED"] }],
    ["search name 'smith'", { field: "search", op: "contains", value: "smith" }],
    ["search e-mail (1 match)", { field: "search", op: "contains", value: context.knownEmail }],
  ];
  return cases.map(([name, condition]) => ({
    name,
    filter: condition ? single(condition) : customerFilterSchema.parse({ combinator: "and", conditions: [] }),
  }));
}

/** Every filterable field of the issue (and search) has a case: checked by the bench's test. */
export const ISSUE_FILTER_FIELDS: CustomerFilterField[] = [
  "search",
  "rfmSegment",
  "cluster",
  "lifecycleStage",
  "churnRisk",
  "tier",
  "points",
  "ordersCount",
  "netSpent",
  "lastOrderAt",
  "tags",
  "country",
  "emailConsent",
];

export const LIST_SORTS: readonly CustomerSort[] = CUSTOMER_SORTS;
