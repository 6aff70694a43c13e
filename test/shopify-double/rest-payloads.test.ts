import { describe, expect, it } from "vitest";

import { fixtureShop } from "./fixtures";
import { formatMinor } from "./money";
import {
  appUninstalledPayload,
  customerDataRequestPayload,
  customerPayload,
  customerRedactPayload,
  orderPayload,
  refundPayload,
  shopRedactPayload,
} from "./rest-payloads";

const shop = fixtureShop();
const ada = shop.customers[0]!;
const order = shop.orders[0]!;

describe("money strings", () => {
  it("are built from minor units with the currency's fraction digits", () => {
    expect(formatMinor(1999, "USD")).toBe("19.99");
    expect(formatMinor(5, "USD")).toBe("0.05");
    expect(formatMinor(-5, "EUR")).toBe("-0.05");
    expect(formatMinor(500, "JPY")).toBe("500");
    expect(formatMinor(1234, "KWD")).toBe("1.234");
    expect(formatMinor(123456789012345, "USD")).toBe("1234567890123.45");
    expect(() => formatMinor(1.5, "USD")).toThrow();
  });
});

describe("REST webhook payloads", () => {
  it("customer: REST field names, shop-local timestamps, consent objects", () => {
    expect(customerPayload(shop, ada)).toMatchObject({
      id: 101,
      email: "ada@example.com",
      first_name: "Ada",
      last_name: "Lovelace",
      phone: "+15555550101",
      created_at: "2026-01-05T05:00:00-05:00",
      updated_at: "2026-03-01T07:00:00-05:00",
      state: "disabled",
      note: "Prefers vinyl",
      tags: "vip, newsletter",
      currency: "USD",
      email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: null },
      sms_marketing_consent: { state: "not_subscribed", opt_in_level: "unknown", consent_updated_at: null },
      default_address: {
        address1: "1 Analytical Way",
        city: "New York",
        province_code: "NY",
        country_code: "US",
        zip: "10001",
        default: true,
      },
      addresses: [expect.objectContaining({ id: 101, customer_id: 101 })],
      admin_graphql_api_id: "gid://shopify/Customer/101",
    });
    const grace = customerPayload(shop, shop.customers[1]!);
    expect(grace).toMatchObject({
      phone: null,
      sms_marketing_consent: null,
      default_address: null,
      addresses: [],
      tags: "",
    });
  });

  it("order: totals as decimal strings, customer, line items and refunds", () => {
    const payload = orderPayload(shop, order);
    expect(payload).toMatchObject({
      id: 401,
      admin_graphql_api_id: "gid://shopify/Order/401",
      name: "#1001",
      order_number: 1001,
      email: "ada@example.com",
      processed_at: "2026-01-10T10:30:00-05:00",
      cancelled_at: null,
      cancel_reason: null,
      currency: "USD",
      financial_status: "partially_refunded",
      source_name: "web",
      subtotal_price: "23.98",
      total_price: "30.90",
      total_discounts: "2.00",
      total_tax: "1.92",
      total_line_items_price: "25.98",
      total_shipping_price_set: {
        shop_money: { amount: "5.00", currency_code: "USD" },
        presentment_money: { amount: "5.00", currency_code: "USD" },
      },
      customer: { id: 101, email: "ada@example.com", first_name: "Ada" },
      line_items: [
        {
          id: 501,
          product_id: 201,
          variant_id: 301,
          title: "Blue Train",
          variant_title: "CD",
          sku: "BT-CD",
          quantity: 2,
          price: "12.99",
          total_discount: "2.00",
        },
      ],
      refunds: [{ id: 601, order_id: 401 }],
    });
    expect(payload.customer).not.toHaveProperty("addresses");
    const cancelled = orderPayload(shop, shop.orders[2]!);
    expect(cancelled).toMatchObject({
      cancelled_at: "2026-03-05T03:00:00-05:00",
      cancel_reason: "customer",
      financial_status: "voided",
    });
  });

  it("refund: line items and a successful refund transaction", () => {
    expect(refundPayload(shop, order, order.refunds[0]!)).toMatchObject({
      id: 601,
      order_id: 401,
      created_at: "2026-01-12T04:00:00-05:00",
      note: "Scratched disc",
      refund_line_items: [{ line_item_id: 501, quantity: 1, subtotal: "11.99", line_item: { id: 501, sku: "BT-CD" } }],
      transactions: [{ amount: "12.95", kind: "refund", status: "success", currency: "USD" }],
    });
  });

  it("compliance and uninstall payloads name the shop", () => {
    expect(customerRedactPayload(shop, ada)).toEqual({
      shop_id: expect.any(Number),
      shop_domain: shop.domain,
      customer: { id: 101, email: "ada@example.com", phone: "+15555550101" },
      orders_to_redact: [401, 402],
    });
    expect(customerDataRequestPayload(shop, ada, { dataRequestId: 9 })).toMatchObject({
      orders_requested: [401, 402],
      data_request: { id: 9 },
    });
    expect(shopRedactPayload(shop)).toEqual({
      shop_id: customerRedactPayload(shop, ada).shop_id,
      shop_domain: shop.domain,
    });
    expect(appUninstalledPayload(shop)).toMatchObject({
      name: "Fixture Records",
      domain: shop.domain,
      myshopify_domain: shop.domain,
      currency: "USD",
      iana_timezone: "America/New_York",
      timezone: expect.stringMatching(/^\(GMT-0[45]:00\) America\/New_York$/),
    });
  });
});
