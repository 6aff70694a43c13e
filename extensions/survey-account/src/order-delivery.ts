// Whether the order has reached the shopper, read by the block itself from the Customer Account
// API (the order status page's own Order API has no fulfilments). Orders we ingest carry no
// delivery date, so this is the only place "after a delivered order" can be known without
// more ingest; the app's "N days after the order" rule stays the fallback.
export const CUSTOMER_ACCOUNT_API_URL = "shopify://customer-account/api/2025-07/graphql.json";

export const ORDER_DELIVERY_QUERY = `query KinshipSurveyOrderDelivery($id: ID!) {
  order(id: $id) {
    fulfillments(first: 20) {
      nodes {
        status
        latestShipmentStatus
        requiresShipping
        isPickedUp
      }
    }
  }
}`;

export interface FulfillmentFacts {
  status: string | null;
  latestShipmentStatus: string | null;
  requiresShipping: boolean;
  isPickedUp: boolean;
}

/**
 * delivered: every fulfilment arrived (carrier says delivered or picked up, picked up in store,
 * or nothing to ship); fulfilled: shipped without any carrier tracking, so this is all we will
 * ever know; not_yet: nothing shipped, or a tracked parcel still on its way; unknown: no answer.
 */
export type DeliveryState = "delivered" | "fulfilled" | "not_yet" | "unknown";

const ARRIVED = new Set(["DELIVERED", "PICKED_UP"]);

export function deliveryStateOf(fulfillments: readonly FulfillmentFacts[] | null): DeliveryState {
  if (fulfillments === null) return "unknown";
  // Cancelled or failed fulfilments say nothing about what the shopper received.
  const made = fulfillments.filter((f) => f.status === "SUCCESS");
  if (made.length === 0) return "not_yet";
  const arrived = (f: FulfillmentFacts) =>
    f.isPickedUp || !f.requiresShipping || ARRIVED.has(f.latestShipmentStatus ?? "");
  if (made.every(arrived)) return "delivered";
  if (made.every((f) => arrived(f) || f.latestShipmentStatus === null)) return "fulfilled";
  return "not_yet";
}

/** The survey may be asked now rather than after the shop's delay. */
export const hasArrived = (state: DeliveryState) => state === "delivered" || state === "fulfilled";

type DeliveryAnswer = { data?: { order?: { fulfillments?: { nodes?: FulfillmentFacts[] } } | null } };

/** Asks the Customer Account API; any failure is "unknown" (the app's delay rule then applies). */
export async function fetchDeliveryState(orderId: string, fetcher: typeof fetch = fetch): Promise<DeliveryState> {
  try {
    const response = await fetcher(CUSTOMER_ACCOUNT_API_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query: ORDER_DELIVERY_QUERY, variables: { id: orderId } }),
    });
    if (!response.ok) return "unknown";
    const body = (await response.json()) as DeliveryAnswer;
    return deliveryStateOf(body.data?.order?.fulfillments?.nodes ?? null);
  } catch {
    return "unknown";
  }
}
