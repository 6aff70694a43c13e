import type { PrismaClient } from "../../db.server";
import type { ShopProfile } from "./shop-profile.query";

/**
 * Creates or refreshes the shop; a reinstall clears its uninstalled mark. Returns the zone the
 * shop had before (null on a first install) so the caller can move its zone-bound schedules.
 */
export async function upsertInstalledShop(db: PrismaClient, profile: ShopProfile) {
  const data = {
    name: profile.name,
    currencyCode: profile.currencyCode,
    ianaTimezone: profile.ianaTimezone,
    uninstalledAt: null,
  };
  return db.$transaction(async (tx) => {
    const before = await tx.shop.findUnique({
      where: { domain: profile.myshopifyDomain },
      select: { ianaTimezone: true },
    });
    const shop = await tx.shop.upsert({
      where: { domain: profile.myshopifyDomain },
      create: { domain: profile.myshopifyDomain, ...data },
      update: data,
    });
    return { shop, previousTimeZone: before?.ianaTimezone ?? null };
  });
}

export async function findShopByDomain(db: PrismaClient, domain: string) {
  return db.shop.findUnique({ where: { domain } });
}

/**
 * app/uninstalled: the shop's sessions go, the shop stays (marked) until shop/redact. The
 * first uninstall time is kept: a replay changes nothing.
 */
export async function markShopUninstalled(db: PrismaClient, domain: string, at: Date) {
  await db.$transaction([
    db.session.deleteMany({ where: { shop: domain } }),
    db.shop.updateMany({ where: { domain, uninstalledAt: null }, data: { uninstalledAt: at } }),
  ]);
}

/** app/scopes_update: the granted scopes changed; keep the stored sessions truthful. */
export async function updateSessionScopes(db: PrismaClient, domain: string, scopes: string[]) {
  await db.session.updateMany({ where: { shop: domain }, data: { scope: scopes.join(",") } });
}

/** Every installed shop, for restoring their job schedulers (data-health/restore-schedules). */
export async function listInstalledShops(db: PrismaClient): Promise<{ domain: string; ianaTimezone: string }[]> {
  return db.shop.findMany({
    where: { uninstalledAt: null },
    select: { domain: true, ianaTimezone: true },
    orderBy: { id: "asc" },
  });
}
