// A small pg pool for the webhook inbox insert: the receiving path is the app's hottest,
// and one plain parameterised INSERT needs none of Prisma's query machinery.
import pg from "pg";

import { env } from "../../config/env.server";

let pool: pg.Pool | undefined;

export function inboxPool(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: env().DATABASE_URL, max: 10 });
  return pool;
}
