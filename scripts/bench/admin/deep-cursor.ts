// A cursor deep in the Customers list: the position of the row halfway through the filter's
// matches (of those with a sort key) in the sort's order, encoded as the list encodes its own
// next-page cursors. Paging there one page at a time would take thousands of calls.
import { Prisma } from "@prisma/client";

import type { CustomerFilter, CustomerSort } from "../../../app/crm/customers/customer-filter";
import { CUSTOMER_FILTER_FROM, customerFilterWhere } from "../../../app/crm/customers/customer-filter-sql";
import { encodeCursor, sortSpec } from "../../../app/crm/customers/customer-list";
import type { PrismaClient } from "../../../app/db.server";

const KEY_COLUMNS = {
  predictedClv: Prisma.sql`s.clv_minor`,
  netSpent: Prisma.sql`c.net_spent_minor`,
  lastOrderAt: Prisma.sql`c.last_order_at`,
} as const;

/** The cursor after the middle matching row, with how deep that is; null with fewer than 2 matches. */
export async function middleCursor(
  db: PrismaClient,
  shopId: number,
  filter: CustomerFilter,
  sort: CustomerSort,
  timeZone: string,
): Promise<{ cursor: string; depth: number } | null> {
  const spec = sortSpec(sort);
  const column = KEY_COLUMNS[spec.key];
  const where = Prisma.sql`${customerFilterWhere(shopId, filter, { timeZone })} AND ${column} IS NOT NULL`;
  const [counted] = await db.$queryRaw<{ matches: bigint }[]>`SELECT count(*) AS matches ${CUSTOMER_FILTER_FROM}
    WHERE ${where}`;
  const depth = Number(counted?.matches ?? 0n) >> 1;
  if (depth < 1) return null;
  const dir = spec.direction === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const [row] = await db.$queryRaw<{ key: bigint | Date; id: bigint }[]>`SELECT ${column} AS key, c.id
    ${CUSTOMER_FILTER_FROM} WHERE ${where} ORDER BY ${column} ${dir}, c.id ${dir} OFFSET ${depth - 1} LIMIT 1`;
  if (!row) return null;
  return { cursor: encodeCursor({ sort, direction: "after", key: row.key, id: row.id }), depth };
}
