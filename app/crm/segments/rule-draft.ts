// The rule builder's editable copy of a CustomerFilter: every input is kept as the text the
// merchant typed (amounts in the shop currency, days, dates), and turned back into a filter that
// customerFilterSchema checks. Each field offers only its own operators, so whatever the builder
// produces is either a valid CustomerFilter or a list of field errors, never free SQL.
import { CHURN_RISK_BANDS } from "../analytics/score-customers";
import {
  isFilterGroup,
  MARKETING_CONSENT_STATES,
  type CustomerCondition,
  type CustomerFilter,
  type CustomerFilterField,
  type CustomerFilterGroup,
} from "../customers/customer-filter";
import { LIFECYCLE_STAGES } from "../lifecycle/lifecycle-stage";
import { decimalStringToMinor, minorToDecimalString } from "../money/money";
import { RFM_SEGMENTS } from "../rfm/rfm-segments";

export type Option = { value: string; label: string };

/** What the builder needs from the shop: its tiers and clusters by id, and its currency. */
export interface RuleOptions {
  currencyCode: string;
  tiers: { id: number; name: string }[];
  clusters: { id: number; name: string }[];
}

export interface DraftCondition {
  kind: "condition";
  key: string;
  field: CustomerFilterField;
  op: string;
  /** Chosen options. */
  values: string[];
  /** Search text, the amount of gte/lte, or tags / country codes separated by commas. */
  value: string;
  min: string;
  max: string;
  days: string;
  from: string;
  to: string;
}

export interface DraftGroup {
  kind: "group";
  key: string;
  combinator: "and" | "or";
  children: DraftNode[];
}
export type DraftNode = DraftCondition | DraftGroup;

type Input = "text" | "choices" | "count" | "money" | "lastOrder" | "list";

const RANGE_OPS: Option[] = [
  { value: "gte", label: "at least" },
  { value: "lte", label: "at most" },
  { value: "between", label: "between" },
];
const IN_OP: Option[] = [{ value: "in", label: "is any of" }];

const labelled = (values: readonly string[], label: (v: string) => string = humanize): Option[] =>
  values.map((value) => ({ value, label: label(value) }));

function humanize(value: string): string {
  const text = value.replace(/_/g, " ").toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const RULE_FIELDS: Record<CustomerFilterField, { label: string; input: Input; ops: Option[] }> = {
  search: { label: "Name or e-mail", input: "text", ops: [{ value: "contains", label: "contains" }] },
  rfmSegment: { label: "RFM segment", input: "choices", ops: IN_OP },
  cluster: { label: "Cluster", input: "choices", ops: IN_OP },
  lifecycleStage: { label: "Lifecycle stage", input: "choices", ops: IN_OP },
  churnRisk: { label: "Churn risk", input: "choices", ops: IN_OP },
  tier: { label: "Loyalty tier", input: "choices", ops: IN_OP },
  points: { label: "Points balance", input: "count", ops: RANGE_OPS },
  ordersCount: { label: "Number of orders", input: "count", ops: RANGE_OPS },
  netSpent: { label: "Net spend", input: "money", ops: RANGE_OPS },
  predictedClv: { label: "Predicted CLV", input: "money", ops: RANGE_OPS },
  lastOrderAt: {
    label: "Last order",
    input: "lastOrder",
    ops: [
      { value: "withinDays", label: "in the last … days" },
      { value: "olderThanDays", label: "more than … days ago" },
      { value: "between", label: "between dates" },
      { value: "never", label: "never ordered" },
    ],
  },
  tags: {
    label: "Tags",
    input: "list",
    ops: [
      { value: "hasAny", label: "has any of" },
      { value: "hasAll", label: "has all of" },
      { value: "hasNone", label: "has none of" },
    ],
  },
  country: { label: "Country", input: "list", ops: IN_OP },
  emailConsent: { label: "E-mail marketing consent", input: "choices", ops: IN_OP },
  smsConsent: { label: "SMS marketing consent", input: "choices", ops: IN_OP },
};

export const FIELD_OPTIONS: Option[] = (Object.keys(RULE_FIELDS) as CustomerFilterField[]).map((field) => ({
  value: field,
  label: RULE_FIELDS[field].label,
}));

/** The options of a `choices` field. */
export function choicesOf(field: CustomerFilterField, options: RuleOptions): Option[] {
  switch (field) {
    case "rfmSegment":
      return labelled(RFM_SEGMENTS, (v) => v);
    case "lifecycleStage":
      return labelled(LIFECYCLE_STAGES);
    case "churnRisk":
      return labelled(CHURN_RISK_BANDS);
    case "emailConsent":
    case "smsConsent":
      return labelled(MARKETING_CONSENT_STATES);
    case "cluster":
      return options.clusters.map((c) => ({ value: String(c.id), label: c.name }));
    case "tier":
      return [
        ...options.tiers.map((t) => ({ value: String(t.id), label: t.name })),
        { value: "none", label: "No tier" },
      ];
    default:
      return [];
  }
}

let keys = 0;
const nextKey = () => `n${++keys}`;

export function newCondition(field: CustomerFilterField = "rfmSegment"): DraftCondition {
  return {
    kind: "condition",
    key: nextKey(),
    field,
    op: RULE_FIELDS[field].ops[0]!.value,
    values: [],
    value: "",
    min: "",
    max: "",
    days: "",
    from: "",
    to: "",
  };
}

export function newGroup(combinator: "and" | "or" = "and", children: DraftNode[] = []): DraftGroup {
  return { kind: "group", key: nextKey(), combinator, children };
}

const money = (minor: string, currencyCode: string) => minorToDecimalString(BigInt(minor), currencyCode);

function draftOfCondition(condition: CustomerCondition, options: RuleOptions): DraftCondition {
  const draft = { ...newCondition(condition.field), op: condition.op };
  const amount = (v: string | number) =>
    RULE_FIELDS[condition.field].input === "money" ? money(String(v), options.currencyCode) : String(v);
  if ("values" in condition) draft.values = (condition.values as (string | number)[]).map(String);
  if (RULE_FIELDS[condition.field].input === "list") draft.value = draft.values.join(", ");
  if ("value" in condition) draft.value = amount(condition.value);
  if ("min" in condition) draft.min = amount(condition.min);
  if ("max" in condition) draft.max = amount(condition.max);
  if ("days" in condition) draft.days = String(condition.days);
  if ("from" in condition) draft.from = condition.from;
  if ("to" in condition) draft.to = condition.to;
  return draft;
}

export function draftOfFilter(filter: CustomerFilterGroup, options: RuleOptions): DraftGroup {
  return newGroup(
    filter.combinator,
    filter.conditions.map((node) =>
      isFilterGroup(node) ? draftOfFilter(node, options) : draftOfCondition(node, options),
    ),
  );
}

/** Text → integer, or the text itself so that the schema reports it ("Enter a number"). */
function integer(text: string): number | string {
  const trimmed = text.trim();
  return /^-?\d{1,12}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** Shop-currency amount → minor units as the schema wants them; an unreadable amount stays invalid. */
function minorAmount(text: string, currencyCode: string): string {
  try {
    return decimalStringToMinor(text, currencyCode).toString();
  } catch {
    return `invalid:${text}`;
  }
}

const splitList = (text: string) =>
  text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);

function conditionOfDraft(draft: DraftCondition, options: RuleOptions): unknown {
  const { field, op } = draft;
  const input = RULE_FIELDS[field].input;
  const base = { field, op };
  switch (input) {
    case "text":
      return { ...base, value: draft.value };
    case "choices":
      return {
        ...base,
        values: draft.values.map((v) => (field === "cluster" || (field === "tier" && v !== "none") ? Number(v) : v)),
      };
    case "list":
      return {
        ...base,
        values: field === "country" ? splitList(draft.value).map((v) => v.toUpperCase()) : splitList(draft.value),
      };
    case "count":
    case "money": {
      const read = input === "money" ? (t: string) => minorAmount(t, options.currencyCode) : integer;
      return op === "between"
        ? { ...base, min: read(draft.min), max: read(draft.max) }
        : { ...base, value: read(draft.value) };
    }
    case "lastOrder":
      if (op === "between") return { ...base, from: draft.from, to: draft.to };
      if (op === "never") return base;
      return { ...base, days: integer(draft.days) };
  }
}

/** The draft as a filter for customerFilterSchema to check (not yet validated). */
export function filterOfDraft(group: DraftGroup, options: RuleOptions): unknown {
  return {
    combinator: group.combinator,
    conditions: group.children.map((node) =>
      node.kind === "group" ? filterOfDraft(node, options) : conditionOfDraft(node, options),
    ),
  };
}

/** Error keys "rule.conditions.1.conditions.0.min" → the draft node's key, with the input name. */
export function errorsByDraftKey(
  group: DraftGroup,
  errors: Record<string, string>,
  currencyCode: string,
  prefix = "rule",
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  group.children.forEach((node, index) => {
    const path = `${prefix}.conditions.${index}`;
    if (node.kind === "group") {
      Object.assign(out, errorsByDraftKey(node, errors, currencyCode, path));
      return;
    }
    for (const [key, message] of Object.entries(errors)) {
      if (key !== path && !key.startsWith(`${path}.`)) continue;
      const input = key.slice(path.length + 1).split(".")[0] || "field";
      if (input === "field") {
        // A number input holding text fails every branch of the condition union, so zod reports
        // the whole condition: name the inputs that are not whole numbers instead.
        const numeric = numericInputsOf(node).filter((name) => !/^\d{1,12}$/.test(node[name].trim()));
        if (numeric.length > 0) {
          for (const name of numeric) (out[node.key] ??= {})[name] ??= "Enter a whole number";
          continue;
        }
      }
      const money = RULE_FIELDS[node.field].input === "money" && ["value", "min", "max"].includes(input);
      (out[node.key] ??= {})[input] ??= money ? `Enter an amount in ${currencyCode}, like 25.00` : message;
    }
  });
  return out;
}

/** The inputs of a condition that must hold whole numbers, as its operator shows them. */
function numericInputsOf(node: DraftCondition): ("value" | "min" | "max" | "days")[] {
  const input = RULE_FIELDS[node.field].input;
  if (input === "count") return node.op === "between" ? ["min", "max"] : ["value"];
  if (input === "lastOrder" && (node.op === "withinDays" || node.op === "olderThanDays")) return ["days"];
  return [];
}

export const EMPTY_FILTER: CustomerFilter = { combinator: "and", conditions: [] };
