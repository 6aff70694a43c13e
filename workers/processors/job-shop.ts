import { UnrecoverableError } from "bullmq";

import type { PrismaClient } from "../../app/db.server";
import {
  createShopScopedClients,
  type ShopScopedClients,
} from "../../app/crm/tenancy/shop-scoped-db.repository.server";

/**
 * The shop a job acts for. A record id alone is never trusted: the job's records are looked up
 * within this shop. Every producer has always set `shopDomain`, so a job without one is not ours
 * (or is corrupt) and is refused; what it was for is recovered by the sweeps (the inbox sweeper
 * re-enqueues unapplied deliveries, the daily pass settles stale redemptions).
 */
export function shopOfJob(job: { name: string; data: unknown }): string {
  const shopDomain = (job.data as { shopDomain?: unknown } | null)?.shopDomain;
  if (typeof shopDomain !== "string" || shopDomain === "")
    throw new UnrecoverableError(`${job.name} job without a shop: refused`);
  return shopDomain;
}

/** The shop of a job whose payload names it by id (analytics, segments, automations, sync). */
export function shopIdOfJob(job: { name: string; data: unknown }): number {
  const shopId = (job.data as { shopId?: unknown } | null)?.shopId;
  if (typeof shopId !== "number" || !Number.isSafeInteger(shopId) || shopId <= 0)
    throw new UnrecoverableError(`${job.name} job without a shop: refused`);
  return shopId;
}

/**
 * What a processor hands the domain for one job: its deps with `db` replaced by a client inside
 * the job's shop's row-level-security scope (every query runs as kinship_app with
 * `kinship.shop_id` set, as the routes' shopDb does). The owner's unscoped client stays for the
 * listed cross-shop and owner-only work (test/security/worker-database-scope.integration.test.ts).
 */
export function createJobScopes<D extends { db: PrismaClient }>(deps: D) {
  const clients: ShopScopedClients = createShopScopedClients(deps.db);
  return {
    clients,
    byDomain: (shopDomain: string): D => ({ ...deps, db: clients.byDomain(shopDomain) }),
    byId: (shopId: number): D => ({ ...deps, db: clients.byId(shopId) }),
  };
}
