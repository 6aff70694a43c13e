import { describe, expect, it } from "vitest";

import { fixtureShop } from "../../../test/shopify-double/fixtures";
import { customerDataRequestPayload, customerRedactPayload } from "../../../test/shopify-double/rest-payloads";
import { parseCustomerDataRequest, parseCustomerRedact } from "./compliance-payloads";
import { customerDataDocument, orderSectionData } from "./customer-data-document";
import { PrivacyError } from "./privacy-error";

const shop = fixtureShop();
const ada = shop.customers[0]!;

describe("compliance payloads", () => {
  it("read the customer, the orders and the data request id from Shopify's payloads", () => {
    const orders = shop.orders.filter((order) => order.customerId === ada.id).map((order) => BigInt(order.id));
    expect(parseCustomerRedact(customerRedactPayload(shop, ada))).toEqual({
      customerShopifyId: BigInt(ada.id),
      email: "ada@example.com",
      orderShopifyIds: orders,
      requestId: null,
    });
    expect(parseCustomerDataRequest(customerDataRequestPayload(shop, ada, { dataRequestId: 9 }))).toMatchObject({
      customerShopifyId: BigInt(ada.id),
      requestId: "9",
    });
  });

  it("read a payload whose personal fields were already redacted (a retried job)", () => {
    expect(parseCustomerRedact({ redacted: true, customer: { id: 5 }, orders_to_redact: [6] })).toEqual({
      customerShopifyId: 5n,
      email: null,
      orderShopifyIds: [6n],
      requestId: null,
    });
  });

  it("refuse a malformed payload naming the field, never quoting its values", () => {
    const attempt = () => parseCustomerRedact({ customer: { id: "ada@example.com" } });
    expect(attempt).toThrow(PrivacyError);
    expect(attempt).toThrow("customers/redact payload is not valid at customer.id");
    expect(() => parseCustomerRedact({ customer: { id: "ada@example.com" } })).not.toThrow(/example/);
  });
});

describe("customer data document", () => {
  it("lists sections in order and writes money as minor units with the currency", () => {
    const document = customerDataDocument(
      { shopDomain: "a.myshopify.com", customerShopifyId: 5n },
      "9",
      new Date("2026-11-01T00:00:00Z"),
      [{ key: "profile", title: "Customer profile", data: null }],
    );
    expect(document).toEqual({
      format: "kinship.customer-data.v1",
      shopDomain: "a.myshopify.com",
      requestId: "9",
      customerShopifyId: "5",
      generatedAt: "2026-11-01T00:00:00.000Z",
      sections: [{ key: "profile", title: "Customer profile", data: null }],
    });
    const order = orderSectionData({
      shopifyId: 1n,
      name: "#1",
      email: null,
      currencyCode: "JPY",
      sourceName: "web",
      financialStatus: "paid",
      processedAt: new Date("2026-01-01T00:00:00Z"),
      cancelledAt: null,
      subtotalMinor: 500n,
      totalDiscountsMinor: 0n,
      shippingMinor: 0n,
      taxMinor: 0n,
      totalMinor: 500n,
      refundedMinor: 0n,
      lineItems: [],
      refunds: [],
    });
    expect(order.total).toEqual({ amountMinor: "500", currency: "JPY" });
  });
});
