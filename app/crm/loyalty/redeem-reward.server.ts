// Spending points on a reward. Step 1, in one transaction under the member's row lock: check
// the balance, insert the redemption `pending` and its debit (`redemption:<id>:redeem`). Step 2
// (inline, with a delayed `issue-reward` job as the safety net): create the discount code in
// Shopify. The code is derived from the redemption id, so a retry first looks it up and never
// makes a second; Shopify refusing marks the redemption failed and credits the points back.
import { minorToDecimalString } from "../money/money";
import { ShopifyAdminError } from "../shopify-admin/shopify-admin-error";
import { ledgerKeys, LoyaltyLedgerError } from "./ledger-entry";
import { LoyaltyError } from "./loyalty-error";
import { appendLockedEntries, LEDGER_TX_OPTIONS, lockMember } from "./loyalty-ledger.repository.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { findProgram, type MemberRecord } from "./loyalty.repository.server";
import {
  findRedemption,
  insertPendingRedemption,
  markRedemption,
  type RedemptionShop,
} from "./redemption.repository.server";
import { discountCodeForRedemption, discountMutationFor, rewardSnapshot, type RewardSnapshot } from "./reward-discount";
import { rankTiers } from "./tiers";
import { requestShopifySync } from "./sync-loyalty-to-shopify.server";

const CODE_LOOKUP = `#graphql
  query KinshipLoyaltyCodeLookup($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
    }
  }`;

const CREATE_BASIC = `#graphql
  mutation KinshipLoyaltyBasicCode($basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }`;

const CREATE_FREE_SHIPPING = `#graphql
  mutation KinshipLoyaltyFreeShippingCode($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $freeShippingCodeDiscount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }`;

/** Debits the points and records the redemption `pending`; then issues the code. */
export async function redeemReward(
  deps: LoyaltyDeps,
  input: { shopDomain: string; member: MemberRecord; rewardId: number },
) {
  const program = await findProgram(deps.db, input.member.shopId);
  if (!program?.enabled) throw new LoyaltyError("no_program", "This shop has no loyalty program");
  const reward = program.rewards.find((r) => r.id === input.rewardId);
  if (!reward) throw new LoyaltyError("unknown_reward", `No reward ${input.rewardId}`);
  if (reward.tierId !== null && !reachesTier(program.tiers, input.member.tierId, reward.tierId)) {
    throw new LoyaltyError("tier_required", "This reward is for a higher tier");
  }
  const now = deps.now?.() ?? new Date();
  let redemption;
  try {
    redemption = await deps.db.$transaction(async (tx) => {
      const locked = await lockMember(tx, input.member.id);
      if (locked.pointsBalance < reward.pointsCost) {
        throw new LoyaltyError(
          "insufficient_points",
          `The reward costs ${reward.pointsCost}; the balance is ${locked.pointsBalance}`,
        );
      }
      const created = await insertPendingRedemption(
        tx,
        {
          shopId: locked.shopId,
          memberId: locked.id,
          rewardId: reward.id,
          snapshot: rewardSnapshot(reward),
          pointsSpent: reward.pointsCost,
        },
        discountCodeForRedemption,
      );
      await appendLockedEntries(
        tx,
        locked,
        [
          {
            kind: "redeem",
            points: -reward.pointsCost,
            idempotencyKey: ledgerKeys.redemptionRedeem(created.id),
            redemptionId: created.id,
          },
        ],
        now,
      );
      return created;
    }, LEDGER_TX_OPTIONS);
  } catch (error) {
    if (error instanceof LoyaltyLedgerError) throw new LoyaltyError("insufficient_points", error.message);
    throw error;
  }
  // The safety net first: if this process dies before the code exists, the job issues it.
  await deps.jobs.add(
    "loyalty",
    "issue-reward",
    { shopDomain: input.shopDomain, redemptionId: redemption.id.toString() },
    { jobId: `issue-reward-${redemption.id}`, delay: 30_000 },
  );
  let status = "pending";
  try {
    status = await issueReward(deps, redemption.id, { shopId: redemption.shopId });
  } catch (error) {
    deps.logger.warn(
      { shop: input.shopDomain, redemptionId: redemption.id.toString(), err: (error as Error).message },
      "reward issue deferred to its job",
    );
  }
  return { redemptionId: redemption.id, code: redemption.discountCode, status, pointsSpent: reward.pointsCost };
}

function reachesTier(tiers: Parameters<typeof rankTiers>[0], memberTierId: number | null, requiredTierId: number) {
  const ranked = rankTiers(tiers);
  const required = ranked.findIndex((t) => t.id === requiredTierId);
  const held = memberTierId === null ? -1 : ranked.findIndex((t) => t.id === memberTierId);
  return required < 0 || held >= required;
}

/**
 * Creates the redemption's code in Shopify, once. Returns the redemption's final status;
 * throws on transient errors (the job retries). A redemption that is not `shop`'s is "missing".
 */
export async function issueReward(deps: LoyaltyDeps, redemptionId: bigint, shop: RedemptionShop): Promise<string> {
  const redemption = await findRedemption(deps.db, redemptionId, shop);
  if (!redemption) {
    deps.logger.warn(
      { ...shop, redemptionId: redemptionId.toString() },
      "no such redemption in this shop: nothing issued",
    );
    return "missing";
  }
  if (redemption.status !== "pending") return redemption.status;
  if (!deps.adminFor) throw new Error("No Admin API client factory to issue rewards with");
  const admin = await deps.adminFor(redemption.shop.domain);
  const code = redemption.discountCode;

  const found = await admin.request<{ codeDiscountNodeByCode: { id: string } | null }>(CODE_LOOKUP, { code });
  if (found.codeDiscountNodeByCode) {
    await markRedemption(deps.db, redemptionId, ["pending"], {
      status: "issued",
      shopifyDiscountId: found.codeDiscountNodeByCode.id,
    });
    return "issued";
  }
  const mutation = discountMutationFor({
    reward: redemption.rewardSnapshot as unknown as RewardSnapshot,
    code,
    customerGid: `gid://shopify/Customer/${redemption.member.customer.shopifyId}`,
    startsAt: redemption.createdAt,
    toDecimal: (minor) => minorToDecimalString(minor, redemption.shop.currencyCode),
  });
  try {
    const data = await admin.request<Record<string, { codeDiscountNode: { id: string } | null }>>(
      mutation.mutation === "discountCodeBasicCreate" ? CREATE_BASIC : CREATE_FREE_SHIPPING,
      mutation.variables,
    );
    const node = data[mutation.mutation]?.codeDiscountNode;
    if (!node) throw new Error(`${mutation.mutation} answered without a discount`);
    await markRedemption(deps.db, redemptionId, ["pending"], { status: "issued", shopifyDiscountId: node.id });
    return "issued";
  } catch (error) {
    if (error instanceof ShopifyAdminError && error.code === "USER_ERRORS") {
      await refundFailedRedemption(deps, redemptionId, shop, error.message);
      return "failed";
    }
    throw error;
  }
}

/** Shopify refused the code: the redemption fails and its points come back, once. */
export async function refundFailedRedemption(
  deps: LoyaltyDeps,
  redemptionId: bigint,
  shop: RedemptionShop,
  reason: string,
) {
  const redemption = await findRedemption(deps.db, redemptionId, shop);
  if (!redemption) return;
  await deps.db.$transaction(async (tx) => {
    const locked = await lockMember(tx, redemption.memberId);
    const moved = await markRedemption(tx, redemptionId, ["pending"], {
      status: "failed",
      error: reason.slice(0, 1000),
    });
    // A free reward (a survey's recovery reward) spent no points: nothing to give back.
    if (!moved || redemption.pointsSpent === 0) return;
    await appendLockedEntries(tx, locked, [
      {
        kind: "restore",
        points: redemption.pointsSpent,
        idempotencyKey: ledgerKeys.redemptionRestore(redemptionId),
        redemptionId,
        reason: "Shopify refused the discount code",
      },
    ]);
  }, LEDGER_TX_OPTIONS);
  deps.logger.warn(
    { shop: redemption.shop.domain, redemptionId: redemptionId.toString() },
    "reward refused by Shopify, points restored",
  );
  await requestShopifySync(deps, redemption.shop.domain, redemption.memberId);
}
