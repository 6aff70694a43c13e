// A tiny Shopify store for the double: two customers, one order.
import type { StoreShop } from "../shopify-double/store-data";

export function smallTestStore(domain: string): StoreShop {
  const at = "2026-10-01T12:00:00.000Z";
  const customer = (id: number, firstName: string) => ({
    id,
    firstName,
    lastName: "Tester",
    email: `${firstName.toLowerCase()}@example.com`,
    phone: null,
    createdAt: at,
    updatedAt: at,
    address: null,
    tags: [],
    emailMarketing: "SUBSCRIBED" as const,
    smsMarketing: "NOT_SUBSCRIBED" as const,
    note: null,
  });
  return {
    domain,
    name: "Small Test Records",
    email: "owner@example.com",
    currencyCode: "EUR",
    ianaTimezone: "Europe/Berlin",
    customers: [customer(7000000000001, "Ada"), customer(7000000000002, "Grace")],
    products: [
      {
        id: 8000000000001,
        title: "Blue Train",
        vendor: "Blue Note",
        productType: "Jazz",
        variants: [{ id: 8100000000001, title: "CD", sku: "BT-CD", priceMinor: 1299 }],
      },
    ],
    orders: [
      {
        id: 5000000000001,
        name: "#1001",
        customerId: 7000000000001,
        email: "ada@example.com",
        createdAt: at,
        processedAt: at,
        updatedAt: at,
        cancelledAt: null,
        cancelReason: null,
        currencyCode: "EUR",
        sourceName: "web",
        financialStatus: "paid",
        lineItems: [
          {
            id: 6000000000001,
            productId: 8000000000001,
            variantId: 8100000000001,
            title: "Blue Train",
            variantTitle: "CD",
            sku: "BT-CD",
            quantity: 2,
            priceMinor: 1299,
            discountMinor: 0,
          },
        ],
        subtotalMinor: 2598,
        totalDiscountsMinor: 0,
        shippingMinor: 0,
        taxMinor: 0,
        totalMinor: 2598,
        refunds: [],
      },
    ],
  };
}
