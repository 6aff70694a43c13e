import type { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { FIXTURE_SHOP, fixtureShop } from "./fixtures";
import { type Api, offlineSession, routeLibraryTo, startHarness } from "./library-harness";
import type { ShopifyDouble } from "./types";

let double: ShopifyDouble;
let api: Api;
let session: Session;

beforeAll(async () => {
  ({ double, api } = await startHarness());
  session = await offlineSession(api, double, FIXTURE_SHOP);
});
afterAll(async () => {
  await double.close();
});

async function query<T = Record<string, unknown>>(document: string, variables?: Record<string, unknown>) {
  const client = new api.clients.Graphql({ session });
  const response = await client.request<T>(document, { variables });
  return response;
}

describe("Admin GraphQL orders", () => {
  it("serves orders with line items, refunds and money sets", async () => {
    const response = await query<{ orders: { nodes: Record<string, unknown>[] } }>(`{
      orders(first: 1, sortKey: ID) { nodes {
        id legacyResourceId name email processedAt cancelledAt cancelReason displayFinancialStatus sourceName currencyCode
        customer { id }
        subtotalPriceSet { shopMoney { amount currencyCode } }
        totalPriceSet { shopMoney { amount } }
        totalDiscountsSet { shopMoney { amount } }
        totalShippingPriceSet { shopMoney { amount } }
        totalTaxSet { shopMoney { amount } }
        totalRefundedSet { shopMoney { amount } }
        lineItems(first: 5) { nodes { id title variantTitle sku quantity product { id } variant { id }
          originalUnitPriceSet { shopMoney { amount } } totalDiscountSet { shopMoney { amount } } } }
        refunds { id createdAt totalRefundedSet { shopMoney { amount } }
          refundLineItems(first: 5) { nodes { lineItem { id } quantity subtotalSet { shopMoney { amount } } } } }
      } }
    }`);
    expect(response.data?.orders.nodes[0]).toEqual({
      id: "gid://shopify/Order/401",
      legacyResourceId: "401",
      name: "#1001",
      email: "ada@example.com",
      processedAt: "2026-01-10T15:30:00Z",
      cancelledAt: null,
      cancelReason: null,
      displayFinancialStatus: "PARTIALLY_REFUNDED",
      sourceName: "web",
      currencyCode: "USD",
      customer: { id: "gid://shopify/Customer/101" },
      subtotalPriceSet: { shopMoney: { amount: "23.98", currencyCode: "USD" } },
      totalPriceSet: { shopMoney: { amount: "30.90" } },
      totalDiscountsSet: { shopMoney: { amount: "2.00" } },
      totalShippingPriceSet: { shopMoney: { amount: "5.00" } },
      totalTaxSet: { shopMoney: { amount: "1.92" } },
      totalRefundedSet: { shopMoney: { amount: "12.95" } },
      lineItems: {
        nodes: [
          {
            id: "gid://shopify/LineItem/501",
            title: "Blue Train",
            variantTitle: "CD",
            sku: "BT-CD",
            quantity: 2,
            product: { id: "gid://shopify/Product/201" },
            variant: { id: "gid://shopify/ProductVariant/301" },
            originalUnitPriceSet: { shopMoney: { amount: "12.99" } },
            totalDiscountSet: { shopMoney: { amount: "2.00" } },
          },
        ],
      },
      refunds: [
        {
          id: "gid://shopify/Refund/601",
          createdAt: "2026-01-12T09:00:00Z",
          totalRefundedSet: { shopMoney: { amount: "12.95" } },
          refundLineItems: {
            nodes: [
              {
                lineItem: { id: "gid://shopify/LineItem/501" },
                quantity: 1,
                subtotalSet: { shopMoney: { amount: "11.99" } },
              },
            ],
          },
        },
      ],
    });
  });

  it("formats money with the currency's own fraction digits", async () => {
    const { double: yenDouble, api: yenApi } = await startHarness({ shops: [fixtureShop({ currencyCode: "JPY" })] });
    try {
      const yenSession = await offlineSession(yenApi, yenDouble, FIXTURE_SHOP);
      const response = await new yenApi.clients.Graphql({ session: yenSession }).request<{ order: unknown }>(
        `{ order(id: "gid://shopify/Order/402") { totalPriceSet { shopMoney { amount currencyCode } } } }`,
      );
      expect(response.data?.order).toEqual({ totalPriceSet: { shopMoney: { amount: "2999", currencyCode: "JPY" } } });
    } finally {
      routeLibraryTo(double.url);
      await yenDouble.close();
    }
  });

  it("resolves cancelled orders and deleted products like Shopify", async () => {
    const response = await query(`{ order(id: "gid://shopify/Order/403") {
      cancelReason displayFinancialStatus cancelledAt lineItems(first: 1) { nodes { product { id } } }
    } }`);
    expect(response.data).toEqual({
      order: {
        cancelReason: "CUSTOMER",
        displayFinancialStatus: "VOIDED",
        cancelledAt: "2026-03-05T08:00:00Z",
        lineItems: { nodes: [{ product: null }] },
      },
    });
  });
});
