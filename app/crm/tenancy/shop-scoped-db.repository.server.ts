// A request's database client, inside its shop's row-level-security scope. The routes hand it to
// the domain services in place of the process's client (app/db.server.ts shopDb()), so every
// query a request makes, including one that forgets its `WHERE shop_id`, runs as kinship_app
// with `kinship.shop_id` set, and sees only that shop's customers, orders, ledger and survey
// answers (migrations 20261124010540 and 20261124011231).
//
// Prisma's row-level-security extension pattern: each query outside a transaction becomes a
// batch transaction [set the scope, the query] (one connection, BEGIN … COMMIT, no interactive
// transaction bookkeeping). `$transaction` is replaced so that the domain's own transactions
// (interactive or batch) set the scope once, first; queries inside them pass through.
import type { PrismaClient } from "@prisma/client";
import type pg from "pg";

import { clientForScopedQueries } from "../../lib/prisma-client.server";
import { ShopScopeError } from "./shop-scope.repository.server";

// The shop by its domain, resolved inside the statement (no extra round trip); an unknown domain
// sets an empty shop id, which the policies read as "no shop": no rows, fail closed. The shops
// table itself is outside the wall, so the lookup works under either role.
const SCOPE_BY_DOMAIN_SQL =
  "SELECT set_config('role', 'kinship_app', true), set_config('kinship.shop_id', coalesce((SELECT id::text FROM shops WHERE domain = $1), ''), true), set_config('kinship.all_shops', 'off', true)";

// The same scope for a job that names its shop by id (the shop is not looked up: the id is the
// setting). An id of no shop scopes to no rows, as an unknown domain does.
const SCOPE_BY_ID_SQL =
  "SELECT set_config('role', 'kinship_app', true), set_config('kinship.shop_id', $1, true), set_config('kinship.all_shops', 'off', true)";

type Operation = { __internalParams?: { transaction?: unknown } };

/**
 * A client with the same API as `db` whose every query runs inside the row-level-security scope
 * of the shop `shopDomain` (the authenticated session's shop). A domain of no installed shop
 * (an empty one too) scopes to no shop: the walled tables show no rows.
 */
export function shopScopedDb(db: PrismaClient, shopDomain: string): PrismaClient {
  return scopedClient(db, SCOPE_BY_DOMAIN_SQL, shopDomain);
}

/** shopScopedDb for a shop known by its id (the jobs whose payload carries `shopId`). */
export function shopScopedDbById(db: PrismaClient, shopId: number): PrismaClient {
  if (!Number.isSafeInteger(shopId) || shopId <= 0) throw new ShopScopeError(shopId);
  return scopedClient(db, SCOPE_BY_ID_SQL, String(shopId));
}

/**
 * The same scope for work on a raw pg connection (its own pool, not Prisma's): call it as the
 * first statement of an open transaction, whose every later statement then runs as kinship_app
 * inside the shop `shopId`'s wall. The settings are local: COMMIT or ROLLBACK ends them.
 */
export async function scopePgTransactionToShop(client: pg.ClientBase, shopId: number): Promise<void> {
  if (!Number.isSafeInteger(shopId) || shopId <= 0) throw new ShopScopeError(shopId);
  await client.query(SCOPE_BY_ID_SQL, [String(shopId)]);
}

function scopedClient(owner: PrismaClient, scopeSql: string, scopeValue: string): PrismaClient {
  // The owner's pool, with a scoped query's batch allowed as long as the owner's query would be.
  const db = clientForScopedQueries(owner);
  const setScope = () => db.$executeRawUnsafe(scopeSql, scopeValue);
  const extended = db.$extends({
    query: {
      async $allOperations({ args, query, ...operation }) {
        // Prisma hands an operation inside a transaction its transaction here (not in the public
        // types): such a transaction was opened by the scoped $transaction below, scope already set.
        if ((operation as Operation).__internalParams?.transaction) return query(args);
        const [, result] = await db.$transaction([setScope(), query(args)]);
        return result;
      },
    },
  });
  const scopedTransaction = (work: unknown, options?: Parameters<PrismaClient["$transaction"]>[1]) => {
    if (Array.isArray(work)) {
      return extended.$transaction([setScope(), ...work], options).then((results) => results.slice(1));
    }
    const run = work as (tx: unknown) => Promise<unknown>;
    return extended.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(scopeSql, scopeValue);
      return run(tx);
    }, options);
  };
  // The extended client's types differ from PrismaClient's only in its generic extension slots;
  // the services take PrismaClient, so the scoped client is handed over as one.
  return new Proxy(extended, {
    get: (target, property, receiver) =>
      property === "$transaction" ? scopedTransaction : Reflect.get(target, property, receiver),
  }) as unknown as PrismaClient;
}

/**
 * Scoped clients by shop, kept for reuse (they hold no state but the shop; up to `kept`, the
 * oldest dropped first): what a worker hands the domain for each job's shop.
 */
export function createShopScopedClients(db: PrismaClient, kept = 500) {
  const clients = new Map<string, PrismaClient>();
  const cached = (key: string, create: () => PrismaClient) => {
    let client = clients.get(key);
    if (!client) {
      client = create();
      if (clients.size >= kept) clients.delete(clients.keys().next().value!);
      clients.set(key, client);
    }
    return client;
  };
  return {
    byDomain: (shopDomain: string) => cached(`domain:${shopDomain}`, () => shopScopedDb(db, shopDomain)),
    byId: (shopId: number) => cached(`id:${shopId}`, () => shopScopedDbById(db, shopId)),
  };
}

export type ShopScopedClients = ReturnType<typeof createShopScopedClients>;
