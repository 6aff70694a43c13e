// Bulk Operation objects (the Admin GraphQL shapes of bulk-queries.ts) as profile records.
// Ids come from gids; money is `shopMoney.amount` (the shop's currency) as exact decimals.
//
// Refunds carry their amount (totalRefundedSet) and date but no refund line items: Shopify
// does not allow `refundLineItems` (a connection) inside `Order.refunds` (a list) in a bulk
// query, so history refunds have `lineItems: []` and refunded quantities start at 0 until
// a refunds/create webhook or a repository change fills them (see the history README note).
import { decimalStringToMinor } from "../money/money";
import type { CustomerRecord, LineItemRecord, OrderRecord, RefundRecord } from "../profile/profile-records";
import { shopifyIdOf } from "../profile/profile-records";
import type { BulkObject, BulkObjectGroup } from "./bulk-jsonl";

export class HistoryRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HistoryRecordError";
  }
}

type Money = { shopMoney?: { amount?: unknown } } | null | undefined;

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function date(value: unknown, what: string): Date {
  const at = typeof value === "string" ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime())) throw new HistoryRecordError(`${what} is not a date-time`);
  return at;
}

function minor(money: unknown, currencyCode: string): bigint {
  const amount = (money as Money)?.shopMoney?.amount;
  if (amount === undefined || amount === null) return 0n;
  if (typeof amount !== "string") throw new HistoryRecordError("money amount is not a decimal string");
  return decimalStringToMinor(amount, currencyCode);
}

function idOf(value: unknown): bigint | null {
  const id = (value as { id?: unknown } | null | undefined)?.id;
  return typeof id === "string" ? shopifyIdOf(id) : null;
}

export function customerRecordOf(node: BulkObject): CustomerRecord {
  const email = node.defaultEmailAddress as { emailAddress?: string; marketingState?: string } | null;
  // Phone number and postal address are not asked for (not stored: PRIVACY.md); of the address
  // only the country code is, for the country filter.
  const phone = node.defaultPhoneNumber as { marketingState?: string } | null | undefined;
  const address = node.defaultAddress as { countryCodeV2?: string } | null;
  return {
    shopifyId: shopifyIdOf(node.id),
    firstName: text(node.firstName),
    lastName: text(node.lastName),
    email: text(email?.emailAddress),
    countryCode: text(address?.countryCodeV2),
    tags: Array.isArray(node.tags) ? node.tags.filter((tag): tag is string => typeof tag === "string") : [],
    emailConsent: email?.marketingState ?? "NOT_SUBSCRIBED",
    // 2026-07 deprecates every SMS consent field (CustomerPhoneNumber.marketingState and
    // Customer.smsMarketingConsent) with no replacement on Customer; the queries do not ask.
    smsConsent: phone?.marketingState ?? "NOT_SUBSCRIBED",
    shopifyCreatedAt: date(node.createdAt, "customer createdAt"),
    shopifyUpdatedAt: date(node.updatedAt, "customer updatedAt"),
  };
}

function lineItemRecordOf(node: BulkObject, currencyCode: string): LineItemRecord {
  return {
    shopifyId: shopifyIdOf(node.id),
    productShopifyId: idOf(node.product),
    variantShopifyId: idOf(node.variant),
    title: typeof node.title === "string" ? node.title : "",
    variantTitle: text(node.variantTitle),
    sku: text(node.sku),
    quantity: typeof node.quantity === "number" ? node.quantity : 0,
    priceMinor: minor(node.originalUnitPriceSet, currencyCode),
    discountMinor: minor(node.totalDiscountSet, currencyCode),
  };
}

/** An order line with its line items (children with `__parentId`), in the shop's currency. */
export function orderRecordOf(group: BulkObjectGroup, currencyCode: string): OrderRecord {
  const node = group.root;
  const orderShopifyId = shopifyIdOf(node.id);
  const processedAt = date(node.processedAt, "order processedAt");
  const refunds: RefundRecord[] = (Array.isArray(node.refunds) ? (node.refunds as BulkObject[]) : []).map((refund) => ({
    shopifyId: shopifyIdOf(refund.id),
    orderShopifyId,
    refundedAt: refund.createdAt ? date(refund.createdAt, "refund createdAt") : processedAt,
    amountMinor: minor(refund.totalRefundedSet, currencyCode),
    lineItems: [],
  }));
  const status = text(node.displayFinancialStatus);
  return {
    shopifyId: orderShopifyId,
    customerShopifyId: idOf(node.customer),
    name: typeof node.name === "string" ? node.name : "",
    email: text(node.email),
    currencyCode,
    sourceName: text(node.sourceName),
    // Lower case, as the REST payloads of webhooks spell it.
    financialStatus: status ? status.toLowerCase() : null,
    processedAt,
    shopifyCreatedAt: date(node.createdAt, "order createdAt"),
    shopifyUpdatedAt: date(node.updatedAt, "order updatedAt"),
    cancelledAt: node.cancelledAt ? date(node.cancelledAt, "order cancelledAt") : null,
    subtotalMinor: minor(node.subtotalPriceSet, currencyCode),
    totalDiscountsMinor: minor(node.totalDiscountsSet, currencyCode),
    shippingMinor: minor(node.totalShippingPriceSet, currencyCode),
    taxMinor: minor(node.totalTaxSet, currencyCode),
    totalMinor: minor(node.totalPriceSet, currencyCode),
    lineItems: group.children
      .filter((child) => child.__parentId === node.id && child.id.includes("/LineItem/"))
      .map((child) => lineItemRecordOf(child, currencyCode)),
    refunds,
  };
}
