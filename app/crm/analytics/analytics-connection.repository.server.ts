// The run's own PostgreSQL connection: its temp tables, its advisory lock and its one write
// transaction live and die with it.
import pg from "pg";

import { env } from "../../config/env.server";
import { createPgPool } from "../../lib/pg-pool.server";
import { scopePgTransactionToShop } from "../tenancy/shop-scoped-db.repository.server";

// Any constant distinct from the app's other advisory locks: (namespace, shop id).
const ADVISORY_LOCK_NAMESPACE = 0x616e6c79;

/** How the run's connection shows in pg_stat_activity. */
export const ANALYTICS_APPLICATION_NAME = "kinship-analytics-run";

export async function openAnalyticsConnection(databaseUrl?: string) {
  const client = new pg.Client({
    connectionString: databaseUrl ?? env().DATABASE_URL,
    application_name: ANALYTICS_APPLICATION_NAME,
  });
  await client.connect();
  // The run sorts five million orders and aggregates a million customers: in memory, not on
  // disk (temp_buffers must be set before the session's first temp table). JIT compilation
  // costs about a second per big statement and gains nothing on these plans.
  await client.query(`SET work_mem = '512MB'; SET temp_buffers = '256MB'; SET jit = off`);
  return client;
}

/** One run per shop at a time, whoever asked for it; released when the connection closes. */
export async function tryLockShopAnalytics(client: pg.ClientBase, shopId: number) {
  const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock($1, $2) AS locked`, [
    ADVISORY_LOCK_NAMESPACE,
    shopId,
  ]);
  return rows[0]?.locked === true;
}

export async function inTransaction<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await work();
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/**
 * inTransaction inside the row-level-security scope of the shop `shopId`: every statement of
 * `work` runs as kinship_app and sees only that shop's rows.
 */
export async function inShopScopedTransaction<T>(
  client: pg.ClientBase,
  shopId: number,
  work: () => Promise<T>,
): Promise<T> {
  return inTransaction(client, async () => {
    await scopePgTransactionToShop(client, shopId);
    return work();
  });
}

const pools = new Map<string, pg.Pool>();

/** A small shared pool for one-customer work (re-scores after an order). */
export function analyticsPool(databaseUrl?: string): pg.Pool {
  const url = databaseUrl ?? env().DATABASE_URL;
  let pool = pools.get(url);
  if (!pool) {
    // A lost connection is logged, not fatal, and one cut while checked out frees its slot.
    pool = createPgPool(url, { name: "analytics", max: 4 });
    pools.set(url, pool);
  }
  return pool;
}

export async function closeAnalyticsPools() {
  const closing = [...pools.values()].map((pool) => pool.end());
  pools.clear();
  await Promise.all(closing);
}
