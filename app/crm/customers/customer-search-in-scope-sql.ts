// Customer search for queries that run inside the row-level-security wall (shopScopedDb, withShop).
// There ILIKE cannot use the trigram indexes (it is not leakproof, so the policy is applied first);
// kinship_customer_ids_matching (migration 20261124040615_customer_search_in_scope) does the same
// matching as searchSql in customer-filter-sql.ts as its owner, for the scope's own shop only.
//
// This file builds SQL text but never runs it, so it is pure; it needs Prisma's Sql tag only.
// eslint-disable-next-line no-restricted-imports -- Prisma.sql builds fragments; no query runs here
import { Prisma } from "@prisma/client";

/** Ids of the scope's shop's customers whose name or e-mail contains `text`, as a subquery. */
export function customerIdsMatchingSql(text: string): Prisma.Sql {
  return Prisma.sql`SELECT kinship_customer_ids_matching(${text})`;
}

/** searchSql's condition on customers `c`, for a query inside the shop's scope. */
export function customerSearchInScopeSql(text: string): Prisma.Sql {
  return Prisma.sql`c.id IN (${customerIdsMatchingSql(text)})`;
}
