// Compiles a parsed CustomerFilter (customer-filter.ts) into one parameterised SQL boolean
// expression. Every value is bound (Prisma.sql placeholders); column names come from the fixed
// fragments below, never from input. Aliases: c = customers, s = customer_scores, m = loyalty_members.
//
// This file builds SQL text but never runs it, so it is pure; it needs Prisma's Sql tag only.
// eslint-disable-next-line no-restricted-imports -- Prisma.sql builds fragments; no query runs here
import { Prisma } from "@prisma/client";

import {
  isFilterGroup,
  type CustomerCondition,
  type CustomerFilter,
  type CustomerFilterGroup,
} from "./customer-filter";

export type CustomerFilterSqlOptions = {
  /** IANA zone in which `lastOrderAt between` dates are whole days (the shop's zone). */
  timeZone?: string;
};

/**
 * `FROM customers c LEFT JOIN customer_scores s … LEFT JOIN loyalty_members m …`: the rows a
 * compiled filter is evaluated over. A customer without orders has no score row (s.* NULL) and
 * one who never joined loyalty has no member row (m.* NULL).
 */
export const CUSTOMER_FILTER_FROM = Prisma.sql`FROM customers c
  LEFT JOIN customer_scores s ON s.customer_id = c.id
  LEFT JOIN loyalty_members m ON m.customer_id = c.id`;

const TRUE = Prisma.sql`TRUE`;
const FALSE = Prisma.sql`FALSE`;

/** Escapes LIKE's wildcards and its escape character, so input matches literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** The filter as a boolean SQL expression. An empty AND group is TRUE, an empty OR group FALSE. */
export function customerFilterSql(filter: CustomerFilter, options: CustomerFilterSqlOptions = {}): Prisma.Sql {
  return groupSql(filter, options);
}

/** The shop's live customers (not deleted, not redacted) matching the filter. */
export function customerFilterWhere(
  shopId: number,
  filter: CustomerFilter,
  options: CustomerFilterSqlOptions = {},
): Prisma.Sql {
  return Prisma.sql`c.shop_id = ${shopId} AND c.deleted_at IS NULL AND c.redacted_at IS NULL AND ${customerFilterSql(
    filter,
    options,
  )}`;
}

function groupSql(group: CustomerFilterGroup, options: CustomerFilterSqlOptions): Prisma.Sql {
  if (group.conditions.length === 0) return group.combinator === "and" ? TRUE : FALSE;
  const parts = group.conditions.map((node) =>
    isFilterGroup(node) ? groupSql(node, options) : conditionSql(node, options),
  );
  if (parts.length === 1) return parts[0]!;
  return Prisma.sql`(${Prisma.join(parts, group.combinator === "and" ? " AND " : " OR ")})`;
}

type Range<T> = { op: "gte"; value: T } | { op: "lte"; value: T } | { op: "between"; min: T; max: T };

function rangeSql<T>(column: Prisma.Sql, range: Range<T>, bind: (value: T) => unknown): Prisma.Sql {
  switch (range.op) {
    case "gte":
      return Prisma.sql`${column} >= ${bind(range.value)}`;
    case "lte":
      return Prisma.sql`${column} <= ${bind(range.value)}`;
    case "between":
      return Prisma.sql`${column} BETWEEN ${bind(range.min)} AND ${bind(range.max)}`;
  }
}

const asBigInt = (value: string) => BigInt(value);
const asInt = (value: number) => value;

function inList(column: Prisma.Sql, values: readonly (string | number)[]): Prisma.Sql {
  return Prisma.sql`${column} IN (${Prisma.join(values as (string | number)[])})`;
}

function textArray(values: readonly string[]): Prisma.Sql {
  return Prisma.sql`ARRAY[${Prisma.join(values as string[])}]::text[]`;
}

function conditionSql(condition: CustomerCondition, options: CustomerFilterSqlOptions): Prisma.Sql {
  switch (condition.field) {
    case "search":
      return searchSql(condition.value);
    case "rfmSegment":
      return inList(Prisma.sql`s.rfm_segment`, condition.values);
    case "cluster":
      return inList(Prisma.sql`s.cluster`, condition.values);
    case "lifecycleStage":
      return inList(Prisma.sql`s.lifecycle_stage`, condition.values);
    case "churnRisk": {
      // A customer with no score row (no counted order yet) has an unknown churn risk.
      const listed = inList(Prisma.sql`s.churn_risk`, condition.values);
      return condition.values.includes("unknown") ? Prisma.sql`(${listed} OR s.customer_id IS NULL)` : listed;
    }
    case "tier": {
      const ids = condition.values.filter((v): v is number => v !== "none");
      const none = condition.values.includes("none");
      const parts: Prisma.Sql[] = [];
      if (ids.length > 0) parts.push(inList(Prisma.sql`m.tier_id`, ids));
      // Customers outside the program have no tier either.
      if (none) parts.push(Prisma.sql`m.tier_id IS NULL`);
      return parts.length === 1 ? parts[0]! : Prisma.sql`(${Prisma.join(parts, " OR ")})`;
    }
    case "points":
      // Customers outside the program hold 0 points.
      return rangeSql(Prisma.sql`COALESCE(m.points_balance, 0)`, condition, asInt);
    case "ordersCount":
      return rangeSql(Prisma.sql`c.orders_count`, condition, asInt);
    case "netSpent":
      return rangeSql(Prisma.sql`c.net_spent_minor`, condition, asBigInt);
    case "predictedClv":
      return rangeSql(Prisma.sql`s.clv_minor`, condition, asBigInt);
    case "lastOrderAt":
      switch (condition.op) {
        case "withinDays":
          return Prisma.sql`c.last_order_at >= now() - make_interval(days => ${condition.days}::int)`;
        case "olderThanDays":
          return Prisma.sql`c.last_order_at < now() - make_interval(days => ${condition.days}::int)`;
        case "between": {
          // Whole days in the shop's zone: from the start of `from` to the end of `to`.
          const zone = options.timeZone ?? "UTC";
          return Prisma.sql`(c.last_order_at >= (${condition.from}::date)::timestamp AT TIME ZONE ${zone}
            AND c.last_order_at < (${condition.to}::date + 1)::timestamp AT TIME ZONE ${zone})`;
        }
        case "never":
          return Prisma.sql`c.last_order_at IS NULL`;
      }
      break;
    case "tags":
      switch (condition.op) {
        case "hasAny":
          return Prisma.sql`c.tags && ${textArray(condition.values)}`;
        case "hasAll":
          return Prisma.sql`c.tags @> ${textArray(condition.values)}`;
        case "hasNone":
          return Prisma.sql`NOT (c.tags && ${textArray(condition.values)})`;
      }
      break;
    case "country":
      return inList(Prisma.sql`c.country_code`, condition.values);
    case "emailConsent":
      return inList(Prisma.sql`c.email_consent`, condition.values);
    case "smsConsent":
      return inList(Prisma.sql`c.sms_consent`, condition.values);
  }
  // Unreachable for a parsed filter; matching nothing is the safe answer for anything else.
  return FALSE;
}

/**
 * First name, last name, e-mail or "first last" contains the text, case-insensitively. The full
 * name is matched per space in the text (first ends with the part before it, last starts with the
 * part after it), which is exactly "first || ' ' || last ILIKE %text%" for a match spanning the
 * space, and lets each test use the columns' trigram indexes.
 */
function searchSql(text: string): Prisma.Sql {
  const contains = `%${escapeLike(text)}%`;
  const parts: Prisma.Sql[] = [
    Prisma.sql`c.first_name ILIKE ${contains}`,
    Prisma.sql`c.last_name ILIKE ${contains}`,
    Prisma.sql`c.email ILIKE ${contains}`,
  ];
  for (let i = text.indexOf(" "); i !== -1; i = text.indexOf(" ", i + 1)) {
    const head = text.slice(0, i);
    const tail = text.slice(i + 1);
    parts.push(
      Prisma.sql`(c.first_name ILIKE ${`%${escapeLike(head)}`} AND c.last_name ILIKE ${`${escapeLike(tail)}%`})`,
    );
  }
  return Prisma.sql`(${Prisma.join(parts, " OR ")})`;
}
