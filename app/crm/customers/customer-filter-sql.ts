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
import { customerSearchInScopeSql } from "./customer-search-in-scope-sql";

export type CustomerFilterSqlOptions = {
  /** IANA zone in which `lastOrderAt between` dates are whole days (the shop's zone). */
  timeZone?: string;
  /**
   * Which rows the filter reads: the base tables (default), the base tables from inside the
   * shop's row-level-security scope (SHOP_SCOPED_FILTER_COLUMNS) or a shop's list table.
   */
  columns?: CustomerFilterColumns;
};

/**
 * The SQL of each filterable field over one source of rows. BASE_FILTER_COLUMNS reads
 * CUSTOMER_FILTER_FROM (c, s, m); LIST_TABLE_FILTER_COLUMNS reads a shop's Customers list table
 * (alias r, customer-list-table.repository.server.ts), which holds the same fields flattened.
 */
export interface CustomerFilterColumns {
  rfmSegment: Prisma.Sql;
  cluster: Prisma.Sql;
  lifecycleStage: Prisma.Sql;
  churnRisk: Prisma.Sql;
  /** True for a customer without a score row (no counted order yet). */
  unscored: Prisma.Sql;
  tierId: Prisma.Sql;
  /** Points, 0 for customers outside the program. */
  points: Prisma.Sql;
  ordersCount: Prisma.Sql;
  netSpent: Prisma.Sql;
  predictedClv: Prisma.Sql;
  lastOrderAt: Prisma.Sql;
  tags: Prisma.Sql;
  country: Prisma.Sql;
  emailConsent: Prisma.Sql;
  smsConsent: Prisma.Sql;
  /** The search condition for a text (see searchSql). */
  search: (text: string) => Prisma.Sql;
}

/**
 * The fields that are a column of the same name in both sources, by the alias of the table that
 * holds each (customers, scores, members; the list table holds all three).
 */
function sharedColumns(alias: { customer: string; score: string; member: string }) {
  const column = (table: keyof typeof alias, name: string) => Prisma.raw(`${alias[table]}.${name}`);
  return {
    rfmSegment: column("score", "rfm_segment"),
    cluster: column("score", "cluster"),
    lifecycleStage: column("score", "lifecycle_stage"),
    churnRisk: column("score", "churn_risk"),
    tierId: column("member", "tier_id"),
    ordersCount: column("customer", "orders_count"),
    netSpent: column("customer", "net_spent_minor"),
    predictedClv: column("score", "clv_minor"),
    lastOrderAt: column("customer", "last_order_at"),
    tags: column("customer", "tags"),
    country: column("customer", "country_code"),
    emailConsent: column("customer", "email_consent"),
    smsConsent: column("customer", "sms_consent"),
  };
}

export const BASE_FILTER_COLUMNS: CustomerFilterColumns = {
  ...sharedColumns({ customer: "c", score: "s", member: "m" }),
  unscored: Prisma.sql`s.customer_id IS NULL`,
  points: Prisma.sql`COALESCE(m.points_balance, 0)`,
  search: (text) => searchSql(text),
};

/**
 * BASE_FILTER_COLUMNS for a query that runs inside the shop's row-level-security scope (shopDb,
 * withShop, the export's scoped cursor). There a plain ILIKE cannot use the trigram indexes (it is
 * not leakproof, so the policy comes first) and a search reads the whole shop; the in-scope search
 * (customer-search-in-scope-sql.ts) matches the same customers through the indexes. Outside a
 * scope it matches no one: the owner's client (workers) keeps BASE_FILTER_COLUMNS.
 */
export const SHOP_SCOPED_FILTER_COLUMNS: CustomerFilterColumns = {
  ...BASE_FILTER_COLUMNS,
  search: customerSearchInScopeSql,
};

/**
 * A list table row's names and e-mail as one text (columns of `alias`), indexed with trigrams (see
 * customer-list-table.repository.server.ts): a search's superset filter, since a field that
 * contains the text makes this contain it too.
 */
export function listSearchText(alias: "r" | null): string {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  return `(coalesce(${column("first_name")}, '') || ' ' || coalesce(${column("last_name")}, '') || ' ' || coalesce(${column("email")}, ''))`;
}

/**
 * The same fields on a shop's list table r. Search matches the table's own copies of the names
 * and e-mail: the trigram index of listSearchText finds candidates, searchSql decides. (The
 * table has no row-level-security policy, so unlike customers' trigram indexes this one is used
 * inside the shop's scope too.)
 */
export const LIST_TABLE_FILTER_COLUMNS: CustomerFilterColumns = {
  ...sharedColumns({ customer: "r", score: "r", member: "r" }),
  unscored: Prisma.sql`NOT r.has_score`,
  points: Prisma.sql`r.points_balance`,
  search: (text) =>
    Prisma.sql`(${Prisma.raw(listSearchText("r"))} ILIKE ${`%${escapeLike(text)}%`} AND ${searchSql(text, Prisma.sql`r`)})`,
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
  const cols = options.columns ?? BASE_FILTER_COLUMNS;
  switch (condition.field) {
    case "search":
      return cols.search(condition.value);
    case "rfmSegment":
      return inList(cols.rfmSegment, condition.values);
    case "cluster":
      return inList(cols.cluster, condition.values);
    case "lifecycleStage":
      return inList(cols.lifecycleStage, condition.values);
    case "churnRisk": {
      // A customer with no score row (no counted order yet) has an unknown churn risk.
      const listed = inList(cols.churnRisk, condition.values);
      return condition.values.includes("unknown") ? Prisma.sql`(${listed} OR ${cols.unscored})` : listed;
    }
    case "tier": {
      const ids = condition.values.filter((v): v is number => v !== "none");
      const none = condition.values.includes("none");
      const parts: Prisma.Sql[] = [];
      if (ids.length > 0) parts.push(inList(cols.tierId, ids));
      // Customers outside the program have no tier either.
      if (none) parts.push(Prisma.sql`${cols.tierId} IS NULL`);
      return parts.length === 1 ? parts[0]! : Prisma.sql`(${Prisma.join(parts, " OR ")})`;
    }
    case "points":
      // Customers outside the program hold 0 points.
      return rangeSql(cols.points, condition, asInt);
    case "ordersCount":
      return rangeSql(cols.ordersCount, condition, asInt);
    case "netSpent":
      return rangeSql(cols.netSpent, condition, asBigInt);
    case "predictedClv":
      return rangeSql(cols.predictedClv, condition, asBigInt);
    case "lastOrderAt":
      switch (condition.op) {
        case "withinDays":
          return Prisma.sql`${cols.lastOrderAt} >= now() - make_interval(days => ${condition.days}::int)`;
        case "olderThanDays":
          return Prisma.sql`${cols.lastOrderAt} < now() - make_interval(days => ${condition.days}::int)`;
        case "between": {
          // Whole days in the shop's zone: from the start of `from` to the end of `to`.
          const zone = options.timeZone ?? "UTC";
          return Prisma.sql`(${cols.lastOrderAt} >= (${condition.from}::date)::timestamp AT TIME ZONE ${zone}
            AND ${cols.lastOrderAt} < (${condition.to}::date + 1)::timestamp AT TIME ZONE ${zone})`;
        }
        case "never":
          return Prisma.sql`${cols.lastOrderAt} IS NULL`;
      }
      break;
    case "tags":
      switch (condition.op) {
        case "hasAny":
          return Prisma.sql`${cols.tags} && ${textArray(condition.values)}`;
        case "hasAll":
          return Prisma.sql`${cols.tags} @> ${textArray(condition.values)}`;
        case "hasNone":
          return Prisma.sql`NOT (${cols.tags} && ${textArray(condition.values)})`;
      }
      break;
    case "country":
      return inList(cols.country, condition.values);
    case "emailConsent":
      return inList(cols.emailConsent, condition.values);
    case "smsConsent":
      return inList(cols.smsConsent, condition.values);
  }
  // Unreachable for a parsed filter; matching nothing is the safe answer for anything else.
  return FALSE;
}

/**
 * `c.email ILIKE %text%`. A text with one "@" in it, after at least one character, is "an
 * e-mail's local part ends with what precedes the @ and its domain starts with what follows": the
 * same rows (an address has one @), found through the reversed local part's btree index
 * (customers_email_local_reversed_idx) instead of trigrams, which every address shares
 * ("com", "mai", …) and which made a full address the slowest search of all.
 */
function emailContainsSql(text: string, contains: string, alias: Prisma.Sql): Prisma.Sql {
  const at = text.indexOf("@");
  if (at < 1 || text.indexOf("@", at + 1) !== -1) return Prisma.sql`${alias}.email ILIKE ${contains}`;
  const localEnd = [...text.slice(0, at).toLowerCase()].reverse().join("");
  const domainStart = text.slice(at + 1).toLowerCase();
  return Prisma.sql`(reverse(lower(split_part(${alias}.email, '@', 1))) LIKE ${`${escapeLike(localEnd)}%`}
    AND lower(split_part(${alias}.email, '@', 2)) LIKE ${`${escapeLike(domainStart)}%`})`;
}

/**
 * First name, last name, e-mail or "first last" contains the text, case-insensitively. The full
 * name is matched per space in the text (first ends with the part before it, last starts with the
 * part after it), which is exactly "first || ' ' || last ILIKE %text%" for a match spanning the
 * space, and lets each test use the columns' trigram indexes.
 */
export function searchSql(text: string, alias: Prisma.Sql = Prisma.sql`c`): Prisma.Sql {
  const contains = `%${escapeLike(text)}%`;
  const parts: Prisma.Sql[] = [
    Prisma.sql`${alias}.first_name ILIKE ${contains}`,
    Prisma.sql`${alias}.last_name ILIKE ${contains}`,
    emailContainsSql(text, contains, alias),
  ];
  for (let i = text.indexOf(" "); i !== -1; i = text.indexOf(" ", i + 1)) {
    const head = text.slice(0, i);
    const tail = text.slice(i + 1);
    parts.push(
      Prisma.sql`(${alias}.first_name ILIKE ${`%${escapeLike(head)}`} AND ${alias}.last_name ILIKE ${`${escapeLike(tail)}%`})`,
    );
  }
  return Prisma.sql`(${Prisma.join(parts, " OR ")})`;
}
