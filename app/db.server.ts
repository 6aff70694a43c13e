// One Prisma client per process, on the pg driver adapter (no native query engine).
import type { PrismaClient } from "@prisma/client";

import { env } from "./config/env.server";
import { createShopScopedClients, type ShopScopedClients } from "./crm/tenancy/shop-scoped-db.repository.server";
import { createPrismaClient } from "./lib/prisma-client.server";

export { createPrismaClient };

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
