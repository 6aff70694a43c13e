// A small pg pool for the webhook inbox insert: the receiving path is the app's hottest,
// and one plain parameterised INSERT needs none of Prisma's query machinery.
import type pg from "pg";

import { env } from "../../config/env.server";
import { createPgPool } from "../../lib/pg-pool.server";

let pool: pg.Pool | undefined;

export function inboxPool(): pg.Pool {
  // With the app's pool settings: a lost connection is logged, not fatal, and a caller waits
  // for a connection a bounded time (then the webhook answers 503 and Shopify retries).
  pool ??= createPgPool(env().DATABASE_URL, { name: "inbox", max: 10 });
  return pool;
}
