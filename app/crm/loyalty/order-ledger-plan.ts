// What an order should have written to a member's ledger, given what it already has: the earn,
// one reversal per refund, the cancellation remainder, and the give-back of points spent on a
// reward used on it. Pure: the evaluation runs it under the member's row lock, so "already has"
// is exact, and the idempotency keys make a second run write nothing.
import { ledgerKeys, type LedgerEntryDraft } from "./ledger-entry";
import { excludedProductIds, type LoyaltyProgramSettings } from "./loyalty-program";
import { isPaidOrder, orderPoints, type OrderForPoints } from "./order-points";
import { lotExpiry } from "./points-expiry";
import {
  cancellationRemainder,
  proportionalSteps,
  refundEligibleMinor,
  type RefundForReversal,
} from "./refund-reversal";

export interface OrderForLedger extends OrderForPoints {
  shopifyId: bigint;
  financialStatus: string | null;
  processedAt: Date;
  cancelledAt: Date | null;
  refunds: RefundForReversal[];
}

export interface ExistingOrderEntry {
  kind: string;
  points: number;
  refundShopifyId: bigint | null;
  idempotencyKey: string;
  baseMinor?: bigint | null;
}

export function planOrderEntries(input: {
  order: OrderForLedger;
  settings: LoyaltyProgramSettings;
  currencyExponent: number;
  multiplierPermille: number;
  launchedAt: Date;
  existing: readonly ExistingOrderEntry[];
  /** Points spent on a reward whose code was used on this order (0 when none). */
  redeemedPointsUsed: number;
  now: Date;
}): LedgerEntryDraft[] {
  const { order, settings, existing, now } = input;
  const drafts: LedgerEntryDraft[] = [];
  const excluded = excludedProductIds(settings);
  const earnKey = ledgerKeys.orderEarn(order.shopifyId);
  const earnedEntry = existing.find((entry) => entry.idempotencyKey === earnKey);
  const computed = orderPoints(order, settings, excluded, input.currencyExponent, input.multiplierPermille);

  let earned = earnedEntry?.points ?? 0;
  const mayEarn = isPaidOrder(order.financialStatus) && order.processedAt.getTime() >= input.launchedAt.getTime();
  if (!earnedEntry && mayEarn && computed.points > 0) {
    earned = computed.points;
    drafts.push({
      kind: "earn",
      points: earned,
      idempotencyKey: earnKey,
      orderShopifyId: order.shopifyId,
      baseMinor: computed.baseMinor,
      expiresAt: lotExpiry(settings.expiry, now),
    });
  }

  // Proportions are of the base the points were earned on, even if the rules changed since.
  const eligibleTotalMinor = earnedEntry?.baseMinor ?? computed.baseMinor;
  const refunds = order.refunds.map((refund) => ({
    ...refund,
    eligibleMinor: refundEligibleMinor(refund, order.lines, excluded),
  }));
  const doneBy = (kind: string) =>
    new Map(
      existing
        .filter((entry) => entry.kind === kind && entry.refundShopifyId !== null)
        .map((entry) => [entry.refundShopifyId!, Math.abs(entry.points)] as const),
    );
  const reversed = doneBy("reverse");
  const restored = doneBy("restore");
  // A cancellation took back the rest already: a refund arriving after it moves nothing more.
  const hasCancelReverse = existing.some((e) => e.idempotencyKey === ledgerKeys.orderCancelReverse(order.shopifyId));
  const hasCancelRestore = existing.some((e) => e.idempotencyKey === ledgerKeys.orderCancelRestore(order.shopifyId));

  for (const step of proportionalSteps({
    total: hasCancelReverse ? 0 : earned,
    eligibleTotalMinor,
    refunds,
    alreadyDone: reversed,
  })) {
    if (step.points === 0) continue;
    reversed.set(step.refundShopifyId, step.points);
    drafts.push({
      kind: "reverse",
      points: -step.points,
      idempotencyKey: ledgerKeys.refundReverse(step.refundShopifyId),
      orderShopifyId: order.shopifyId,
      refundShopifyId: step.refundShopifyId,
    });
  }
  const spent = settings.refundRestoresRedeemedPoints ? input.redeemedPointsUsed : 0;
  for (const step of proportionalSteps({
    total: hasCancelRestore ? 0 : spent,
    eligibleTotalMinor,
    refunds,
    alreadyDone: restored,
  })) {
    if (step.points === 0) continue;
    restored.set(step.refundShopifyId, step.points);
    drafts.push({
      kind: "restore",
      points: step.points,
      idempotencyKey: ledgerKeys.refundRestore(step.refundShopifyId),
      orderShopifyId: order.shopifyId,
      refundShopifyId: step.refundShopifyId,
      expiresAt: lotExpiry(settings.expiry, now),
    });
  }

  if (order.cancelledAt) {
    const sum = (map: Map<bigint, number>) => [...map.values()].reduce((a, b) => a + b, 0);
    const reverseRest = cancellationRemainder(earned, sum(reversed));
    if (reverseRest > 0 && !hasCancelReverse) {
      drafts.push({
        kind: "reverse",
        points: -reverseRest,
        idempotencyKey: ledgerKeys.orderCancelReverse(order.shopifyId),
        orderShopifyId: order.shopifyId,
        reason: "Order cancelled",
      });
    }
    const restoreRest = cancellationRemainder(spent, sum(restored));
    if (restoreRest > 0 && !hasCancelRestore) {
      drafts.push({
        kind: "restore",
        points: restoreRest,
        idempotencyKey: ledgerKeys.orderCancelRestore(order.shopifyId),
        orderShopifyId: order.shopifyId,
        reason: "Order cancelled",
        expiresAt: lotExpiry(settings.expiry, now),
      });
    }
  }
  return drafts;
}
