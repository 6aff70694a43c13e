// A store of any size for benchmarks: its orders (and their customers) are generated on the
// fly from their index, deterministically, so a million orders never sit in memory. Only
// Bulk Operations read it (the store's own arrays stay empty apart from the catalogue).
import { customerNode } from "./graphql-customer-nodes";
import { orderNode } from "./graphql-order-nodes";
import type { GqlObject } from "./graphql-types";
import type { StoreCustomer, StoreOrder, StoreProduct, StoreShop } from "./store-data";

export interface SyntheticStoreOptions {
  domain: string;
  orders: number;
  /** Default: one customer per four orders. */
  customers?: number;
  currencyCode?: string;
}

export interface SyntheticStore {
  shop: StoreShop;
  orderCount: number;
  customerCount: number;
  customer(index: number): StoreCustomer;
  order(index: number): StoreOrder;
  /** Line items across all orders, without building them. */
  lineItemCount(): number;
}

const CUSTOMER_BASE = 7_000_000_000_000;
const ORDER_BASE = 5_000_000_000_000;
const LINE_BASE = 3_000_000_000_000;
const REFUND_BASE = 9_000_000_000_000;
const PRODUCT_BASE = 8_000_000_000_000;
const VARIANT_BASE = 8_100_000_000_000;
const START_MS = Date.parse("2022-01-01T00:00:00Z");
const REFUND_SHARE_PER_MILLE = 40;

/** A 32-bit integer hash (xorshift-multiply), so the same index always gives the same order. */
function hash(a: number, b = 0): number {
  let h = (a ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();

const registry = new Map<string, SyntheticStore>();

export function syntheticStoreFor(domain: string): SyntheticStore | undefined {
  return registry.get(domain);
}

export function createSyntheticStore(options: SyntheticStoreOptions): SyntheticStore {
  const orderCount = options.orders;
  const customerCount = options.customers ?? Math.max(1, Math.ceil(orderCount / 4));
  const currencyCode = options.currencyCode ?? "USD";
  const products: StoreProduct[] = Array.from({ length: 50 }, (_, p) => ({
    id: PRODUCT_BASE + p + 1,
    title: `Synthetic record ${p + 1}`,
    vendor: "Synthetic",
    productType: "Music",
    variants: [{ id: VARIANT_BASE + p + 1, title: "CD", sku: `SYN-${p + 1}`, priceMinor: 899 + (p % 7) * 200 }],
  }));
  const shop: StoreShop = {
    domain: options.domain,
    name: "Synthetic Records",
    email: "owner@example.com",
    currencyCode,
    ianaTimezone: "UTC",
    customers: [],
    orders: [],
    products,
  };
  const linesOf = (index: number) => 1 + (hash(index, 1) % 3);
  const spanMs = 3 * 365 * 24 * 3600 * 1000;

  const customer = (index: number): StoreCustomer => {
    const at = iso(START_MS + (index / customerCount) * spanMs * 0.5);
    return {
      id: CUSTOMER_BASE + index + 1,
      firstName: `Customer${index + 1}`,
      lastName: "Synthetic",
      email: `customer${index + 1}@example.com`,
      phone: null,
      createdAt: at,
      updatedAt: at,
      address: null,
      tags: [],
      emailMarketing: hash(index, 2) % 2 ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
      smsMarketing: "NOT_SUBSCRIBED",
      note: null,
    };
  };

  const order = (index: number): StoreOrder => {
    const at = iso(START_MS + (index / orderCount) * spanMs);
    const lineItems = Array.from({ length: linesOf(index) }, (_, l) => {
      const product = products[hash(index, 10 + l) % products.length]!;
      const variant = product.variants[0]!;
      return {
        id: LINE_BASE + index * 4 + l + 1,
        productId: product.id,
        variantId: variant.id,
        title: product.title,
        variantTitle: variant.title,
        sku: variant.sku,
        quantity: 1 + (hash(index, 20 + l) % 2),
        priceMinor: variant.priceMinor,
        discountMinor: 0,
      };
    });
    const subtotal = lineItems.reduce((sum, li) => sum + li.priceMinor * li.quantity, 0);
    const shipping = 499;
    const tax = Math.round(subtotal * 0.08);
    const total = subtotal + shipping + tax;
    const refunded = hash(index, 3) % 1000 < REFUND_SHARE_PER_MILLE;
    return {
      id: ORDER_BASE + index + 1,
      name: `#${1001 + index}`,
      customerId: CUSTOMER_BASE + (hash(index, 4) % customerCount) + 1,
      email: null,
      createdAt: at,
      processedAt: at,
      updatedAt: at,
      cancelledAt: null,
      cancelReason: null,
      currencyCode,
      sourceName: hash(index, 5) % 5 === 0 ? "pos" : "web",
      financialStatus: refunded ? "partially_refunded" : "paid",
      lineItems,
      subtotalMinor: subtotal,
      totalDiscountsMinor: 0,
      shippingMinor: shipping,
      taxMinor: tax,
      totalMinor: total,
      refunds: refunded
        ? [{ id: REFUND_BASE + index + 1, createdAt: at, note: null, lineItems: [], amountMinor: shipping }]
        : [],
    };
  };

  const store: SyntheticStore = {
    shop,
    orderCount,
    customerCount,
    customer,
    order,
    lineItemCount() {
      let lines = 0;
      for (let index = 0; index < orderCount; index++) lines += linesOf(index);
      return lines;
    },
  };
  registry.set(options.domain, store);
  return store;
}

/** The GraphQL node of synthetic order `index`, resolvable against a one-order view of the store. */
export function syntheticOrderNode(store: SyntheticStore, index: number): GqlObject {
  const order = store.order(index);
  const customerIndex = (order.customerId ?? CUSTOMER_BASE + 1) - CUSTOMER_BASE - 1;
  const view: StoreShop = { ...store.shop, customers: [store.customer(customerIndex)], orders: [order] };
  return orderNode(view, order);
}

export function syntheticCustomerNode(store: SyntheticStore, index: number): GqlObject {
  const customer = store.customer(index);
  return customerNode({ ...store.shop, customers: [customer] }, customer);
}
