// Birthday bonus, staff adjustments and points expiry: ledger entries with keys from their rule
// and period.
import { ledgerKeys, LoyaltyLedgerError } from "./ledger-entry";
import { LoyaltyError } from "./loyalty-error";
import { appendLedgerEntries, ledgerLines } from "./loyalty-ledger.repository.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { findProgram, setMemberBirthday, type MemberRecord } from "./loyalty.repository.server";
import { dueExpiry, lotExpiry } from "./points-expiry";

export function isValidBirthday(month: number, day: number): boolean {
  if (!Number.isInteger(month) || !Number.isInteger(day) || month < 1 || month > 12 || day < 1) return false;
  // 2000 is a leap year, so 29 February is a birthday.
  return day <= new Date(Date.UTC(2000, month, 0)).getUTCDate();
}

/** The shopper gives a birthday once (changing it would let them collect the bonus twice a year). */
export async function setBirthday(deps: LoyaltyDeps, member: MemberRecord, month: number, day: number) {
  if (!isValidBirthday(month, day)) throw new LoyaltyError("invalid_birthday", "Not a date");
  if (member.birthdayMonth !== null && (member.birthdayMonth !== month || member.birthdayDay !== day)) {
    throw new LoyaltyError("birthday_already_set", "The birthday is already set");
  }
  await setMemberBirthday(deps.db, member.id, month, day);
  return awardBirthdayIfDue(deps, { ...member, birthdayMonth: month, birthdayDay: day });
}

/** The birthday bonus on (or after) the birthday, once per calendar year. */
export async function awardBirthdayIfDue(deps: LoyaltyDeps, member: MemberRecord) {
  if (member.birthdayMonth === null || member.birthdayDay === null) return 0;
  const program = await findProgram(deps.db, member.shopId);
  const bonus = program?.settings.bonuses.birthday ?? 0;
  if (!program?.enabled || bonus <= 0) return 0;
  const now = deps.now?.() ?? new Date();
  const year = now.getUTCFullYear();
  const birthday = Date.UTC(year, member.birthdayMonth - 1, member.birthdayDay);
  if (birthday > now.getTime()) return 0;
  const result = await appendLedgerEntries(
    deps.db,
    member.id,
    [
      {
        kind: "birthday",
        points: bonus,
        idempotencyKey: ledgerKeys.birthday(member.customerId, year),
        expiresAt: lotExpiry(program.settings.expiry, now),
      },
    ],
    now,
  );
  return result.inserted.length > 0 ? bonus : 0;
}

/** A staff adjustment: signed points, a reason and who made it (audit). */
export async function adjustPoints(
  deps: LoyaltyDeps,
  input: {
    memberId: bigint;
    points: number;
    reason: string;
    staffUserId: bigint | null;
    staffName: string | null;
    requestId: string;
  },
) {
  if (input.reason.trim() === "") throw new LoyaltyLedgerError("invalid_entry", "An adjustment needs a reason");
  return appendLedgerEntries(deps.db, input.memberId, [
    {
      kind: "adjust",
      points: input.points,
      idempotencyKey: ledgerKeys.adjust(input.requestId),
      reason: input.reason.trim(),
      staffUserId: input.staffUserId,
      staffName: input.staffName,
    },
  ]);
}

/** Expires what the program's policy says is due for one member. */
export async function expireMemberPoints(deps: LoyaltyDeps, memberId: bigint) {
  const member = await deps.db.loyaltyMember.findUniqueOrThrow({ where: { id: memberId } });
  const program = await findProgram(deps.db, member.shopId);
  if (!program) return 0;
  const now = deps.now?.() ?? new Date();
  const due = dueExpiry(program.settings.expiry, await ledgerLines(deps.db, memberId), member.pointsBalance, now);
  if (!due) return 0;
  const key =
    program.settings.expiry.policy === "per_lot"
      ? ledgerKeys.expireLots(memberId, due.anchorEntryId)
      : ledgerKeys.expireInactive(memberId, due.anchorEntryId);
  // The balance may have moved since it was read; the ledger refuses to overdraw, so re-check under the lock.
  try {
    const result = await appendLedgerEntries(
      deps.db,
      memberId,
      [{ kind: "expire", points: -due.points, idempotencyKey: key }],
      now,
    );
    return result.inserted.length > 0 ? due.points : 0;
  } catch (error) {
    if (error instanceof LoyaltyLedgerError && error.code === "insufficient_points") return 0;
    throw error;
  }
}

export async function expireShopPoints(deps: LoyaltyDeps, shopId: number) {
  const members = await deps.db.loyaltyMember.findMany({
    where: { shopId, pointsBalance: { gt: 0 } },
    select: { id: true },
  });
  let expired = 0;
  for (const member of members) expired += await expireMemberPoints(deps, member.id);
  return { members: members.length, expired };
}
