// The customers/data_request document: everything Kinship holds on one customer, as
// sections. Each area that stores customer data contributes a section (profile and orders
// today; loyalty and surveys add theirs), so the document and the erasure of customers/redact
// always cover the same data. Money is minor units as strings with the currency beside it.
import type { PrismaClient } from "../../db.server";
import type { CustomerRecord, LineItemRecord } from "../profile/profile-records";

/** Whose data a compliance request is about, as Kinship can find it. */
export interface CustomerDataSubject {
  shopId: number;
  shopDomain: string;
  currencyCode: string;
  customerShopifyId: bigint;
  /** Orders named by the request, plus the customer's orders held here. */
  orderShopifyIds: bigint[];
  /** Lower-cased e-mail addresses of the customer (guest orders carry them). */
  emails: string[];
}

/** One area's share of a customer's data: what it hands over, and how it erases it. */
export interface CustomerDataSection {
  key: string;
  title: string;
  collect(db: PrismaClient, subject: CustomerDataSubject): Promise<unknown>;
  /** Erases personal data and keeps anonymous figures; must be idempotent. */
  redact(db: PrismaClient, subject: CustomerDataSubject, at: Date): Promise<void>;
}

export interface CustomerDataDocument {
  format: "kinship.customer-data.v1";
  shopDomain: string;
  requestId: string | null;
  customerShopifyId: string;
  generatedAt: string;
  sections: { key: string; title: string; data: unknown }[];
}

export function customerDataDocument(
  subject: Pick<CustomerDataSubject, "shopDomain" | "customerShopifyId">,
  requestId: string | null,
  generatedAt: Date,
  sections: { key: string; title: string; data: unknown }[],
): CustomerDataDocument {
  return {
    format: "kinship.customer-data.v1",
    shopDomain: subject.shopDomain,
    requestId,
    customerShopifyId: subject.customerShopifyId.toString(),
    generatedAt: generatedAt.toISOString(),
    sections,
  };
}

const money = (minor: bigint | null, currency: string) =>
  minor === null ? null : { amountMinor: minor.toString(), currency };
const iso = (at: Date | null) => at?.toISOString() ?? null;

/** The profile as stored: the record Shopify gave us, plus what Kinship derives from orders. */
export interface CustomerProfileRow extends CustomerRecord {
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  ordersCount: number;
  grossSpentMinor: bigint;
  netSpentMinor: bigint;
  averageOrderValueMinor: bigint | null;
  channels: string[];
  deletedAt: Date | null;
  redactedAt: Date | null;
}

export function profileSectionData(customer: CustomerProfileRow | null, currencyCode: string) {
  if (!customer) return null;
  return {
    shopifyId: customer.shopifyId.toString(),
    firstName: customer.firstName,
    lastName: customer.lastName,
    email: customer.email,
    // Phone and postal address are not stored (they stay in Shopify, read live for Customer 360).
    countryCode: customer.countryCode,
    tags: customer.tags,
    emailMarketingConsent: customer.emailConsent,
    smsMarketingConsent: customer.smsConsent,
    createdAt: iso(customer.shopifyCreatedAt),
    updatedAt: iso(customer.shopifyUpdatedAt),
    deletedAt: iso(customer.deletedAt),
    redactedAt: iso(customer.redactedAt),
    figures: {
      ordersCount: customer.ordersCount,
      firstOrderAt: iso(customer.firstOrderAt),
      lastOrderAt: iso(customer.lastOrderAt),
      grossSpent: money(customer.grossSpentMinor, currencyCode),
      netSpent: money(customer.netSpentMinor, currencyCode),
      averageOrderValue: money(customer.averageOrderValueMinor, currencyCode),
      channels: customer.channels,
    },
  };
}

export interface OrderRow {
  shopifyId: bigint;
  name: string;
  email: string | null;
  currencyCode: string;
  sourceName: string | null;
  financialStatus: string | null;
  processedAt: Date;
  cancelledAt: Date | null;
  subtotalMinor: bigint;
  totalDiscountsMinor: bigint;
  shippingMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
  refundedMinor: bigint;
  lineItems: (LineItemRecord & { refundedQuantity: number })[];
  refunds: { shopifyId: bigint; amountMinor: bigint; refundedAt: Date; lineItems: unknown }[];
}

export function orderSectionData(order: OrderRow) {
  const c = order.currencyCode;
  return {
    shopifyId: order.shopifyId.toString(),
    name: order.name,
    email: order.email,
    sourceName: order.sourceName,
    financialStatus: order.financialStatus,
    processedAt: iso(order.processedAt),
    cancelledAt: iso(order.cancelledAt),
    subtotal: money(order.subtotalMinor, c),
    totalDiscounts: money(order.totalDiscountsMinor, c),
    shipping: money(order.shippingMinor, c),
    tax: money(order.taxMinor, c),
    total: money(order.totalMinor, c),
    refunded: money(order.refundedMinor, c),
    lineItems: order.lineItems.map((line) => ({
      shopifyId: line.shopifyId.toString(),
      productShopifyId: line.productShopifyId?.toString() ?? null,
      variantShopifyId: line.variantShopifyId?.toString() ?? null,
      title: line.title,
      variantTitle: line.variantTitle,
      sku: line.sku,
      quantity: line.quantity,
      refundedQuantity: line.refundedQuantity,
      price: money(line.priceMinor, c),
      discount: money(line.discountMinor, c),
    })),
    refunds: order.refunds.map((refund) => ({
      shopifyId: refund.shopifyId.toString(),
      refundedAt: iso(refund.refundedAt),
      amount: money(refund.amountMinor, c),
      lineItems: refund.lineItems,
    })),
  };
}
