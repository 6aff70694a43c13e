// The Customers list: one keyset page of a shop's customers for a filter and sort, and a capped
// count. The list is ordered by (sort key, id) with NULL keys last in both directions; it is
// read as two parts, rows with a key then rows without one (ordered by id), so each part walks
// one index in order instead of sorting the shop (see the migration customers_list_indexes).
import { Prisma, type PrismaClient } from "@prisma/client";

import { type CustomerFilter, type CustomerSort } from "./customer-filter";
import { CUSTOMER_FILTER_FROM, customerFilterWhere } from "./customer-filter-sql";
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

const SORT_COLUMNS: Record<SortSpec["key"], Prisma.Sql> = {
  predictedClv: Prisma.sql`s.clv_minor`,
  netSpent: Prisma.sql`c.net_spent_minor`,
  lastOrderAt: Prisma.sql`c.last_order_at`,
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

const SELECT_COLUMNS = Prisma.sql`c.id, c.shopify_id AS "shopifyId", c.first_name AS "firstName",
  c.last_name AS "lastName", c.email, c.country_code AS "countryCode", c.orders_count AS "ordersCount",
  c.net_spent_minor AS "netSpentMinor", c.last_order_at AS "lastOrderAt", c.tags,
  s.rfm_segment AS "rfmSegment", s.lifecycle_stage AS "lifecycleStage", s.churn_risk AS "churnRisk",
  s.clv_minor AS "clvMinor", m.points_balance AS "pointsBalance", t.name AS "tierName"`;

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
  options: { filter: CustomerFilter; sort: CustomerSort; cursor?: string | null; pageSize?: number },
): Promise<CustomerListPage> {
  const { currencyCode, timeZone } = await shopListContext(db, shopId);
  const pageSize = clampPageSize(options.pageSize);
  const spec = sortSpec(options.sort);
  const cursor = options.cursor ? decodeCursor(options.cursor, options.sort) : null;
  const where = customerFilterWhere(shopId, options.filter, { timeZone });

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
        shopId,
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

async function readPart(
  db: Db,
  input: {
    shopId: number;
    where: Prisma.Sql;
    spec: SortSpec;
    part: "keyed" | "null";
    cursor: CustomerListCursor | null;
    backwards: boolean;
    limit: number;
  },
): Promise<CustomerListRow[]> {
  const { spec, part, cursor, backwards } = input;
  const column = SORT_COLUMNS[spec.key];
  // Reading backwards is reading the reversed order forwards.
  const descending = (spec.direction === "desc") !== backwards;
  const dir = descending ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const after = descending ? Prisma.sql`<` : Prisma.sql`>`;

  const conditions: Prisma.Sql[] = [input.where];
  let orderBy: Prisma.Sql;
  if (part === "keyed") {
    // Sorting by CLV walks customer_scores' (shop_id, clv_minor, customer_id) index: say so to
    // the planner with the score's own shop and id columns (equal to the customer's).
    const id = spec.key === "predictedClv" ? Prisma.sql`s.customer_id` : Prisma.sql`c.id`;
    if (spec.key === "predictedClv") conditions.push(Prisma.sql`s.shop_id = ${input.shopId}`);
    if (spec.nullable) conditions.push(Prisma.sql`${column} IS NOT NULL`);
    if (cursor !== null && cursor.key !== null) {
      const key =
        cursor.key instanceof Date ? Prisma.sql`${cursor.key}::timestamptz` : Prisma.sql`${cursor.key}::bigint`;
      conditions.push(Prisma.sql`(${column}, ${id}) ${after} (${key}, ${cursor.id}::bigint)`);
    }
    orderBy = Prisma.sql`${column} ${dir}, ${id} ${dir}`;
  } else {
    conditions.push(Prisma.sql`${column} IS NULL`);
    if (cursor !== null) conditions.push(Prisma.sql`c.id ${after} ${cursor.id}::bigint`);
    orderBy = Prisma.sql`c.id ${dir}`;
  }

  return db.$queryRaw<CustomerListRow[]>`SELECT ${SELECT_COLUMNS}
    ${CUSTOMER_FILTER_FROM}
    LEFT JOIN loyalty_tiers t ON t.id = m.tier_id
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${orderBy}
    LIMIT ${input.limit}`;
}

/** How many customers match, counted up to CUSTOMER_COUNT_CAP (then `capped`). */
export async function countCustomers(
  db: Db,
  shopId: number,
  filter: CustomerFilter,
  options: { timeZone?: string } = {},
): Promise<{ count: number; capped: boolean }> {
  const where = customerFilterWhere(shopId, filter, options);
  const [row] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (
      SELECT 1 ${CUSTOMER_FILTER_FROM} WHERE ${where} LIMIT ${CUSTOMER_COUNT_CAP + 1}
    ) matched`;
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
