// Refunds reverse the points earned on the refunded part, proportionally and once. Each
// refund's reversal is the change in round(earned × refunded eligible / eligible total), so the
// reversals of any number of partial refunds add up to exactly what a single refund of the same
// total would reverse, and a full refund reverses exactly what was earned, never more.
// The same rule gives back points spent on a reward used on the order, capped at what was spent.
import type { OrderLineForPoints } from "./order-points";

export interface RefundForReversal {
  shopifyId: bigint;
  refundedAt: Date;
  amountMinor: bigint;
  lines: { lineItemShopifyId: bigint; subtotalMinor: bigint }[];
}

/** round(a × b / c), halves up, in integers. */
export function roundedProportion(a: bigint, b: bigint, c: bigint): bigint {
  if (c <= 0n) return 0n;
  return (2n * a * b + c) / (2n * c);
}

/**
 * The eligible part of one refund: its refunded lines that earn points, or, for a refund without
 * lines (an amount refunded by hand), its amount. Capped later at the order's eligible total.
 */
export function refundEligibleMinor(
  refund: RefundForReversal,
  lines: readonly OrderLineForPoints[],
  excludedProducts: ReadonlySet<string>,
): bigint {
  if (refund.lines.length === 0) return refund.amountMinor > 0n ? refund.amountMinor : 0n;
  const byId = new Map(lines.map((line) => [line.shopifyId, line]));
  return refund.lines.reduce((sum, refunded) => {
    const product = byId.get(refunded.lineItemShopifyId)?.productShopifyId;
    if (product != null && excludedProducts.has(product.toString())) return sum;
    return sum + (refunded.subtotalMinor > 0n ? refunded.subtotalMinor : 0n);
  }, 0n);
}

export interface ProportionalStep {
  refundShopifyId: bigint;
  /** Positive: the points to take back (reverse) or give back (restore) for this refund. */
  points: number;
}

/**
 * The entries still missing for an order's refunds. `alreadyDone` maps refund ids that have an
 * entry to its points; refunds are taken in time order so the split between them is stable.
 */
export function proportionalSteps(input: {
  /** Points the proportion is of: earned on the order, or spent on a reward used on it. */
  total: number;
  eligibleTotalMinor: bigint;
  refunds: readonly (RefundForReversal & { eligibleMinor: bigint })[];
  alreadyDone: ReadonlyMap<bigint, number>;
}): ProportionalStep[] {
  const { total, eligibleTotalMinor } = input;
  if (total <= 0 || eligibleTotalMinor <= 0n) return [];
  const ordered = [...input.refunds].sort(
    (a, b) => a.refundedAt.getTime() - b.refundedAt.getTime() || (a.shopifyId < b.shopifyId ? -1 : 1),
  );
  let done = [...input.alreadyDone.values()].reduce((sum, points) => sum + points, 0);
  let refundedMinor = ordered
    .filter((refund) => input.alreadyDone.has(refund.shopifyId))
    .reduce((sum, refund) => sum + refund.eligibleMinor, 0n);
  const steps: ProportionalStep[] = [];
  for (const refund of ordered) {
    if (input.alreadyDone.has(refund.shopifyId)) continue;
    refundedMinor += refund.eligibleMinor;
    const capped = refundedMinor > eligibleTotalMinor ? eligibleTotalMinor : refundedMinor;
    const target = Number(roundedProportion(BigInt(total), capped, eligibleTotalMinor));
    const points = Math.max(0, Math.min(total, target) - done);
    // A zero step writes nothing; reconsidering that refund later gives the same zero.
    steps.push({ refundShopifyId: refund.shopifyId, points });
    done += points;
  }
  return steps;
}

/** A cancellation takes back whatever the refunds have not. */
export function cancellationRemainder(total: number, alreadyDone: number): number {
  return Math.max(0, total - alreadyDone);
}
