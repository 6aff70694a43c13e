// The Customers list: one keyset page of a shop's customers for a filter and sort, and a capped
// count, read from the shop's list table (customer-list-table.repository.server.ts) inside the
// shop's row-level-security scope. The list is ordered by (sort key, id) with NULL keys last in
// both directions; it is read as two parts, rows with a key then rows without one (ordered by
// id). Each part's page is found as ids from the table's indexes alone (pageIds), then the page's
// other columns are read for its rows only.
import { Prisma, type PrismaClient } from "@prisma/client";

import { isFilterGroup, type CustomerFilter, type CustomerFilterField, type CustomerSort } from "./customer-filter";
import {
  CUSTOMER_FILTER_FROM,
  customerFilterSql,
  customerFilterWhere,
  LIST_TABLE_FILTER_COLUMNS,
} from "./customer-filter-sql";
import { withShop } from "../tenancy/shop-scope.repository.server";
import { customerListTable, ensureCustomerListTable } from "./customer-list-table.repository.server";
import {
  clampPageSize,
  CUSTOMER_COUNT_CAP,
  CustomerListError,
  decodeCursor,
  encodeCursor,
  sortSpec,
  type CustomerListCursor,
  type SortSpec,
} from "./customer-list";

type Db = PrismaClient | Prisma.TransactionClient;

const SORT_COLUMNS: Record<SortSpec["key"], string> = {
  predictedClv: "clv_minor",
  netSpent: "net_spent_minor",
  lastOrderAt: "last_order_at",
};

export type CustomerListRow = {
  id: bigint;
  shopifyId: bigint;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  countryCode: string | null;
  ordersCount: number;
  netSpentMinor: bigint;
  lastOrderAt: Date | null;
  tags: string[];
  rfmSegment: string | null;
  lifecycleStage: string | null;
  churnRisk: string | null;
  clvMinor: bigint | null;
  pointsBalance: number | null;
  tierName: string | null;
};

export type CustomerListPage = {
  rows: CustomerListRow[];
  /** Cursor of the next page, null on the last page. */
  nextCursor: string | null;
  /** Cursor of the previous page, null on the first page. */
  previousCursor: string | null;
  currencyCode: string;
  timeZone: string;
};

// o: the page's rows of the list table (points are 0 outside the program: shown as no member).
const SELECT_COLUMNS = Prisma.sql`o.customer_id AS id, o.shopify_id AS "shopifyId", o.first_name AS "firstName",
  o.last_name AS "lastName", o.email, o.country_code AS "countryCode", o.orders_count AS "ordersCount",
  o.net_spent_minor AS "netSpentMinor", o.last_order_at AS "lastOrderAt", o.tags,
  o.rfm_segment AS "rfmSegment", o.lifecycle_stage AS "lifecycleStage", o.churn_risk AS "churnRisk",
  o.clv_minor AS "clvMinor", m.points_balance AS "pointsBalance", t.name AS "tierName"`;

/** The list table's WHERE for a filter (the table holds only the shop's live customers). */
function listTableWhere(filter: CustomerFilter, timeZone: string | undefined): Prisma.Sql {
  return customerFilterSql(filter, { timeZone, columns: LIST_TABLE_FILTER_COLUMNS });
}

export async function shopListContext(db: Db, shopId: number): Promise<{ currencyCode: string; timeZone: string }> {
  const shop = await db.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { currencyCode: true, ianaTimezone: true },
  });
  return { currencyCode: shop.currencyCode, timeZone: shop.ianaTimezone };
}

/**
 * One page of the shop's customers matching the filter, in the sort's order. `cursor` is a
 * nextCursor/previousCursor of an earlier page (an invalid one throws CustomerListError).
 */
export async function loadCustomerListPage(
  db: Db,
  shopId: number,
  options: {
    filter: CustomerFilter;
    sort: CustomerSort;
    cursor?: string | null;
    pageSize?: number;
    /** Tests force each way of finding a page with small limits. */
    limits?: PageSearchLimits;
  },
): Promise<CustomerListPage> {
  return inListScope(db, shopId, (scoped) => readListPage(scoped, shopId, options));
}

async function readListPage(
  db: Db,
  shopId: number,
  options: Parameters<typeof loadCustomerListPage>[2],
): Promise<CustomerListPage> {
  const { currencyCode, timeZone } = await shopListContext(db, shopId);
  const pageSize = clampPageSize(options.pageSize);
  const spec = sortSpec(options.sort);
  const cursor = options.cursor ? decodeCursor(options.cursor, options.sort) : null;
  const where = listTableWhere(options.filter, timeZone);

  const backwards = cursor?.direction === "before";
  // The list is [keyed part, NULL part]; walk the parts from the cursor's one, forwards or back.
  const parts: ("keyed" | "null")[] = spec.nullable ? ["keyed", "null"] : ["keyed"];
  const startPart = cursor === null ? 0 : cursor.key === null ? parts.indexOf("null") : 0;
  if (startPart < 0) throw new CustomerListError("invalid_cursor", "Invalid page link.");
  const order = backwards ? parts.slice(0, startPart + 1).reverse() : parts.slice(startPart);

  const wanted = pageSize + 1;
  const rows: CustomerListRow[] = [];
  for (const [index, part] of order.entries()) {
    const partCursor = index === 0 ? cursor : null;
    rows.push(
      ...(await readPart(db, {
        limits: options.limits ?? PAGE_SEARCH_LIMITS,
        shopId,
        filter: options.filter,
        where,
        spec,
        part,
        cursor: partCursor,
        backwards,
        limit: wanted - rows.length,
      })),
    );
    if (rows.length >= wanted) break;
  }

  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (backwards) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  const hasNext = backwards ? true : more;
  const hasPrevious = backwards ? more : cursor !== null;
  return {
    rows: page,
    nextCursor: hasNext && last ? encodeCursor(cursorOf(options.sort, spec, last, "after")) : null,
    previousCursor: hasPrevious && first ? encodeCursor(cursorOf(options.sort, spec, first, "before")) : null,
    currencyCode,
    timeZone,
  };
}

function cursorOf(
  sort: CustomerSort,
  spec: SortSpec,
  row: CustomerListRow,
  direction: CustomerListCursor["direction"],
): CustomerListCursor {
  const key =
    spec.key === "predictedClv" ? row.clvMinor : spec.key === "netSpent" ? row.netSpentMinor : row.lastOrderAt;
  return { sort, direction, key, id: row.id };
}

/** How a page is searched for when its filter's matches may lie anywhere along the sort (see pageIds). */
export interface PageSearchLimits {
  /** Sort-index entries a bounded walk reads before trying another way (a few milliseconds). */
  walkBudget: number;
  /** Matches collected and sorted at most; beyond that the sort index is walked to the end. */
  collectCap: number;
}

const PAGE_SEARCH_LIMITS: PageSearchLimits = { walkBudget: 20_000, collectCap: 150_000 };

type PartInput = {
  limits: PageSearchLimits;
  shopId: number;
  filter: CustomerFilter;
  where: Prisma.Sql;
  spec: SortSpec;
  part: "keyed" | "null";
  cursor: CustomerListCursor | null;
  backwards: boolean;
  limit: number;
};

async function readPart(db: Db, input: PartInput): Promise<CustomerListRow[]> {
  const ids = await pageIds(db, input);
  if (ids.length === 0) return [];
  return db.$queryRaw<CustomerListRow[]>`SELECT ${SELECT_COLUMNS}
    FROM unnest(${ids.map(String)}::bigint[]) WITH ORDINALITY AS page (customer_id, position)
    JOIN ${customerListTable(input.shopId)} o ON o.customer_id = page.customer_id
    LEFT JOIN loyalty_members m ON m.customer_id = o.customer_id
    LEFT JOIN loyalty_tiers t ON t.id = o.tier_id
    ORDER BY page.position`;
}

/**
 * The part's page as customer ids, in order. Walking the sort's index until the page is full is
 * right when matches are spread along the sort, and hopeless when they sit at its far end
 * ("ordered 10+ times" by lowest spend, "bought in the last 30 days" by lowest CLV: 400,000+
 * entries at 1,000,000 customers). The planner cannot tell these apart, so:
 *   1. walk walkBudget entries; done if the page filled, or the part ended;
 *   2. else collect every match (via whatever index the filter has) and sort them, if at most
 *      collectCap;
 *   3. else walk to the end (matches are dense: more than collectCap of them).
 * A lone value of a sort-correlated field (or no filter) walks its own (field, key, id) index.
 */
async function pageIds(db: Db, input: PartInput): Promise<bigint[]> {
  const { spec, part, cursor, backwards } = input;
  const column = Prisma.raw(`r.${SORT_COLUMNS[spec.key]}`);
  // Reading backwards is reading the reversed order forwards.
  const descending = (spec.direction === "desc") !== backwards;
  const dir = descending ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const after = descending ? Prisma.sql`<` : Prisma.sql`>`;

  const position: Prisma.Sql[] = [];
  if (part === "keyed") {
    if (spec.nullable) position.push(Prisma.sql`${column} IS NOT NULL`);
    if (cursor !== null && cursor.key !== null) {
      const key =
        cursor.key instanceof Date ? Prisma.sql`${cursor.key}::timestamptz` : Prisma.sql`${cursor.key}::bigint`;
      position.push(Prisma.sql`(${column}, r.customer_id) ${after} (${key}, ${cursor.id}::bigint)`);
    }
  } else {
    position.push(Prisma.sql`${column} IS NULL`);
    if (cursor !== null) position.push(Prisma.sql`r.customer_id ${after} ${cursor.id}::bigint`);
  }
  const table = customerListTable(input.shopId);
  const positioned = position.length > 0 ? Prisma.join(position, " AND ") : Prisma.sql`TRUE`;
  // Both parts order by (key, id): in the NULL part that is id order, and it is the order of
  // the (key, id) indexes, which hold their NULL keys together.
  const order = Prisma.sql`${column} ${dir}, r.customer_id ${dir}`;
  const walk = async () =>
    (
      await db.$queryRaw<{ customer_id: bigint }[]>`SELECT r.customer_id FROM ${table} r
        WHERE ${input.where} AND ${positioned} ORDER BY ${order} LIMIT ${input.limit}`
    ).map((row) => row.customer_id);

  const plan = pagePlan(input.filter, spec.key);
  if (plan.kind === "walk") return walk();

  // Matches of a range with its own index: collected in that index's order (an index-only walk
  // of the range: the index carries the sort keys), then sorted.
  const collect = async (rangeOrder: Prisma.Sql) => {
    const [collected] = await db.$queryRaw<{ matched: number; ids: bigint[] }[]>`
      WITH matched AS MATERIALIZED (
        SELECT r.customer_id, ${column} FROM ${table} r
        WHERE ${input.where} AND ${positioned} ${rangeOrder} LIMIT ${input.limits.collectCap + 1}
      )
      SELECT (SELECT count(*)::int FROM matched) AS matched,
        ARRAY(SELECT r.customer_id FROM matched r ORDER BY ${order} LIMIT ${input.limit}) AS ids`;
    return collected && collected.matched <= input.limits.collectCap ? collected.ids : null;
  };
  if (plan.kind === "collect") return (await collect(Prisma.raw(`ORDER BY r.${plan.column}`))) ?? walk();

  const [bounded] = await db.$queryRaw<{ walked: number; ids: bigint[] | null }[]>`
    SELECT count(*)::int AS walked,
      (array_agg(w.customer_id ORDER BY w.n) FILTER (WHERE w.hit))[1:${input.limit}] AS ids
    FROM (
      SELECT r.customer_id, (${input.where}) AS hit, row_number() OVER (ORDER BY ${order}) AS n
      FROM ${table} r WHERE ${positioned} ORDER BY ${order} LIMIT ${input.limits.walkBudget}
    ) w`;
  const boundedIds = bounded?.ids ?? [];
  if (boundedIds.length >= input.limit || (bounded?.walked ?? 0) < input.limits.walkBudget) return boundedIds;

  return (await collect(Prisma.empty)) ?? walk();
}

/** List-table columns of the range filters that have an index carrying the sort keys. */
const RANGE_COLUMNS: Partial<Record<CustomerFilterField, string>> = {
  ordersCount: "orders_count",
  points: "points_balance",
  netSpent: "net_spent_minor",
  predictedClv: "clv_minor",
  lastOrderAt: "last_order_at",
};

type PagePlan = { kind: "walk" } | { kind: "collect"; column: string } | { kind: "probe" };

/**
 * How pageIds finds a page for a filter alone (filters that combine conditions are probed):
 * - walk: no filter, one value of a field with its own (field, key, id) indexes, or a range of
 *   the sort key itself: one index walk finds the page;
 * - collect: a range of another indexed field (10+ orders by lowest spend);
 * - probe: the rest (search, tags, country, consent, several values): bounded walk first.
 */
function pagePlan(filter: CustomerFilter, sortKey: SortSpec["key"]): PagePlan {
  if (filter.conditions.length === 0) return { kind: "walk" };
  const only = filter.conditions.length === 1 ? filter.conditions[0]! : null;
  if (only === null || isFilterGroup(only)) return { kind: "probe" };
  switch (only.field) {
    case "rfmSegment":
    case "lifecycleStage":
    case "cluster":
      return only.values.length === 1 ? { kind: "walk" } : { kind: "probe" };
    case "churnRisk":
      return only.values.length === 1 && only.values[0] !== "unknown" ? { kind: "walk" } : { kind: "probe" };
    case "tier":
      return only.values.length === 1 && only.values[0] !== "none" ? { kind: "walk" } : { kind: "probe" };
  }
  const column = RANGE_COLUMNS[only.field];
  if (column === undefined || (only.field === "lastOrderAt" && only.op === "never")) return { kind: "probe" };
  return only.field === sortKey ? { kind: "walk" } : { kind: "collect", column };
}

/**
 * Runs the list's reads inside the shop's row-level-security scope (withShop), after building the
 * shop's list table as the owner if it has none. Handed a transaction, the caller has scoped it.
 */
async function inListScope<T>(db: Db, shopId: number, work: (scoped: Db) => Promise<T>): Promise<T> {
  if (!("$transaction" in db)) return work(db);
  await ensureCustomerListTable(db as PrismaClient, shopId);
  return withShop(db as PrismaClient, shopId, work, { timeoutMs: 30_000 });
}

/** How many customers match, counted up to CUSTOMER_COUNT_CAP (then `capped`). */
export async function countCustomers(
  db: Db,
  shopId: number,
  filter: CustomerFilter,
  options: { timeZone?: string } = {},
): Promise<{ count: number; capped: boolean }> {
  const where = listTableWhere(filter, options.timeZone);
  const [row] = await inListScope(
    db,
    shopId,
    (scoped) => scoped.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (
      SELECT 1 FROM ${customerListTable(shopId)} r WHERE ${where} LIMIT ${CUSTOMER_COUNT_CAP + 1}
    ) matched`,
  );
  const n = row?.n ?? 0;
  return n > CUSTOMER_COUNT_CAP ? { count: CUSTOMER_COUNT_CAP, capped: true } : { count: n, capped: false };
}

/** The shop's saved segments, for the "Add to segment" bulk action. */
export async function liveSegmentsOf(db: Db, shopId: number): Promise<{ id: number; name: string }[]> {
  return db.segment.findMany({
    where: { shopId, deletedAt: null },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
    take: 250,
  });
}

export type BulkCustomer = { id: bigint; shopifyId: bigint; memberId: bigint | null };

/** The shop's live customers among `ids` (others' or deleted ones are left out). */
export async function liveCustomersByIds(db: Db, shopId: number, ids: bigint[]): Promise<BulkCustomer[]> {
  if (ids.length === 0) return [];
  return db.$queryRaw<BulkCustomer[]>`SELECT c.id, c.shopify_id AS "shopifyId", m.id AS "memberId"
    FROM customers c LEFT JOIN loyalty_members m ON m.customer_id = c.id
    WHERE c.shop_id = ${shopId} AND c.id = ANY(${ids.map(String)}::bigint[])
      AND c.deleted_at IS NULL AND c.redacted_at IS NULL
    ORDER BY c.id`;
}

/** A batch of the customers matching a filter, in id order after `afterId`. */
export async function matchingCustomersBatch(
  db: Db,
  shopId: number,
  filter: CustomerFilter,
  input: { afterId: bigint; limit: number; timeZone?: string },
): Promise<BulkCustomer[]> {
  const where = customerFilterWhere(shopId, filter, { timeZone: input.timeZone });
  return db.$queryRaw<BulkCustomer[]>`SELECT c.id, c.shopify_id AS "shopifyId", m.id AS "memberId"
    ${CUSTOMER_FILTER_FROM}
    WHERE ${where} AND c.id > ${input.afterId}::bigint
    ORDER BY c.id
    LIMIT ${input.limit}`;
}

/** Adds a tag to our copy of the customers' tags (Shopify was written first). */
export async function addTagToCustomers(db: Db, shopId: number, ids: bigint[], tag: string): Promise<number> {
  if (ids.length === 0) return 0;
  return db.$executeRaw`UPDATE customers SET tags = array_append(tags, ${tag}), updated_at = now()
    WHERE shop_id = ${shopId} AND id = ANY(${ids.map(String)}::bigint[]) AND NOT (${tag} = ANY(tags))`;
}

export async function shopForBulk(db: Db, shopId: number) {
  return db.shop.findUnique({ where: { id: shopId }, select: { id: true, domain: true, ianaTimezone: true } });
}
