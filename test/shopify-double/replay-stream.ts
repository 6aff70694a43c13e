// Replay mode: the stream of webhook deliveries a store's history would have produced,
// as Shopify delivers them in practice: customers created then updated, orders placed,
// paid, partially refunded and cancelled, some deliveries repeated (same webhook id, as
// Shopify's retries are), and everything out of order. Replaying it must leave the app
// with exactly the store's final state.
import { randomUUID } from "node:crypto";

import { customerPayload, orderPayload, refundPayload } from "./rest-payloads";
import { createSeededRandom } from "./seeded-random";
import type { StoreOrder, StoreShop } from "./store-data";

export interface ReplayDelivery {
  topic: string;
  payload: Record<string, unknown>;
  webhookId: string;
  eventId: string;
  triggeredAt: string;
}

export interface ReplayOptions {
  seed?: number;
  /** Share of deliveries sent a second time with the same webhook id (default 5%). */
  duplicateRate?: number;
  /** Shuffle the whole stream (default true): the worst case of out-of-order delivery. */
  shuffle?: boolean;
}

function delivery(topic: string, payload: Record<string, unknown>, at: string): ReplayDelivery {
  return { topic, payload, webhookId: randomUUID(), eventId: randomUUID(), triggeredAt: at };
}

/** The order as it stood when placed: paid, nothing refunded or cancelled yet. */
function asPlaced(order: StoreOrder): StoreOrder {
  return {
    ...order,
    refunds: [],
    cancelledAt: null,
    cancelReason: null,
    financialStatus: "paid",
    updatedAt: order.createdAt,
  };
}

function historyOf(store: StoreShop): ReplayDelivery[] {
  const out: ReplayDelivery[] = [];
  for (const customer of store.customers) {
    // Created with fewer tags, later updated to the final state.
    const created = { ...customer, tags: customer.tags.slice(0, -1), updatedAt: customer.createdAt };
    out.push(delivery("customers/create", customerPayload(store, created), customer.createdAt));
    if (customer.updatedAt !== customer.createdAt || customer.tags.length > 0) {
      out.push(delivery("customers/update", customerPayload(store, customer), customer.updatedAt));
    }
  }
  for (const order of store.orders) {
    const placed = asPlaced(order);
    out.push(delivery("orders/create", orderPayload(store, placed), order.createdAt));
    out.push(delivery("orders/paid", orderPayload(store, placed), order.processedAt));
    order.refunds.forEach((refund, index) => {
      // A refund made with or after the cancellation shows the order cancelled, as Shopify does.
      const cancelledBy = order.cancelledAt !== null && refund.createdAt >= order.cancelledAt;
      const refundedSoFar: StoreOrder = {
        ...(cancelledBy ? order : placed),
        refunds: order.refunds.slice(0, index + 1),
        financialStatus: index === order.refunds.length - 1 ? order.financialStatus : "partially_refunded",
        updatedAt: refund.createdAt,
      };
      out.push(delivery("refunds/create", refundPayload(store, order, refund), refund.createdAt));
      out.push(delivery("orders/updated", orderPayload(store, refundedSoFar), refund.createdAt));
    });
    if (order.cancelledAt) out.push(delivery("orders/cancelled", orderPayload(store, order), order.updatedAt));
    else if (order.refunds.length > 0 && order.updatedAt !== order.refunds.at(-1)!.createdAt) {
      out.push(delivery("orders/updated", orderPayload(store, order), order.updatedAt));
    }
  }
  return out;
}

export function buildReplayStream(store: StoreShop, options: ReplayOptions = {}): ReplayDelivery[] {
  const random = createSeededRandom(options.seed ?? 7, "replay");
  const history = historyOf(store);
  const duplicates = history.filter(() => random.chance(options.duplicateRate ?? 0.05));
  const stream = [...history, ...duplicates];
  if (options.shuffle ?? true) {
    for (let i = stream.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [stream[i], stream[j]] = [stream[j]!, stream[i]!];
    }
  }
  return stream;
}
