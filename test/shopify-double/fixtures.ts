// Small StoreShop fixtures for the double's own tests: three customers, one product with two
// variants, three orders (one partly refunded, one cancelled).
import type { StoreCustomer, StoreOrder, StoreShop } from "./store-data";

export const FIXTURE_SHOP = "fixture-shop.myshopify.com";

function customers(): StoreCustomer[] {
  return [
    {
      id: 101,
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.com",
      phone: "+15555550101",
      createdAt: "2026-01-05T10:00:00.000Z",
      updatedAt: "2026-03-01T12:00:00.000Z",
      address: {
        address1: "1 Analytical Way",
        city: "New York",
        province: "New York",
        provinceCode: "NY",
        country: "United States",
        countryCode: "US",
        zip: "10001",
      },
      tags: ["vip", "newsletter"],
      emailMarketing: "SUBSCRIBED",
      smsMarketing: "NOT_SUBSCRIBED",
      note: "Prefers vinyl",
    },
    {
      id: 102,
      firstName: "Grace",
      lastName: "Hopper",
      email: "grace@example.com",
      phone: null,
      createdAt: "2026-01-06T10:00:00.000Z",
      updatedAt: "2026-04-01T00:00:00.000Z",
      address: null,
      tags: [],
      emailMarketing: "UNSUBSCRIBED",
      smsMarketing: "NOT_SUBSCRIBED",
      note: null,
    },
    {
      id: 103,
      firstName: "Alan",
      lastName: "Turing",
      email: null,
      phone: "+15555550103",
      createdAt: "2026-01-07T10:00:00.000Z",
      updatedAt: "2026-02-01T00:00:00.000Z",
      address: null,
      tags: ["wholesale"],
      emailMarketing: "NOT_SUBSCRIBED",
      smsMarketing: "SUBSCRIBED",
      note: null,
    },
  ];
}

function orders(currencyCode: string): StoreOrder[] {
  const base = {
    cancelledAt: null,
    cancelReason: null,
    currencyCode,
    sourceName: "web" as const,
    refunds: [],
  };
  return [
    {
      ...base,
      id: 401,
      name: "#1001",
      customerId: 101,
      email: "ada@example.com",
      createdAt: "2026-01-10T15:30:00.000Z",
      processedAt: "2026-01-10T15:30:00.000Z",
      updatedAt: "2026-01-12T09:00:00.000Z",
      financialStatus: "partially_refunded",
      lineItems: [
        {
          id: 501,
          productId: 201,
          variantId: 301,
          title: "Blue Train",
          variantTitle: "CD",
          sku: "BT-CD",
          quantity: 2,
          priceMinor: 1299,
          discountMinor: 200,
        },
      ],
      subtotalMinor: 2398,
      totalDiscountsMinor: 200,
      shippingMinor: 500,
      taxMinor: 192,
      totalMinor: 3090,
      refunds: [
        {
          id: 601,
          createdAt: "2026-01-12T09:00:00.000Z",
          note: "Scratched disc",
          lineItems: [{ lineItemId: 501, quantity: 1, subtotalMinor: 1199 }],
          amountMinor: 1295,
        },
      ],
    },
    {
      ...base,
      id: 402,
      name: "#1002",
      customerId: 101,
      email: "ada@example.com",
      createdAt: "2026-02-10T11:00:00.000Z",
      processedAt: "2026-02-10T11:00:00.000Z",
      updatedAt: "2026-02-10T11:00:00.000Z",
      financialStatus: "paid",
      lineItems: [
        {
          id: 502,
          productId: 201,
          variantId: 302,
          title: "Blue Train",
          variantTitle: "LP",
          sku: "BT-LP",
          quantity: 1,
          priceMinor: 2999,
          discountMinor: 0,
        },
      ],
      subtotalMinor: 2999,
      totalDiscountsMinor: 0,
      shippingMinor: 0,
      taxMinor: 0,
      totalMinor: 2999,
    },
    {
      ...base,
      id: 403,
      name: "#1003",
      customerId: 102,
      email: "grace@example.com",
      createdAt: "2026-03-01T08:00:00.000Z",
      processedAt: "2026-03-01T08:00:00.000Z",
      updatedAt: "2026-03-05T08:00:00.000Z",
      cancelledAt: "2026-03-05T08:00:00.000Z",
      cancelReason: "customer",
      financialStatus: "voided",
      lineItems: [
        {
          id: 503,
          productId: 999,
          variantId: 998,
          title: "Deleted Product",
          variantTitle: null,
          sku: "GONE",
          quantity: 1,
          priceMinor: 1299,
          discountMinor: 0,
        },
      ],
      subtotalMinor: 1299,
      totalDiscountsMinor: 0,
      shippingMinor: 0,
      taxMinor: 0,
      totalMinor: 1299,
    },
  ];
}

export function fixtureShop(overrides: Partial<StoreShop> = {}): StoreShop {
  const currencyCode = overrides.currencyCode ?? "USD";
  return {
    domain: FIXTURE_SHOP,
    name: "Fixture Records",
    email: "owner@fixture.example",
    currencyCode,
    ianaTimezone: "America/New_York",
    customers: customers(),
    orders: orders(currencyCode),
    products: [
      {
        id: 201,
        title: "Blue Train",
        vendor: "Blue Note",
        productType: "Jazz",
        variants: [
          { id: 301, title: "CD", sku: "BT-CD", priceMinor: 1299 },
          { id: 302, title: "LP", sku: "BT-LP", priceMinor: 2999 },
        ],
      },
    ],
    ...overrides,
  };
}
