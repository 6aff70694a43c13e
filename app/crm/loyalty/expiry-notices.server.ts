// "Points expiring soon" events for the automations issue: one per member, expiry date and
// window (the program's warning days, then 7 days ahead), written to the loyalty_events outbox
// by the daily pass. The key makes a second run of the same day (or a retry) write nothing.
import { ledgerLines } from "./loyalty-ledger.repository.server";
import type { LoyaltyProgramRecord } from "./loyalty.repository.server";
import { contactableMembersWithPoints, recordLoyaltyEvent } from "./loyalty-events.repository.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { expiryNoticeDue } from "./points-expiry";

export const POINTS_EXPIRING_EVENT = "points_expiring";

export const expiryNoticeKey = (memberId: bigint, at: Date, daysAhead: number) =>
  `${POINTS_EXPIRING_EVENT}:${memberId}:${at.toISOString().slice(0, 10)}:${daysAhead}d`;

export async function emitExpiryNotices(deps: LoyaltyDeps, program: LoyaltyProgramRecord) {
  const { expiry, expiryWarningDays } = program.settings;
  if (expiry.policy === "none" || expiryWarningDays <= 0) return { emitted: 0 };
  const now = deps.now?.() ?? new Date();
  let emitted = 0;
  let afterId: bigint | undefined;
  for (;;) {
    const members = await contactableMembersWithPoints(deps.db, program.shopId, afterId, 500);
    if (members.length === 0) return { emitted };
    for (const member of members) {
      const lines = await ledgerLines(deps.db, member.id);
      const notice = expiryNoticeDue(expiry, lines, member.pointsBalance, now, expiryWarningDays);
      if (!notice) continue;
      const written = await recordLoyaltyEvent(deps.db, {
        shopId: program.shopId,
        memberId: member.id,
        kind: POINTS_EXPIRING_EVENT,
        payload: {
          memberId: member.id.toString(),
          points: notice.points,
          expiresAt: notice.at.toISOString(),
          daysAhead: notice.daysAhead,
          balance: member.pointsBalance,
        },
        idempotencyKey: expiryNoticeKey(member.id, notice.at, notice.daysAhead),
      });
      if (written) emitted++;
    }
    afterId = members.at(-1)!.id;
  }
}
