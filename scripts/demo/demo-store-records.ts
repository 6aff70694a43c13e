// The demo store's data (Shopify-shaped, from the double) as Kinship's profile records.
import type { CustomerRecord, OrderRecord } from "../../app/crm/profile/profile-records";
import type { StoreCustomer, StoreOrder } from "../../test/shopify-double/store-data";

export function customerRecordOf(customer: StoreCustomer): CustomerRecord {
  return {
    shopifyId: BigInt(customer.id),
    firstName: customer.firstName,
    lastName: customer.lastName,
    email: customer.email,
    countryCode: customer.address?.countryCode ?? null,
    tags: customer.tags,
    emailConsent: customer.emailMarketing,
    smsConsent: customer.smsMarketing,
    shopifyCreatedAt: new Date(customer.createdAt),
    shopifyUpdatedAt: new Date(customer.updatedAt),
  };
}

export function orderRecordOf(order: StoreOrder): OrderRecord {
  return {
    shopifyId: BigInt(order.id),
    customerShopifyId: order.customerId === null ? null : BigInt(order.customerId),
    name: order.name,
    email: order.email,
    currencyCode: order.currencyCode,
    sourceName: order.sourceName,
    financialStatus: order.financialStatus,
    processedAt: new Date(order.processedAt),
    shopifyCreatedAt: new Date(order.createdAt),
    shopifyUpdatedAt: new Date(order.updatedAt),
    cancelledAt: order.cancelledAt ? new Date(order.cancelledAt) : null,
    subtotalMinor: BigInt(order.subtotalMinor),
    totalDiscountsMinor: BigInt(order.totalDiscountsMinor),
    shippingMinor: BigInt(order.shippingMinor),
    taxMinor: BigInt(order.taxMinor),
    totalMinor: BigInt(order.totalMinor),
    lineItems: order.lineItems.map((line) => ({
      shopifyId: BigInt(line.id),
      productShopifyId: BigInt(line.productId),
      variantShopifyId: BigInt(line.variantId),
      title: line.title,
      variantTitle: line.variantTitle,
      sku: line.sku,
      quantity: line.quantity,
      priceMinor: BigInt(line.priceMinor),
      discountMinor: BigInt(line.discountMinor),
    })),
    refunds: order.refunds.map((refund) => ({
      shopifyId: BigInt(refund.id),
      orderShopifyId: BigInt(order.id),
      refundedAt: new Date(refund.createdAt),
      amountMinor: BigInt(refund.amountMinor),
      lineItems: refund.lineItems.map((line) => ({
        lineItemShopifyId: BigInt(line.lineItemId),
        quantity: line.quantity,
        subtotalMinor: BigInt(line.subtotalMinor),
      })),
    })),
  };
}
