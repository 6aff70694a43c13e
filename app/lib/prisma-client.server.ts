// Prisma clients on our own pg pool (the driver adapter; no native query engine).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import type pg from "pg";

import { createPgPool, PG_CONNECTION_TIMEOUT_MS } from "./pg-pool.server";

/**
 * How long a transaction of a shop-scoped client may run. Each of its standalone queries is a
 * batch transaction [scope, query], and Prisma caps a batch at its client's transaction timeout
 * (5 s by default; a batch takes no options of its own). A scoped query must be allowed what the
 * owner's same query is: the nightly run's store totals at a million customers took 5.2 s.
 */
export const SCOPED_TRANSACTION_TIMEOUT_MS = 300_000;

// Each client's pool, so that a sibling client can share it (clientForScopedQueries).
const poolOfClient = new WeakMap<PrismaClient, pg.Pool>();
const scopedQueryClients = new WeakMap<PrismaClient, PrismaClient>();

export function createPrismaClient(databaseUrl: string): PrismaClient {
  // Our own pool rather than the adapter's default one: connection timeouts, and a slot freed
  // when a connection is cut mid-transaction (see pg-pool.server.ts). $disconnect ends it.
  const pool = createPgPool(databaseUrl, { name: "prisma" });
  const client = clientOnPool(pool, { disposePool: true, timeout: undefined });
  poolOfClient.set(client, pool);
  return client;
}

/**
 * The client a shop scope's queries go through: `db`'s own pool and connections, with room for
 * a scoped query as long as the owner's (SCOPED_TRANSACTION_TIMEOUT_MS). The owner's own
 * transactions keep Prisma's 5 s. A client not made by createPrismaClient is used as it is.
 */
export function clientForScopedQueries(db: PrismaClient): PrismaClient {
  const pool = poolOfClient.get(db);
  if (!pool) return db;
  let sibling = scopedQueryClients.get(db);
  if (!sibling) {
    // The owner's client ends the pool on $disconnect; this one holds nothing else of its own.
    sibling = clientOnPool(pool, { disposePool: false, timeout: SCOPED_TRANSACTION_TIMEOUT_MS });
    scopedQueryClients.set(db, sibling);
  }
  return sibling;
}

function clientOnPool(pool: pg.Pool, options: { disposePool: boolean; timeout: number | undefined }) {
  return new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: options.disposePool }),
    // A transaction (every query of a shop-scoped client is one) waits for a pooled connection
    // as long as the pool lets any caller wait, not Prisma's default 2 s: a burst that fills the
    // pool for 3 s must slow the requests down, not fail them.
    transactionOptions: { maxWait: PG_CONNECTION_TIMEOUT_MS, ...(options.timeout && { timeout: options.timeout }) },
  });
}
