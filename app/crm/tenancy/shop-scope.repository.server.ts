// The database side of tenant isolation. Every repository already filters by shop_id; these
// helpers add PostgreSQL row-level security behind that filter (migration
// 20261124010540_tenant_row_level_security): inside withShop a query that forgets its
// `WHERE shop_id` still sees only that shop's customers, orders, line items, refunds, loyalty
// members, ledger entries, staff notes and survey answers.
import type { Prisma, PrismaClient } from "@prisma/client";
import type pg from "pg";

/** A Prisma client whose queries run inside one shop's row-level-security scope. */
export type ShopScopedDb = Prisma.TransactionClient;

export interface ShopScopeOptions {
  /** Interactive transaction timeout (ms); Prisma's default of 5 s suits requests, not batch jobs. */
  timeoutMs?: number;
  /** How long to wait for a pooled connection (ms); Prisma's default is 2 s. */
  maxWaitMs?: number;
}

// One round trip; transaction-local (set_config(…, true)), so a pooled connection never carries
// the role or the shop into another request.
const SCOPE_SQL =
  "SELECT set_config('role', 'kinship_app', true), set_config('kinship.shop_id', $1, true), set_config('kinship.all_shops', $2, true)";

function shopScopeValues(shopId: number): [string, string] {
  if (!Number.isSafeInteger(shopId) || shopId <= 0) throw new ShopScopeError(shopId);
  return [String(shopId), "off"];
}

export class ShopScopeError extends Error {
  readonly code = "invalid_shop_id" as const;
  constructor(shopId: unknown) {
    super(`withShop needs a positive integer shop id, got ${String(shopId)}`);
    this.name = "ShopScopeError";
  }
}

/**
 * Runs `work` in a transaction as the non-owner role `kinship_app` with `kinship.shop_id`
 * set, so row-level security limits every query to `shopId`, even one without a WHERE.
 */
export async function withShop<T>(
  db: PrismaClient,
  shopId: number,
  work: (scoped: ShopScopedDb) => Promise<T>,
  options: ShopScopeOptions = {},
): Promise<T> {
  const values = shopScopeValues(shopId); // throws before a transaction is opened
  return db.$transaction(
    async (tx) => {
      await tx.$queryRawUnsafe(SCOPE_SQL, ...values);
      return work(tx);
    },
    { timeout: options.timeoutMs ?? 5_000, ...(options.maxWaitMs ? { maxWait: options.maxWaitMs } : {}) },
  );
}

/**
 * The same scope for a raw pg client inside a transaction it opened (the customer export's
 * server-side cursor holds its own connection).
 */
export async function scopePgTransactionToShop(client: Pick<pg.ClientBase, "query">, shopId: number): Promise<void> {
  await client.query(SCOPE_SQL, shopScopeValues(shopId));
}

/**
 * For the few jobs that span shops on purpose (inbox sweepers, schedulers): the same role,
 * with the cross-shop reach declared rather than implied by a missing setting.
 */
export async function withAllShops<T>(
  db: PrismaClient,
  work: (scoped: ShopScopedDb) => Promise<T>,
  options: ShopScopeOptions = {},
): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRawUnsafe(SCOPE_SQL, "", "on");
      return work(tx);
    },
    { timeout: options.timeoutMs ?? 5_000 },
  );
}
