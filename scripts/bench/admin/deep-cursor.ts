// A cursor deep in the Customers list: the position of the row halfway through the filter's
// matches (of those with a sort key) in the sort's order, encoded as the list encodes its own
// next-page cursors. Paging there one page at a time would take thousands of calls.
import { Prisma } from "@prisma/client";

import type { CustomerFilter, CustomerSort } from "../../../app/crm/customers/customer-filter";
import { customerFilterSql, LIST_TABLE_FILTER_COLUMNS } from "../../../app/crm/customers/customer-filter-sql";
import { encodeCursor, sortSpec } from "../../../app/crm/customers/customer-list";
import { customerListTable } from "../../../app/crm/customers/customer-list-table.repository.server";
import { withShop } from "../../../app/crm/tenancy/shop-scope.repository.server";
import type { PrismaClient } from "../../../app/db.server";

const KEY_COLUMNS = {
  predictedClv: Prisma.sql`r.clv_minor`,
  netSpent: Prisma.sql`r.net_spent_minor`,
  lastOrderAt: Prisma.sql`r.last_order_at`,
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
  const table = customerListTable(shopId);
  const filterSql = customerFilterSql(filter, { timeZone, columns: LIST_TABLE_FILTER_COLUMNS });
  const where = Prisma.sql`${filterSql} AND ${column} IS NOT NULL`;
  // Inside the shop's scope, as the list reads (its search function needs the scope).
  return withShop(
    db,
    shopId,
    async (scoped) => {
      const [counted] = await scoped.$queryRaw<{ matches: bigint }[]>`SELECT count(*) AS matches FROM ${table} r
        WHERE ${where}`;
      const depth = Number(counted?.matches ?? 0n) >> 1;
      if (depth < 1) return null;
      const dir = spec.direction === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
      const [row] = await scoped.$queryRaw<{ key: bigint | Date; id: bigint }[]>`SELECT ${column} AS key,
        r.customer_id AS id FROM ${table} r WHERE ${where}
        ORDER BY ${column} ${dir}, r.customer_id ${dir} OFFSET ${depth - 1} LIMIT 1`;
      if (!row) return null;
      return { cursor: encodeCursor({ sort, direction: "after", key: row.key, id: row.id }), depth };
    },
    { timeoutMs: 120_000 },
  );
}
