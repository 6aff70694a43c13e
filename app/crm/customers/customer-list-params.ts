// The Customers page's URL state: discrete, readable query parameters (or a whole rule as
// `?filter=<json>`, e.g. from a segment) parsed with zod into a CustomerFilter, a sort and a
// cursor. Invalid parameters give field-level errors for the page to show, never a crash. Pure.

import {
  customerConditionSchema,
  customerFilterSchema,
  customerSortSchema,
  type CustomerCondition,
  type CustomerFilter,
  type CustomerSort,
} from "./customer-filter";
import { DEFAULT_CUSTOMER_SORT } from "./customer-list";

/** The discrete parameters and the filter field each one sets. */
export const LIST_PARAMS = [
  "q",
  "rfm",
  "cluster",
  "stage",
  "risk",
  "tier",
  "points_min",
  "points_max",
  "orders_min",
  "orders_max",
  "spend_min",
  "spend_max",
  "last_within",
  "last_older",
  "last_never",
  "tags",
  "country",
  "consent",
] as const;
export type ListParam = (typeof LIST_PARAMS)[number];

export type CustomerListQuery = {
  filter: CustomerFilter;
  sort: CustomerSort;
  cursor: string | null;
  /** Messages by parameter (or "filter" / "sort"); parameters in error are left out of the filter. */
  errors: Partial<Record<ListParam | "filter" | "sort", string>>;
};

const list = (value: string) =>
  value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");

/** A decimal amount in major units ("12.50") to minor units of a currency with `digits` decimals. */
export function majorToMinor(text: string, digits: number): string | null {
  const match = /^(\d{1,13})(?:[.,](\d+))?$/.exec(text.trim());
  if (!match) return null;
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return null;
  return String(BigInt(match[1]!) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, "0") || "0"));
}

/** Minor units back to the major-unit text shown in the filter field. */
export function minorToMajor(minor: string, digits: number): string {
  const value = BigInt(minor);
  if (digits === 0) return String(value);
  const scale = 10n ** BigInt(digits);
  const fraction = String(value % scale)
    .padStart(digits, "0")
    .replace(/0+$/, "");
  return fraction ? `${value / scale}.${fraction}` : String(value / scale);
}

export function parseCustomerListQuery(
  params: URLSearchParams,
  options: { currencyDigits: number },
): CustomerListQuery {
  const errors: CustomerListQuery["errors"] = {};
  const sortParam = params.get("sort");
  const sortParsed = customerSortSchema.safeParse(sortParam ?? DEFAULT_CUSTOMER_SORT);
  if (!sortParsed.success) errors.sort = "Unknown sort order; showing the default.";
  const sort = sortParsed.success ? sortParsed.data : DEFAULT_CUSTOMER_SORT;
  const cursor = params.get("cursor") || null;

  const filterJson = params.get("filter");
  if (filterJson) {
    let filter: CustomerFilter | null = null;
    try {
      const parsed = customerFilterSchema.safeParse(JSON.parse(filterJson));
      if (parsed.success) filter = parsed.data;
    } catch {
      // reported below
    }
    if (filter) return { filter, sort, cursor, errors };
    errors.filter = "This filter link is not valid. Showing all customers.";
    return { filter: { combinator: "and", conditions: [] }, sort, cursor, errors };
  }

  const conditions: CustomerCondition[] = [];
  const add = (param: ListParam, candidate: unknown, message: string) => {
    const parsed = customerConditionSchema.safeParse(candidate);
    if (parsed.success) conditions.push(parsed.data);
    else errors[param] = message;
  };
  const get = (param: ListParam) => {
    const value = params.get(param);
    return value === null || value.trim() === "" ? null : value.trim();
  };
  const int = (text: string) => (/^\d{1,10}$/.test(text) ? Number(text) : Number.NaN);

  const q = get("q");
  if (q) add("q", { field: "search", op: "contains", value: q }, "Search is at most 200 characters.");
  const rfm = get("rfm");
  if (rfm) add("rfm", { field: "rfmSegment", op: "in", values: list(rfm) }, "Unknown RFM segment.");
  const cluster = get("cluster");
  if (cluster) add("cluster", { field: "cluster", op: "in", values: list(cluster).map(int) }, "Unknown cluster.");
  const stage = get("stage");
  if (stage) add("stage", { field: "lifecycleStage", op: "in", values: list(stage) }, "Unknown lifecycle stage.");
  const risk = get("risk");
  if (risk) add("risk", { field: "churnRisk", op: "in", values: list(risk) }, "Unknown churn risk band.");
  const tier = get("tier");
  if (tier) {
    const values = list(tier).map((v) => (v === "none" ? v : int(v)));
    add("tier", { field: "tier", op: "in", values }, "Unknown tier.");
  }

  const range = (
    field: "points" | "ordersCount" | "netSpent",
    minParam: ListParam,
    maxParam: ListParam,
    convert: (text: string) => number | string | null,
    message: string,
  ) => {
    const minText = get(minParam);
    const maxText = get(maxParam);
    const min = minText === null ? null : convert(minText);
    const max = maxText === null ? null : convert(maxText);
    const bad = (value: number | string | null) => value === null || (typeof value === "number" && Number.isNaN(value));
    if (minText !== null && bad(min)) errors[minParam] = message;
    if (maxText !== null && bad(max)) errors[maxParam] = message;
    if (errors[minParam] || errors[maxParam]) return;
    if (min !== null && max !== null) {
      if (BigInt(min) > BigInt(max)) {
        errors[maxParam] = "The maximum is below the minimum.";
        return;
      }
      add(minParam, { field, op: "between", min, max }, message);
    } else if (min !== null) add(minParam, { field, op: "gte", value: min }, message);
    else if (max !== null) add(maxParam, { field, op: "lte", value: max }, message);
  };
  range("points", "points_min", "points_max", int, "Enter a whole number of points.");
  range("ordersCount", "orders_min", "orders_max", int, "Enter a whole number of orders.");
  range(
    "netSpent",
    "spend_min",
    "spend_max",
    (text) => majorToMinor(text, options.currencyDigits),
    "Enter an amount like 120 or 120.50.",
  );

  const within = get("last_within");
  if (within) add("last_within", { field: "lastOrderAt", op: "withinDays", days: int(within) }, "Enter whole days.");
  const older = get("last_older");
  if (older) add("last_older", { field: "lastOrderAt", op: "olderThanDays", days: int(older) }, "Enter whole days.");
  if (get("last_never") === "1") add("last_never", { field: "lastOrderAt", op: "never" }, "Invalid value.");

  const tags = get("tags");
  if (tags) add("tags", { field: "tags", op: "hasAny", values: list(tags) }, "Tags are 1 to 255 characters.");
  const country = get("country");
  if (country)
    add(
      "country",
      { field: "country", op: "in", values: list(country).map((c) => c.toUpperCase()) },
      "Use two-letter country codes, e.g. US, FR.",
    );
  const consent = get("consent");
  if (consent)
    add("consent", { field: "emailConsent", op: "in", values: list(consent) }, "Unknown marketing consent state.");

  return { filter: { combinator: "and", conditions }, sort, cursor, errors };
}
