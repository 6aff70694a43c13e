// The survey block's reading of an order's fulfilments (extensions/survey-account/src/order-delivery.ts).
import { describe, expect, it } from "vitest";

import {
  deliveryStateOf,
  fetchDeliveryState,
  hasArrived,
  type FulfillmentFacts,
} from "../../../extensions/survey-account/src/order-delivery";

const shipped = (latestShipmentStatus: string | null, more: Partial<FulfillmentFacts> = {}): FulfillmentFacts => ({
  status: "SUCCESS",
  latestShipmentStatus,
  requiresShipping: true,
  isPickedUp: false,
  ...more,
});

describe("deliveryStateOf", () => {
  it("is delivered when every fulfilment arrived", () => {
    expect(deliveryStateOf([shipped("DELIVERED"), shipped("PICKED_UP")])).toBe("delivered");
    expect(deliveryStateOf([shipped(null, { isPickedUp: true })])).toBe("delivered");
    expect(deliveryStateOf([shipped(null, { requiresShipping: false })])).toBe("delivered");
    // A cancelled fulfilment beside a delivered one changes nothing
    expect(deliveryStateOf([shipped("DELIVERED"), shipped("IN_TRANSIT", { status: "CANCELLED" })])).toBe("delivered");
  });

  it("is fulfilled when shipped without any carrier tracking", () => {
    expect(deliveryStateOf([shipped(null)])).toBe("fulfilled");
    expect(deliveryStateOf([shipped("DELIVERED"), shipped(null)])).toBe("fulfilled");
  });

  it("is not yet while nothing shipped or a tracked parcel is on its way", () => {
    expect(deliveryStateOf([])).toBe("not_yet");
    expect(deliveryStateOf([shipped("DELIVERED", { status: "CANCELLED" })])).toBe("not_yet");
    expect(deliveryStateOf([shipped("IN_TRANSIT")])).toBe("not_yet");
    expect(deliveryStateOf([shipped("DELIVERED"), shipped("OUT_FOR_DELIVERY")])).toBe("not_yet");
    expect(deliveryStateOf([shipped(null), shipped("ATTEMPTED_DELIVERY")])).toBe("not_yet");
  });

  it("asks early only for delivered or untracked fulfilled orders", () => {
    expect(["delivered", "fulfilled", "not_yet", "unknown"].filter((s) => hasArrived(s as never))).toEqual([
      "delivered",
      "fulfilled",
    ]);
  });
});

describe("fetchDeliveryState", () => {
  it("asks the Customer Account API about the order and reads its fulfilments", async () => {
    const calls: { url: string; body: unknown }[] = [];
    const fetcher = (async (url: string, init: RequestInit) => {
      calls.push({ url, body: JSON.parse(String(init.body)) });
      return Response.json({ data: { order: { fulfillments: { nodes: [shipped("DELIVERED")] } } } });
    }) as unknown as typeof fetch;
    expect(await fetchDeliveryState("gid://shopify/Order/42", fetcher)).toBe("delivered");
    expect(calls).toMatchObject([
      {
        url: "shopify://customer-account/api/2025-07/graphql.json",
        body: { variables: { id: "gid://shopify/Order/42" } },
      },
    ]);
  });

  it("is unknown when the API fails, refuses or finds no order", async () => {
    const answering = (response: () => Response) => (async () => response()) as unknown as typeof fetch;
    expect(
      await fetchDeliveryState(
        "gid://shopify/Order/1",
        answering(() => new Response("", { status: 401 })),
      ),
    ).toBe("unknown");
    expect(
      await fetchDeliveryState(
        "gid://shopify/Order/1",
        answering(() => Response.json({ data: { order: null } })),
      ),
    ).toBe("unknown");
    const throwing = (async () => {
      throw new TypeError("network");
    }) as unknown as typeof fetch;
    expect(await fetchDeliveryState("gid://shopify/Order/1", throwing)).toBe("unknown");
  });
});
