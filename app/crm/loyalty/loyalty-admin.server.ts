// The admin's loyalty pages: what each loader shows and what each form does. Routes stay thin:
// they authenticate, hand the form values here, and render what comes back.
import { findShopByDomain } from "../shop/shop.repository.server";
import { formatMoney, minorToDecimalString } from "../money/money";
import { formatShopDateTime } from "../../lib/shop-time";
import { multiplierText, parseRewardForm, parseSettingsForm, type FieldErrors } from "./loyalty-admin-forms";
import {
  archiveReward,
  liveRewards,
  tiersWithMemberCounts,
  topMembers,
  updateReward,
} from "./loyalty-admin.repository.server";
import { loadLoyaltyKpiSums } from "./loyalty-kpis.repository.server";
import { pointValueFromRewards, shapeLoyaltyKpis } from "./loyalty-kpis";
import { DEFAULT_PROGRAM_SETTINGS } from "./loyalty-program";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { createReward, findProgram, saveProgramSettings, StaleProgramError } from "./loyalty.repository.server";

export type ActionOutcome = { ok: true; message: string } | { ok: false; errors: FieldErrors; intent: string };

async function shopOf(deps: LoyaltyDeps, shopDomain: string) {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) throw new Response("Shop not found", { status: 404 });
  return shop;
}

const customerName = (customer: { firstName: string | null; lastName: string | null; email: string | null }) =>
  [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || "Customer";

export async function loadProgramOverview(deps: LoyaltyDeps, shopDomain: string) {
  const shop = await shopOf(deps, shopDomain);
  const program = await findProgram(deps.db, shop.id);
  if (!program) return { shopName: shop.name, program: null };
  const [sums, members] = await Promise.all([
    loadLoyaltyKpiSums(deps.db, shop.id, program.launchedAt),
    topMembers(deps.db, shop.id, 10),
  ]);
  return {
    shopName: shop.name,
    program: {
      enabled: program.enabled,
      launchedAt: formatShopDateTime(program.launchedAt, shop.ianaTimezone),
      tiers: program.tiers.length,
      rewards: program.rewards.length,
    },
    kpis: shapeLoyaltyKpis(sums, {
      currencyCode: shop.currencyCode,
      pointValue: pointValueFromRewards(program.rewards),
    }),
    topMembers: members.map((member) => ({
      customerShopifyId: member.customer.shopifyId.toString(),
      name: member.customer.redactedAt ? "Redacted customer" : customerName(member.customer),
      balance: member.pointsBalance,
      tier: member.tier?.name ?? null,
    })),
  };
}

export async function loadProgramSettings(deps: LoyaltyDeps, shopDomain: string) {
  const shop = await shopOf(deps, shopDomain);
  const program = await findProgram(deps.db, shop.id);
  const settings = program?.settings ?? DEFAULT_PROGRAM_SETTINGS;
  return {
    currencyCode: shop.currencyCode,
    exists: program !== null,
    enabled: program?.enabled ?? false,
    version: program?.version ?? null,
    launchedAt: program ? formatShopDateTime(program.launchedAt, shop.ianaTimezone) : null,
    settings,
  };
}

export async function saveSettingsForm(
  deps: LoyaltyDeps,
  shopDomain: string,
  values: Record<string, FormDataEntryValue>,
): Promise<ActionOutcome> {
  const shop = await shopOf(deps, shopDomain);
  const program = await findProgram(deps.db, shop.id);
  const parsed = parseSettingsForm(values, program?.settings ?? DEFAULT_PROGRAM_SETTINGS);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, intent: "settings" };
  const { settings, enabled, version } = parsed.value;
  try {
    if (!program) {
      // Launch: orders before now do not earn (the history import must not pay out years).
      await saveProgramSettings(deps.db, shop.id, settings, { enabled, launchedAt: deps.now?.() ?? new Date() });
      return { ok: true, message: enabled ? "Program launched" : "Program saved (not enabled yet)" };
    }
    await saveProgramSettings(deps.db, shop.id, settings, { enabled, expectedVersion: version ?? program.version });
    return { ok: true, message: "Settings saved" };
  } catch (error) {
    if (error instanceof StaleProgramError) {
      return {
        ok: false,
        intent: "settings",
        errors: { form: "Someone saved the program meanwhile: reload and retry" },
      };
    }
    throw error;
  }
}

export async function loadTiersPage(deps: LoyaltyDeps, shopDomain: string) {
  const shop = await shopOf(deps, shopDomain);
  const program = await findProgram(deps.db, shop.id);
  const basis = program?.settings.tiers.basis ?? "points_earned";
  const tiers = await tiersWithMemberCounts(deps.db, shop.id);
  return {
    hasProgram: program !== null,
    currencyCode: shop.currencyCode,
    basis,
    period: program?.settings.tiers.period ?? "rolling_12_months",
    tiers: tiers.map((tier) => ({
      id: tier.id,
      name: tier.name,
      threshold:
        basis === "spend" ? minorToDecimalString(tier.threshold, shop.currencyCode) : tier.threshold.toString(),
      thresholdLabel:
        basis === "spend" ? formatMoney(tier.threshold, shop.currencyCode) : `${tier.threshold.toString()} points`,
      earnMultiplier: multiplierText(tier.earnMultiplierPermille),
      entryBonusPoints: tier.entryBonusPoints,
      members: tier._count.members,
      exclusiveRewards: tier.rewards.map((reward) => reward.title),
    })),
  };
}

export async function loadRewardsPage(deps: LoyaltyDeps, shopDomain: string) {
  const shop = await shopOf(deps, shopDomain);
  const [program, rewards, tiers] = await Promise.all([
    findProgram(deps.db, shop.id),
    liveRewards(deps.db, shop.id),
    tiersWithMemberCounts(deps.db, shop.id),
  ]);
  const amount = (minor: bigint | null) => (minor === null ? "" : minorToDecimalString(minor, shop.currencyCode));
  return {
    hasProgram: program !== null,
    currencyCode: shop.currencyCode,
    tiers: tiers.map((tier) => ({ id: tier.id, name: tier.name })),
    rewards: rewards.map((reward) => ({
      id: reward.id,
      title: reward.title,
      kind: reward.kind,
      pointsCost: reward.pointsCost,
      amount: amount(reward.amountMinor),
      percentage: reward.percentage?.toString() ?? "",
      minimumSubtotal: amount(reward.minimumSubtotalMinor),
      tierId: reward.tierId?.toString() ?? "",
      summary: rewardSummary(reward, shop.currencyCode),
      tierName: reward.tier?.name ?? null,
      redemptions: reward._count.redemptions,
    })),
  };
}

function rewardSummary(
  reward: { kind: string; amountMinor: bigint | null; percentage: number | null; minimumSubtotalMinor: bigint | null },
  currencyCode: string,
) {
  const what =
    reward.kind === "fixed_amount" && reward.amountMinor !== null
      ? `${formatMoney(reward.amountMinor, currencyCode)} off`
      : reward.kind === "percentage"
        ? `${reward.percentage}% off`
        : "Free shipping";
  return reward.minimumSubtotalMinor === null
    ? what
    : `${what} orders of ${formatMoney(reward.minimumSubtotalMinor, currencyCode)} or more`;
}

export async function saveRewardsForm(
  deps: LoyaltyDeps,
  shopDomain: string,
  values: Record<string, FormDataEntryValue>,
): Promise<ActionOutcome> {
  const shop = await shopOf(deps, shopDomain);
  const program = await findProgram(deps.db, shop.id);
  const intent = String(values.intent ?? "");
  if (!program) return { ok: false, intent, errors: { form: "Set up the program first" } };
  const rewardId = Number(values.rewardId);
  if (intent === "archive-reward") {
    if (!(await archiveReward(deps.db, shop.id, rewardId, deps.now?.() ?? new Date())))
      return { ok: false, intent, errors: { form: "That reward no longer exists" } };
    return { ok: true, message: "Reward removed from the catalogue" };
  }
  if (intent !== "create-reward" && intent !== "update-reward")
    return { ok: false, intent, errors: { form: "Unknown request" } };
  const parsed = parseRewardForm(values, {
    currencyCode: shop.currencyCode,
    tierIds: program.tiers.map((tier) => tier.id),
  });
  if (!parsed.ok) return { ok: false, intent, errors: parsed.errors };
  if (intent === "create-reward") await createReward(deps.db, shop.id, parsed.value);
  else if (!(await updateReward(deps.db, shop.id, rewardId, parsed.value)))
    return { ok: false, intent, errors: { form: "That reward no longer exists" } };
  return { ok: true, message: "Reward saved" };
}
