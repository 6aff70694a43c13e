// Points expiry. Spending (and every other debit) uses the oldest credits first, so under the
// per-lot policy the points still unspent in expired lots are max(0, expired credits − debits).
// Under the inactivity policy the whole balance lapses N months after the last activity.
import type { ExpiryPolicy } from "./loyalty-program";

export interface LedgerLine {
  id: bigint;
  points: number;
  kind: string;
  createdAt: Date;
  /** Lot expiry of a credit under the per-lot policy. */
  expiresAt: Date | null;
}

export function addMonths(at: Date, months: number): Date {
  const result = new Date(at);
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}

/** When a credit written now expires under the policy (only per-lot credits carry a date). */
export function lotExpiry(policy: ExpiryPolicy, at: Date): Date | null {
  return policy.policy === "per_lot" ? addMonths(at, policy.months) : null;
}

export interface ExpiryDue {
  points: number;
  /** The entry the expiry's idempotency key is derived from. */
  anchorEntryId: bigint;
}

/** Points of expired lots not yet spent or expired. */
export function expiredLotPoints(lines: readonly LedgerLine[], now: Date): ExpiryDue | null {
  let expiredCredits = 0;
  let newestExpiredLot: bigint | null = null;
  let debits = 0;
  for (const line of lines) {
    if (line.points < 0) debits += -line.points;
    else if (line.expiresAt && line.expiresAt.getTime() <= now.getTime()) {
      expiredCredits += line.points;
      if (newestExpiredLot === null || line.id > newestExpiredLot) newestExpiredLot = line.id;
    }
  }
  const points = expiredCredits - debits;
  return points > 0 && newestExpiredLot !== null ? { points, anchorEntryId: newestExpiredLot } : null;
}

/** The whole balance, once `months` have passed since the last entry that was not an expiry. */
export function inactivityExpiry(
  lines: readonly LedgerLine[],
  balance: number,
  months: number,
  now: Date,
): ExpiryDue | null {
  const active = lines.filter((line) => line.kind !== "expire");
  const last = active.at(-1);
  if (!last || balance <= 0) return null;
  if (addMonths(last.createdAt, months).getTime() > now.getTime()) return null;
  return { points: balance, anchorEntryId: last.id };
}

export function dueExpiry(
  policy: ExpiryPolicy,
  lines: readonly LedgerLine[],
  balance: number,
  now: Date,
): ExpiryDue | null {
  if (policy.policy === "none") return null;
  const due =
    policy.policy === "per_lot" ? expiredLotPoints(lines, now) : inactivityExpiry(lines, balance, policy.months, now);
  // Never expire more than the member holds (a reversal may already have taken it).
  if (!due) return null;
  const points = Math.min(due.points, balance);
  return points > 0 ? { ...due, points } : null;
}

/** Points that will expire within `withinDays` (for the warning event and the widget). */
export function upcomingExpiry(
  policy: ExpiryPolicy,
  lines: readonly LedgerLine[],
  balance: number,
  now: Date,
  withinDays: number,
): { points: number; at: Date } | null {
  if (policy.policy === "none" || balance <= 0) return null;
  const horizon = new Date(now.getTime() + withinDays * 86_400_000);
  if (policy.policy === "inactivity") {
    const last = lines.filter((line) => line.kind !== "expire").at(-1);
    if (!last) return null;
    const at = addMonths(last.createdAt, policy.months);
    return at.getTime() <= horizon.getTime() ? { points: balance, at } : null;
  }
  const due = dueExpiry(policy, lines, balance, horizon);
  if (!due) return null;
  const lotsDue = lines.filter(
    (line) => line.points > 0 && line.expiresAt && line.expiresAt.getTime() <= horizon.getTime(),
  );
  const at = lotsDue.map((line) => line.expiresAt!).find((date) => date.getTime() > now.getTime()) ?? now;
  return { points: due.points, at };
}

/** The last reminder goes a week ahead; the first `expiryWarningDays` ahead (none when 0). */
export const LAST_EXPIRY_NOTICE_DAYS = 7;

export function expiryNoticeWindows(warningDays: number): number[] {
  if (warningDays <= 0) return [];
  return [...new Set([Math.min(LAST_EXPIRY_NOTICE_DAYS, warningDays), warningDays])].sort((a, b) => a - b);
}

export interface ExpiryNotice {
  points: number;
  at: Date;
  /** The window this notice belongs to (7 or the program's warning days). */
  daysAhead: number;
}

/**
 * The notice due now: the narrowest window that already holds the next expiry, so a member
 * first seen five days before expiry gets the 7-day notice only, not both at once.
 */
export function expiryNoticeDue(
  policy: ExpiryPolicy,
  lines: readonly LedgerLine[],
  balance: number,
  now: Date,
  warningDays: number,
): ExpiryNotice | null {
  for (const daysAhead of expiryNoticeWindows(warningDays)) {
    const upcoming = upcomingExpiry(policy, lines, balance, now, daysAhead);
    // An expiry already past is the daily pass's to apply, not to announce.
    if (upcoming && upcoming.at.getTime() > now.getTime()) return { ...upcoming, daysAhead };
  }
  return null;
}
