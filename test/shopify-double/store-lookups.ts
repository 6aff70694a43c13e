// Derived facts about store data that several serialisers need (GraphQL nodes, REST payloads).
import type { StoreCustomer, StoreLineItem, StoreOrder, StoreShop } from "./store-data";

export function findCustomer(shop: StoreShop, id: number): StoreCustomer | undefined {
  return shop.customers.find((c) => c.id === id);
}

export function findOrder(shop: StoreShop, id: number): StoreOrder | undefined {
  return shop.orders.find((o) => o.id === id);
}

export function findProduct(shop: StoreShop, id: number) {
  return shop.products.find((p) => p.id === id);
}

export function findVariant(shop: StoreShop, variantId: number) {
  for (const product of shop.products) {
    const variant = product.variants.find((v) => v.id === variantId);
    if (variant) return { product, variant };
  }
  return undefined;
}

export function ordersOfCustomer(shop: StoreShop, customerId: number): StoreOrder[] {
  return shop.orders.filter((o) => o.customerId === customerId);
}

export function refundedMinor(order: StoreOrder): number {
  return order.refunds.reduce((sum, refund) => sum + refund.amountMinor, 0);
}

export function refundedQuantity(order: StoreOrder, lineItem: StoreLineItem): number {
  let quantity = 0;
  for (const refund of order.refunds) {
    for (const line of refund.lineItems) if (line.lineItemId === lineItem.id) quantity += line.quantity;
  }
  return quantity;
}

/** Sum of line prices before discounts (REST total_line_items_price). */
export function lineItemsTotalMinor(order: StoreOrder): number {
  return order.lineItems.reduce((sum, li) => sum + li.priceMinor * li.quantity, 0);
}

/**
 * What the customer has spent: totals of orders that were not cancelled or voided, net of
 * refunds (the figure Shopify shows as "amount spent").
 */
export function amountSpentMinor(shop: StoreShop, customerId: number): number {
  return ordersOfCustomer(shop, customerId)
    .filter((o) => o.cancelledAt === null && o.financialStatus !== "voided")
    .reduce((sum, o) => sum + o.totalMinor - refundedMinor(o), 0);
}

export function lastOrderOf(shop: StoreShop, customerId: number): StoreOrder | undefined {
  return ordersOfCustomer(shop, customerId).reduce<StoreOrder | undefined>(
    (latest, o) => (!latest || Date.parse(o.processedAt) > Date.parse(latest.processedAt) ? o : latest),
    undefined,
  );
}

/** "#1001" → 1001 (REST order_number); falls back to the id when the name has no digits. */
export function orderNumber(order: StoreOrder): number {
  const digits = /\d+/.exec(order.name)?.[0];
  return digits ? Number(digits) : order.id;
}

export function customerDisplayName(c: StoreCustomer): string {
  const name = `${c.firstName} ${c.lastName}`.trim();
  return name || c.email || c.phone || "";
}
