// The storefront API behind the app proxy (/apps/kinship/loyalty…). The route has verified
// Shopify's signature; this acts only for `logged_in_customer_id`, never for an id in the body.
import { z } from "zod";

import { findShopByDomain } from "../shop/shop.repository.server";
import { LoyaltyError, type LoyaltyErrorCode } from "./loyalty-error";
import { recentLedger } from "./loyalty-ledger.repository.server";
import { ledgerLines } from "./loyalty-ledger.repository.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { findCustomer, findProgram, type LoyaltyProgramRecord, type MemberRecord } from "./loyalty.repository.server";
import { enrolCustomer } from "./evaluate-order.server";
import { setBirthday } from "./member-bonuses.server";
import { qualifyingValue } from "./member-tier.server";
import { upcomingExpiry } from "./points-expiry";
import { redeemReward } from "./redeem-reward.server";
import { claimReferral } from "./referrals.server";
import { nextTierProgress, rankTiers } from "./tiers";

export interface ProxyRequest {
  shopDomain: string;
  /** Shopify's `logged_in_customer_id`; null for a logged-out visitor. */
  customerShopifyId: bigint | null;
  method: string;
  /** The path after /apps/kinship/, e.g. "loyalty/redeem". */
  path: string;
  body: unknown;
}

export interface ProxyResponse {
  status: number;
  body: unknown;
}

const ERROR_STATUS: Record<LoyaltyErrorCode, number> = {
  no_program: 404,
  not_member: 403,
  unknown_reward: 404,
  tier_required: 403,
  insufficient_points: 409,
  invalid_birthday: 422,
  birthday_already_set: 409,
  unknown_referral_code: 404,
  referral_blocked: 422,
};

const redeemBody = z.object({ rewardId: z.coerce.number().int().positive() });
const birthdayBody = z.object({ month: z.coerce.number().int(), day: z.coerce.number().int() });
const referralBody = z.object({ code: z.string().trim().min(4).max(32) });

export async function handleLoyaltyProxy(deps: LoyaltyDeps, request: ProxyRequest): Promise<ProxyResponse> {
  const shop = await findShopByDomain(deps.db, request.shopDomain);
  const program = shop ? await findProgram(deps.db, shop.id) : null;
  if (!shop || !program?.enabled) return { status: 404, body: { error: "no_program" } };
  const route = `${request.method.toUpperCase()} ${request.path.replace(/\/+$/, "")}`;
  if (request.customerShopifyId === null) {
    return route === "GET loyalty"
      ? { status: 200, body: howToJoin(program, shop.currencyCode) }
      : { status: 401, body: { error: "login_required" } };
  }
  const customer = await findCustomer(deps.db, shop.id, request.customerShopifyId);
  if (!customer || customer.deletedAt || customer.redactedAt)
    return { status: 200, body: howToJoin(program, shop.currencyCode) };
  const member = await enrolCustomer(deps, shop.domain, program, customer.id);
  try {
    switch (route) {
      case "GET loyalty":
        return {
          status: 200,
          body: { ...(await memberSummary(deps, program, shop.domain, member.id)), currencyCode: shop.currencyCode },
        };
      case "POST loyalty/redeem": {
        const input = redeemBody.safeParse(request.body);
        if (!input.success) return { status: 422, body: { error: "invalid_request" } };
        const fresh = await deps.db.loyaltyMember.findUniqueOrThrow({ where: { id: member.id } });
        const result = await redeemReward(deps, {
          shopDomain: shop.domain,
          member: fresh,
          rewardId: input.data.rewardId,
        });
        return {
          status: 200,
          body: {
            redemptionId: result.redemptionId.toString(),
            code: result.status === "issued" ? result.code : null,
            status: result.status,
            pointsSpent: result.pointsSpent,
          },
        };
      }
      case "POST loyalty/birthday": {
        const input = birthdayBody.safeParse(request.body);
        if (!input.success) return { status: 422, body: { error: "invalid_request" } };
        const awarded = await setBirthday(deps, member, input.data.month, input.data.day);
        return {
          status: 200,
          body: { birthday: { month: input.data.month, day: input.data.day }, pointsAwarded: awarded },
        };
      }
      case "POST loyalty/referral": {
        const input = referralBody.safeParse(request.body);
        if (!input.success) return { status: 422, body: { error: "invalid_request" } };
        const referral = await claimReferral(deps, member, input.data.code);
        return { status: 200, body: { referral: { status: referral.status } } };
      }
      default:
        return { status: 404, body: { error: "not_found" } };
    }
  } catch (error) {
    if (error instanceof LoyaltyError)
      return { status: ERROR_STATUS[error.code], body: { error: error.code, message: error.message } };
    throw error;
  }
}

function howToJoin(program: LoyaltyProgramRecord, currencyCode: string) {
  return {
    member: false,
    howToJoin: {
      currencyCode,
      signupBonus: program.settings.bonuses.signup,
      pointsPerCurrencyUnit: program.settings.earn.pointsPerCurrencyUnit,
      tiers: rankTiers(program.tiers).map((tier) => ({ name: tier.name, threshold: tier.threshold.toString() })),
      rewards: program.rewards.map((reward) => ({ id: reward.id, title: reward.title, pointsCost: reward.pointsCost })),
    },
  };
}

async function memberSummary(deps: LoyaltyDeps, program: LoyaltyProgramRecord, shopDomain: string, memberId: bigint) {
  const member: MemberRecord = await deps.db.loyaltyMember.findUniqueOrThrow({ where: { id: memberId } });
  const now = deps.now?.() ?? new Date();
  const ranked = rankTiers(program.tiers);
  const tier = ranked.find((t) => t.id === member.tierId) ?? null;
  const value = program.tiers.length > 0 ? await qualifyingValue(deps.db, program, member, now) : 0n;
  const progress = nextTierProgress(program.tiers, member.tierId, value);
  const tierRank = tier ? ranked.indexOf(tier) : -1;
  const expiring =
    program.settings.expiry.policy === "none"
      ? null
      : upcomingExpiry(
          program.settings.expiry,
          await ledgerLines(deps.db, memberId),
          member.pointsBalance,
          now,
          program.settings.expiryWarningDays,
        );
  return {
    member: true,
    balance: member.pointsBalance,
    tier: tier && { id: tier.id, name: tier.name, since: member.tierSince, reviewedAt: member.tierPeriodEndsAt },
    nextTier: progress && {
      name: progress.nextTier.name,
      remaining: progress.remaining.toString(),
      threshold: progress.nextTier.threshold.toString(),
      basis: program.settings.tiers.basis,
    },
    rewards: program.rewards.map((reward) => {
      const requiredRank = reward.tierId === null ? -1 : ranked.findIndex((t) => t.id === reward.tierId);
      const tierAllowed = requiredRank <= tierRank;
      return {
        id: reward.id,
        title: reward.title,
        kind: reward.kind,
        pointsCost: reward.pointsCost,
        amountMinor: reward.amountMinor?.toString() ?? null,
        percentage: reward.percentage,
        minimumSubtotalMinor: reward.minimumSubtotalMinor?.toString() ?? null,
        affordable: tierAllowed && member.pointsBalance >= reward.pointsCost,
        tierRequired: tierAllowed ? null : (ranked[requiredRank]?.name ?? null),
      };
    }),
    referral: { code: member.referralCode, link: `https://${shopDomain}/?kinship_ref=${member.referralCode}` },
    birthday: member.birthdayMonth === null ? null : { month: member.birthdayMonth, day: member.birthdayDay },
    expiring: expiring && { points: expiring.points, at: expiring.at.toISOString() },
    recent: (await recentLedger(deps.db, memberId)).map((entry) => ({
      kind: entry.kind,
      points: entry.points,
      reason: entry.reason,
      at: entry.createdAt.toISOString(),
    })),
  };
}
