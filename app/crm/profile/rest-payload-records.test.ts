import { describe, expect, it } from "vitest";

import { customerPayload, orderPayload, refundPayload } from "../../../test/shopify-double/rest-payloads";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import {
  customerRecordFromPayload,
  orderRecordFromPayload,
  PayloadError,
  refundRecordFromPayload,
} from "./rest-payload-records";

function storeWithPartialRefund() {
  const store = smallTestStore("mapping.myshopify.com");
  const order = store.orders[0]!;
  order.refunds.push({
    id: 9000000000001,
    createdAt: "2026-10-05T09:30:00.000Z",
    note: null,
    lineItems: [{ lineItemId: order.lineItems[0]!.id, quantity: 1, subtotalMinor: 1299 }],
    amountMinor: 1299,
  });
  order.financialStatus = "partially_refunded";
  order.updatedAt = "2026-10-05T09:30:00.000Z";
  return { store, order, customer: store.customers[0]! };
}

describe("webhook payloads as records", () => {
  it("maps a REST customer exactly, keeping neither phone nor postal address (only the country code)", () => {
    const { store, customer } = storeWithPartialRefund();
    customer.tags = ["vip", "newsletter"];
    customer.phone = "+49 30 1234567";
    customer.address = {
      address1: "1 Main St",
      city: "Berlin",
      province: "Berlin",
      provinceCode: "BE",
      country: "Germany",
      countryCode: "DE",
      zip: "10115",
    };
    expect(customerRecordFromPayload(customerPayload(store, customer))).toEqual({
      shopifyId: 7000000000001n,
      firstName: "Ada",
      lastName: "Tester",
      email: "ada@example.com",
      countryCode: "DE",
      tags: ["vip", "newsletter"],
      emailConsent: "SUBSCRIBED",
      smsConsent: "NOT_SUBSCRIBED",
      shopifyCreatedAt: new Date("2026-10-01T12:00:00.000Z"),
      shopifyUpdatedAt: new Date("2026-10-01T12:00:00.000Z"),
    });
  });

  it("maps a REST order with its lines and refunds in minor units", () => {
    const { store, order } = storeWithPartialRefund();
    const record = orderRecordFromPayload(orderPayload(store, order));
    expect(record).toMatchObject({
      shopifyId: 5000000000001n,
      customerShopifyId: 7000000000001n,
      name: "#1001",
      currencyCode: "EUR",
      subtotalMinor: 2598n,
      totalMinor: 2598n,
      shopifyUpdatedAt: new Date("2026-10-05T09:30:00.000Z"),
      lineItems: [{ shopifyId: 6000000000001n, quantity: 2, priceMinor: 1299n, discountMinor: 0n }],
      refunds: [
        {
          shopifyId: 9000000000001n,
          amountMinor: 1299n,
          lineItems: [{ lineItemShopifyId: 6000000000001n, quantity: 1 }],
        },
      ],
    });
    expect(refundRecordFromPayload(refundPayload(store, order, order.refunds[0]!), "EUR")).toEqual(record.refunds[0]);
  });

  it("refuses a payload that is not Shopify's, naming the field", () => {
    const { store, order } = storeWithPartialRefund();
    const payload = {
      ...orderPayload(store, order),
      total_price_set: { shop_money: { amount: "12.3.4", currency_code: "EUR" } },
    };
    expect(() => orderRecordFromPayload(payload)).toThrowError(PayloadError);
    expect(() => orderRecordFromPayload(payload)).toThrow(/total_price_set\.shop_money\.amount/);
    expect(() => customerRecordFromPayload({ id: "abc" })).toThrow(/customer payload is invalid/);
  });
});
