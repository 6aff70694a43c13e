// Applies the tier rules (tiers.ts) to members: after each ledger change (entry is immediate),
// and for a whole shop after tier edits or at period ends (the daily job).
import type { PrismaClient } from "../../db.server";
import { ledgerKeys } from "./ledger-entry";
import { recordLoyaltyEvent } from "./loyalty-events.repository.server";
import {
  appendLockedEntries,
  LEDGER_TX_OPTIONS,
  lockMember,
  pointsEarnedBetween,
  type LoyaltyTx,
} from "./loyalty-ledger.repository.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { findProgram, setMemberTier, spendBetween, type LoyaltyProgramRecord } from "./loyalty.repository.server";
import { decideTier, qualifyingWindow } from "./tiers";

export const TIER_CHANGED_EVENT = "tier_changed";

export async function qualifyingValue(
  db: PrismaClient | LoyaltyTx,
  program: LoyaltyProgramRecord,
  member: { id: bigint; customerId: bigint },
  now: Date,
) {
  const window = qualifyingWindow(program.settings.tiers.period, now);
  return program.settings.tiers.basis === "spend"
    ? spendBetween(db, member.customerId, window.from, window.to)
    : pointsEarnedBetween(db, member.id, window.from, window.to);
}

export async function reevaluateMemberTier(deps: LoyaltyDeps, program: LoyaltyProgramRecord, memberId: bigint) {
  if (program.tiers.length === 0) return "none";
  const now = deps.now?.() ?? new Date();
  return deps.db.$transaction(async (tx) => {
    const locked = await lockMember(tx, memberId);
    const member = await tx.loyaltyMember.findUniqueOrThrow({ where: { id: memberId } });
    const value = await qualifyingValue(tx, program, member, now);
    const decision = decideTier({
      tiers: program.tiers,
      current: { tierId: member.tierId, since: member.tierSince, periodEndsAt: member.tierPeriodEndsAt },
      qualifyingValue: value,
      period: program.settings.tiers.period,
      now,
    });
    if (decision.change === "none") return "none";
    await setMemberTier(tx, memberId, decision.next);
    if (decision.change === "upgrade" || decision.change === "downgrade") {
      // For automations ("tier changed"): one event per member, tier and moment of change.
      const toTierId = decision.next.tierId;
      await recordLoyaltyEvent(tx, {
        shopId: member.shopId,
        memberId,
        kind: TIER_CHANGED_EVENT,
        payload: { memberId: memberId.toString(), change: decision.change, fromTierId: member.tierId, toTierId },
        idempotencyKey: `${TIER_CHANGED_EVENT}:${memberId}:${toTierId ?? "none"}:${now.toISOString()}`,
      });
    }
    if (decision.entered && decision.entered.entryBonusPoints > 0) {
      await appendLockedEntries(
        tx,
        locked,
        [
          {
            kind: "tier_bonus",
            points: decision.entered.entryBonusPoints,
            idempotencyKey: ledgerKeys.tierBonus(memberId, decision.entered.id),
          },
        ],
        now,
      );
    }
    return decision.change;
  }, LEDGER_TX_OPTIONS);
}

/** Every member of the shop: after tier edits, and daily for period ends. */
export async function reevaluateShopTiers(deps: LoyaltyDeps, shopId: number) {
  const program = await findProgram(deps.db, shopId);
  if (!program) return { changed: 0 };
  let changed = 0;
  let cursor: bigint | undefined;
  for (;;) {
    const members = await deps.db.loyaltyMember.findMany({
      where: { shopId, ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      take: 500,
      select: { id: true },
    });
    if (members.length === 0) break;
    for (const member of members) if ((await reevaluateMemberTier(deps, program, member.id)) !== "none") changed++;
    cursor = members.at(-1)!.id;
  }
  return { changed };
}
