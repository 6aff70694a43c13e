// The daily loyalty pass over one shop: expiry and its advance notices, tier period ends,
// excluded collections and birthdays re-read from Shopify, birthday bonuses, and the check that
// every cached balance still equals its ledger. Every step is idempotent, so a retry is safe.
import { findShopByDomain } from "../shop/shop.repository.server";
import { ShopifyAdminError } from "../shopify-admin/shopify-admin-error";
import { readShopBirthdays } from "./birthday-from-shopify.server";
import { refreshExcludedCollections } from "./excluded-collections.server";
import { emitExpiryNotices } from "./expiry-notices.server";
import { inconsistentBalances } from "./loyalty-ledger.repository.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { findProgram } from "./loyalty.repository.server";
import { awardBirthdayIfDue, expireShopPoints } from "./member-bonuses.server";
import { reevaluateShopTiers } from "./member-tier.server";
import { settleStaleRedemptions } from "./settle-redemption.server";

/** A Shopify step that fails (no session, Shopify down) is skipped today and tried again tomorrow. */
async function fromShopify<T>(deps: LoyaltyDeps, shopDomain: string, step: string, run: () => Promise<T>) {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ShopifyAdminError)) throw error;
    deps.logger.warn({ shop: shopDomain, step, code: error.code }, "daily loyalty step skipped: Shopify failed");
    return null;
  }
}

export async function runDailyShop(deps: LoyaltyDeps, shopDomain: string) {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) return null;
  const program = await findProgram(deps.db, shop.id);
  if (!program?.enabled) return null;
  const expiry = await expireShopPoints(deps, shop.id);
  const notices = await emitExpiryNotices(deps, program);
  const tiers = await reevaluateShopTiers(deps, shop.id);
  const collections = await fromShopify(deps, shopDomain, "collections", () => refreshExcludedCollections(deps, shop));
  const metafieldBirthdays = await fromShopify(deps, shopDomain, "birthdays", () =>
    readShopBirthdays(deps, shop, program),
  );
  const now = deps.now?.() ?? new Date();
  const birthdays = await deps.db.loyaltyMember.findMany({
    where: { shopId: shop.id, birthdayMonth: now.getUTCMonth() + 1, birthdayDay: { lte: now.getUTCDate() } },
  });
  let birthdayBonuses = metafieldBirthdays?.bonuses ?? 0;
  for (const member of birthdays) if ((await awardBirthdayIfDue(deps, member)) > 0) birthdayBonuses++;
  const redemptions = await settleStaleRedemptions(deps, shop.id);
  const inconsistent = await inconsistentBalances(deps.db, shop.id);
  if (inconsistent.length > 0) {
    deps.logger.error(
      { shop: shopDomain, members: inconsistent.map((m) => m.memberId.toString()) },
      "loyalty balance differs from its ledger",
    );
  }
  return {
    ...expiry,
    expiryNotices: notices.emitted,
    tiersChanged: tiers.changed,
    excludedProducts: collections?.products ?? null,
    birthdaysFromShopify: metafieldBirthdays?.filled ?? null,
    birthdayBonuses,
    staleRedemptions: redemptions,
    inconsistent: inconsistent.length,
  };
}
