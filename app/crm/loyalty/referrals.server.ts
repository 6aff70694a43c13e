// Referrals: a logged-in friend claims a referrer's code (the widget keeps the code from the
// referral link until the friend has an account); both are credited on the friend's first
// paid order. Abuse rules are in referral-rules.ts.
import { ledgerKeys } from "./ledger-entry";
import { LoyaltyError } from "./loyalty-error";
import { appendLedgerEntries } from "./loyalty-ledger.repository.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { findCustomerById, type LoyaltyProgramRecord, type MemberRecord } from "./loyalty.repository.server";
import { lotExpiry } from "./points-expiry";
import { referralBlockReason } from "./referral-rules";
import { requestShopifySync } from "./sync-loyalty-to-shopify.server";

export async function claimReferral(deps: LoyaltyDeps, friend: MemberRecord, code: string) {
  const referrer = await deps.db.loyaltyMember.findUnique({
    where: { shopId_referralCode: { shopId: friend.shopId, referralCode: code.trim().toUpperCase() } },
  });
  if (!referrer) throw new LoyaltyError("unknown_referral_code", "No member has this referral code");
  const [referrerCustomer, friendCustomer] = await Promise.all([
    findCustomerById(deps.db, referrer.customerId),
    findCustomerById(deps.db, friend.customerId),
  ]);
  const paidOrdersBefore = await deps.db.order.count({
    where: { customerId: friend.customerId, financialStatus: { in: ["paid", "partially_refunded", "refunded"] } },
  });
  const blocked = referralBlockReason({
    referrer: { customerId: referrer.customerId, email: referrerCustomer?.email ?? null },
    friend: { customerId: friend.customerId, email: friendCustomer?.email ?? null, paidOrdersBefore },
  });
  // Blocked claims are kept, with why: the admin sees attempted abuse.
  const referral = await deps.db.loyaltyReferral.upsert({
    where: { shopId_friendCustomerId: { shopId: friend.shopId, friendCustomerId: friend.customerId } },
    create: {
      shopId: friend.shopId,
      referrerMemberId: referrer.id,
      friendCustomerId: friend.customerId,
      status: blocked ? "blocked" : "pending",
      blockedReason: blocked,
    },
    update: {},
  });
  if (referral.status === "blocked") throw new LoyaltyError("referral_blocked", referral.blockedReason ?? "blocked");
  return referral;
}

/** On the friend's first paid order: both bonuses, once (the referral's status moves first). */
export async function rewardReferralOnFirstOrder(
  deps: LoyaltyDeps,
  program: LoyaltyProgramRecord,
  friendCustomerId: bigint,
  orderShopifyId: bigint,
) {
  const referral = await deps.db.loyaltyReferral.findUnique({
    where: { shopId_friendCustomerId: { shopId: program.shopId, friendCustomerId } },
  });
  if (!referral || referral.status === "blocked") return;
  const now = deps.now?.() ?? new Date();
  await deps.db.loyaltyReferral.updateMany({
    where: { id: referral.id, status: "pending" },
    data: { status: "rewarded", orderShopifyId, rewardedAt: now },
  });
  const friend = await deps.db.loyaltyMember.findUnique({ where: { customerId: friendCustomerId } });
  const expiresAt = lotExpiry(program.settings.expiry, now);
  // Keys make these safe to repeat when a crash came between the status change and the credits.
  if (program.settings.bonuses.referrer > 0) {
    await appendLedgerEntries(
      deps.db,
      referral.referrerMemberId,
      [
        {
          kind: "referral",
          points: program.settings.bonuses.referrer,
          idempotencyKey: ledgerKeys.referralReferrer(referral.id),
          orderShopifyId,
          expiresAt,
        },
      ],
      now,
    );
  }
  if (friend && program.settings.bonuses.referredFriend > 0) {
    await appendLedgerEntries(
      deps.db,
      friend.id,
      [
        {
          kind: "referral",
          points: program.settings.bonuses.referredFriend,
          idempotencyKey: ledgerKeys.referralFriend(referral.id),
          orderShopifyId,
          expiresAt,
        },
      ],
      now,
    );
  }
  const shop = await deps.db.shop.findUniqueOrThrow({ where: { id: program.shopId }, select: { domain: true } });
  await requestShopifySync(deps, shop.domain, referral.referrerMemberId);
}
