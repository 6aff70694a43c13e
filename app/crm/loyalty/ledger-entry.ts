// Ledger entry kinds and their idempotency keys. Every key is derived from the entry's source
// (an order, a refund, a redemption, a rule and its period), so replaying the source can
// never write a second entry: the database holds UNIQUE (shop_id, idempotency_key).

export const CREDIT_KINDS = [
  "earn",
  "first_order",
  "signup",
  "birthday",
  "referral",
  "tier_bonus",
  "restore",
  "survey",
] as const;
export const DEBIT_KINDS = ["redeem", "reverse", "expire"] as const;
/** `adjust` goes either way; `restore` gives back points of a failed or refunded redemption. */
export const LEDGER_ENTRY_KINDS = [...CREDIT_KINDS, ...DEBIT_KINDS, "adjust"] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/** An entry to append (the repository adds shop, member and time). */
export interface LedgerEntryDraft {
  kind: LedgerEntryKind;
  /** Signed: credits positive, debits negative. */
  points: number;
  idempotencyKey: string;
  orderShopifyId?: bigint | null;
  refundShopifyId?: bigint | null;
  redemptionId?: bigint | null;
  baseMinor?: bigint | null;
  reason?: string | null;
  staffUserId?: bigint | null;
  staffName?: string | null;
  expiresAt?: Date | null;
}

export const ledgerKeys = {
  orderEarn: (orderId: bigint) => `order:${orderId}:earn`,
  orderCancelReverse: (orderId: bigint) => `order:${orderId}:cancel:reverse`,
  orderCancelRestore: (orderId: bigint) => `order:${orderId}:cancel:restore`,
  refundReverse: (refundId: bigint) => `refund:${refundId}:reverse`,
  refundRestore: (refundId: bigint) => `refund:${refundId}:restore`,
  /** Once per customer, whichever paid order is evaluated first. */
  firstOrder: (customerId: bigint) => `first_order:${customerId}`,
  signup: (customerId: bigint) => `signup:${customerId}`,
  birthday: (customerId: bigint, year: number) => `birthday:${customerId}:${year}`,
  referralReferrer: (referralId: bigint) => `referral:${referralId}:referrer`,
  referralFriend: (referralId: bigint) => `referral:${referralId}:friend`,
  redemptionRedeem: (redemptionId: bigint) => `redemption:${redemptionId}:redeem`,
  redemptionRestore: (redemptionId: bigint) => `redemption:${redemptionId}:restore`,
  /** Once per tier per member: leaving and re-entering a tier does not pay twice. */
  tierBonus: (memberId: bigint, tierId: number) => `tier_bonus:${memberId}:${tierId}`,
  /** Inactivity expiry is keyed by the last activity it follows: one per dormant spell. */
  expireInactive: (memberId: bigint, lastEntryId: bigint) => `expire:${memberId}:inactive:${lastEntryId}`,
  /** Per-lot expiry is keyed by the newest lot it covers. */
  expireLots: (memberId: bigint, newestExpiredLotId: bigint) => `expire:${memberId}:lots:${newestExpiredLotId}`,
  /** Staff adjustments carry a request id from the form, so a double submit books once. */
  adjust: (requestId: string) => `adjust:${requestId}`,
  /** Points for answering a survey: one award per answer (app/crm/feedback). */
  survey: (responseId: bigint) => `survey:${responseId}`,
} as const;

export class LoyaltyLedgerError extends Error {
  constructor(
    readonly code: "insufficient_points" | "invalid_entry",
    message: string,
  ) {
    super(message);
    this.name = "LoyaltyLedgerError";
  }
}

/**
 * Checks an entry against the balance it lands on. Only a recorded reversal (points earned on
 * an order that was then refunded, already spent) may take a balance below zero.
 */
export function checkEntryAgainstBalance(balance: number, entry: Pick<LedgerEntryDraft, "kind" | "points">): void {
  if (!Number.isSafeInteger(entry.points) || entry.points === 0) {
    throw new LoyaltyLedgerError("invalid_entry", `A ledger entry needs a non-zero integer, not ${entry.points}`);
  }
  const isCredit = (CREDIT_KINDS as readonly string[]).includes(entry.kind);
  const isDebit = (DEBIT_KINDS as readonly string[]).includes(entry.kind);
  if ((isCredit && entry.points < 0) || (isDebit && entry.points > 0)) {
    throw new LoyaltyLedgerError("invalid_entry", `A ${entry.kind} entry cannot carry ${entry.points} points`);
  }
  if (entry.points < 0 && entry.kind !== "reverse" && balance + entry.points < 0) {
    throw new LoyaltyLedgerError(
      "insufficient_points",
      `A ${entry.kind} of ${-entry.points} points exceeds the balance of ${balance}`,
    );
  }
}
