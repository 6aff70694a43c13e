// A small pg pool for the webhook inbox insert: the receiving path is the app's hottest,
// and one plain parameterised INSERT needs none of Prisma's query machinery.
import pg from "pg";

import { env } from "../../config/env.server";
import { logger } from "../../lib/logger.server";

let pool: pg.Pool | undefined;

export function inboxPool(): pg.Pool {
  if (!pool) {
    pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 10 });
    // An idle connection cut by PostgreSQL (restart, pg_terminate_backend) is reported here;
    // without a listener the error would crash the app. The pool drops it and opens another.
    pool.on("error", (error) => logger.warn({ err: error.message }, "inbox pool connection lost"));
  }
  return pool;
}
