// What happens to a demo order after it is placed: most are simply paid; a few get a
// partial refund (part of one line), a full refund, or are cancelled (refunded, or voided
// before the payment was captured). Refunds never exceed what the order has left to refund.
import { proportionalShare, lineSubtotalOf } from "./demo-store-order-money";
import type { SeededRandom } from "./seeded-random";
import type { StoreLineItem, StoreOrder, StoreRefund } from "./store-data";

export type RefundDraft = Omit<StoreRefund, "id">;

export interface OrderAftermath {
  financialStatus: StoreOrder["financialStatus"];
  cancelledAt: number | null;
  cancelReason: StoreOrder["cancelReason"];
  refunds: (Omit<RefundDraft, "createdAt"> & { createdAtMs: number })[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const CANCELLED_SHARE = 0.02;
export const FULLY_REFUNDED_SHARE = 0.02;
// Only orders of two or more records can be partly returned (about 55% of CDNOW
// purchases), so 11% of those makes about 6% of all orders.
export const PARTIALLY_REFUNDED_SHARE_OF_MULTI_RECORD_ORDERS = 0.11;

const RETURN_NOTES = [
  "Returned: damaged sleeve",
  "Returned: wrong format ordered",
  "Changed mind",
  null,
  null,
] as const;

interface PlacedOrder {
  processedAtMs: number;
  lineItems: StoreLineItem[];
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

// A later event, never at or after "now" and never before the order.
function laterThan(random: SeededRandom, fromMs: number, minMs: number, maxMs: number, nowMs: number): number {
  const at = fromMs + minMs + Math.floor(random.next() * (maxMs - minMs));
  return Math.max(fromMs + 1000, Math.min(at, nowMs - HOUR_MS));
}

function fullRefund(order: PlacedOrder, createdAtMs: number, note: string | null): OrderAftermath["refunds"][number] {
  return {
    createdAtMs,
    note,
    lineItems: order.lineItems.map((line) => ({
      lineItemId: line.id,
      quantity: line.quantity,
      subtotalMinor: lineSubtotalOf(line),
    })),
    amountMinor: order.totalMinor,
  };
}

function partialRefund(
  random: SeededRandom,
  order: PlacedOrder,
  nowMs: number,
): OrderAftermath["refunds"][number] | null {
  const refundable = order.lineItems.filter((line) => lineSubtotalOf(line) > 0);
  if (refundable.length === 0) return null;
  const line = random.pick(refundable);
  // Returning every unit of an order's only line would be a full refund of its goods.
  const mostUnits = order.lineItems.length === 1 ? line.quantity - 1 : line.quantity;
  if (mostUnits < 1) return null;
  const quantity = random.int(1, mostUnits);
  const subtotalMinor = proportionalShare(lineSubtotalOf(line), quantity, line.quantity);
  const amountMinor = subtotalMinor + proportionalShare(order.taxMinor, subtotalMinor, order.subtotalMinor);
  if (amountMinor <= 0 || amountMinor >= order.totalMinor) return null;
  return {
    createdAtMs: laterThan(random, order.processedAtMs, 2 * DAY_MS, 45 * DAY_MS, nowMs),
    note: random.pick(RETURN_NOTES),
    lineItems: [{ lineItemId: line.id, quantity, subtotalMinor }],
    amountMinor,
  };
}

export function decideAftermath(random: SeededRandom, order: PlacedOrder, nowMs: number): OrderAftermath {
  const paid: OrderAftermath = { financialStatus: "paid", cancelledAt: null, cancelReason: null, refunds: [] };
  const draw = random.next();

  if (draw < CANCELLED_SHARE) {
    const cancelledAt = laterThan(random, order.processedAtMs, 2 * HOUR_MS, 4 * DAY_MS, nowMs);
    // A paid order is refunded when cancelled; otherwise the authorisation is voided.
    if (order.totalMinor > 0 && random.chance(0.6)) {
      return {
        financialStatus: "refunded",
        cancelledAt,
        cancelReason: random.weighted([
          ["customer", 6],
          ["inventory", 3],
          ["other", 1],
        ] as const),
        refunds: [fullRefund(order, cancelledAt, "Order cancelled")],
      };
    }
    return {
      financialStatus: "voided",
      cancelledAt,
      cancelReason: random.weighted([
        ["customer", 4],
        ["declined", 3],
        ["fraud", 2],
        ["other", 1],
      ] as const),
      refunds: [],
    };
  }

  if (draw < CANCELLED_SHARE + FULLY_REFUNDED_SHARE) {
    if (order.totalMinor === 0) return paid;
    const createdAtMs = laterThan(random, order.processedAtMs, 2 * DAY_MS, 40 * DAY_MS, nowMs);
    return { ...paid, financialStatus: "refunded", refunds: [fullRefund(order, createdAtMs, "Returned for refund")] };
  }

  const records = order.lineItems.reduce((sum, line) => sum + line.quantity, 0);
  if (records >= 2 && draw < CANCELLED_SHARE + FULLY_REFUNDED_SHARE + PARTIALLY_REFUNDED_SHARE_OF_MULTI_RECORD_ORDERS) {
    const refund = partialRefund(random, order, nowMs);
    if (refund) return { ...paid, financialStatus: "partially_refunded", refunds: [refund] };
  }
  return paid;
}
