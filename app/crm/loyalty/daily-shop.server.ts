// The daily loyalty pass over one shop: expiry, tier period ends, birthdays, and the check that
// every cached balance still equals its ledger.
import { findShopByDomain } from "../shop/shop.repository.server";
import { inconsistentBalances } from "./loyalty-ledger.repository.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { awardBirthdayIfDue, expireShopPoints } from "./member-bonuses.server";
import { reevaluateShopTiers } from "./member-tier.server";
import { settleStaleRedemptions } from "./settle-redemption.server";

export async function runDailyShop(deps: LoyaltyDeps, shopDomain: string) {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) return null;
  const program = await deps.db.loyaltyProgram.findUnique({ where: { shopId: shop.id } });
  if (!program?.enabled) return null;
  const expiry = await expireShopPoints(deps, shop.id);
  const tiers = await reevaluateShopTiers(deps, shop.id);
  const now = deps.now?.() ?? new Date();
  const birthdays = await deps.db.loyaltyMember.findMany({
    where: { shopId: shop.id, birthdayMonth: now.getUTCMonth() + 1, birthdayDay: { lte: now.getUTCDate() } },
  });
  let birthdayBonuses = 0;
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
    tiersChanged: tiers.changed,
    birthdayBonuses,
    staleRedemptions: redemptions,
    inconsistent: inconsistent.length,
  };
}
