// One Prisma client per process, on the pg driver adapter (no native query engine).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";

import { env } from "./config/env.server";
import { createShopScopedClients, type ShopScopedClients } from "./crm/tenancy/shop-scoped-db.repository.server";
import { createPgPool, PG_CONNECTION_TIMEOUT_MS } from "./lib/pg-pool.server";

export function createPrismaClient(databaseUrl: string): PrismaClient {
  // Our own pool rather than the adapter's default one: connection timeouts, and a slot freed
  // when a connection is cut mid-transaction (see pg-pool.server.ts). $disconnect ends it.
  const pool = createPgPool(databaseUrl, { name: "prisma" });
  return new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    // A transaction (every query of a shop-scoped client is one) waits for a pooled connection
    // as long as the pool lets any caller wait, not Prisma's default 2 s: a burst that fills the
    // pool for 3 s must slow the requests down, not fail them.
    transactionOptions: { maxWait: PG_CONNECTION_TIMEOUT_MS },
  });
}

declare global {
  // Reused across Vite dev-server reloads so that connections are not leaked.
  var kinshipPrisma: PrismaClient | undefined;
}

let client: PrismaClient | undefined = globalThis.kinshipPrisma;

/** The process's Prisma client, created on first use from DATABASE_URL. */
export function db(): PrismaClient {
  if (!client) {
    client = createPrismaClient(env().DATABASE_URL);
    globalThis.kinshipPrisma = client;
  }
  return client;
}

// Scoped clients hold no request state, so one per shop is reused (up to a bound).
let scopedClients: ShopScopedClients | undefined;

/**
 * The process's client inside one shop's row-level-security scope: what a route hands to the
 * domain for the authenticated shop (session.shop, the app proxy's signed `shop`). Every query
 * it makes sees only that shop's customers, orders, ledger and survey answers.
 */
export function shopDb(shopDomain: string): PrismaClient {
  scopedClients ??= createShopScopedClients(db());
  return scopedClients.byDomain(shopDomain);
}

export type { PrismaClient };
