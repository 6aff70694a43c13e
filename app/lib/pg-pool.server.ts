// Every pg.Pool of the app is made here, so that a PostgreSQL restart or a cut connection
// (pg_terminate_backend, a failover) costs the callers of that moment an error, never the
// process a hang or a crash.
import pg from "pg";

import { logger } from "./logger.server";

export interface PgPoolOptions {
  /** Names the pool in the logs. */
  name: string;
  max?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

/**
 * How long a caller waits for a connection: the pool full for this long, or a server that
 * does not answer, is a fault. The caller gets an error (a job retries with backoff, a
 * request answers 503) instead of waiting forever.
 */
export const PG_CONNECTION_TIMEOUT_MS = 10_000;

export function createPgPool(connectionString: string, options: PgPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max,
    application_name: options.applicationName,
    connectionTimeoutMillis: PG_CONNECTION_TIMEOUT_MS,
    // TCP keepalive notices a server that vanished without closing the socket (host crash,
    // network partition); a cut with a closed socket is noticed at once anyway.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle connection cut by the server is reported here; without a listener the error
  // would crash the process. The pool has already dropped it and opens another when needed.
  pool.on("error", (error) => logger.warn({ pool: options.name, err: error.message }, "idle pg connection lost"));
  releaseConnectionsThatEnd(pool, options.name);
  return pool;
}

/**
 * A checked-out connection whose socket ends goes back to the pool (which discards it) at
 * once, whether or not its holder ever calls release().
 *
 * Why: Prisma's client engine (6.19, TransactionManager#closeTransaction) sends ROLLBACK or
 * COMMIT and only then calls the adapter's rollback()/commit(), which release the pg client.
 * When the connection was cut mid-transaction that ROLLBACK fails ("Client has encountered a
 * connection error and is not queryable") and the release never happens: the slot stays
 * taken by a dead client. After `max` such cuts every query waits for a slot forever, with
 * no connection open at all (the chaos run's hung ingest workers).
 */
function releaseConnectionsThatEnd(pool: pg.Pool, name: string) {
  const checkedOut = new WeakSet<pg.PoolClient>();
  pool.on("acquire", (client) => checkedOut.add(client));
  pool.on("release", (_error, client) => checkedOut.delete(client));
  pool.on("connect", (client) => {
    // A checked-out client has no pool listener; an 'error' with none would crash the process.
    // Its holder learns of the loss from its failed query.
    client.on("error", () => undefined);
    client.on("end", () => {
      if (!checkedOut.has(client)) return;
      const release = client.release;
      // The holder's own release, if it comes later, has nothing left to do (a second call
      // to pg-pool's release throws).
      client.release = () => undefined;
      logger.warn({ pool: name }, "pg connection ended while checked out; released");
      release(new Error("Connection ended while checked out"));
    });
  });
}
