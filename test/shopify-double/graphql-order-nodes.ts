// GraphQL Order, LineItem, Refund and RefundLineItem objects (2026-07 field names) over StoreOrder.
import { moneyBag, productNodeById, variantNodeById } from "./graphql-common-nodes";
import { paginate } from "./graphql-connection";
import { customerNode } from "./graphql-customer-nodes";
import { type FieldArgs, type GqlObject, intArg } from "./graphql-types";
import { gid, refundLineItemId } from "./ids";
import type { StoreLineItem, StoreOrder, StoreRefund, StoreShop } from "./store-data";
import { findCustomer, findProduct, refundedMinor, refundedQuantity } from "./store-lookups";
import { graphqlDateTime, graphqlDateTimeOrNull } from "./time";

export function lineItemNode(shop: StoreShop, order: StoreOrder, li: StoreLineItem): GqlObject {
  const bag = (minor: number) => moneyBag(minor, order.currencyCode);
  const currentQuantity = li.quantity - refundedQuantity(order, li);
  return {
    __typename: "LineItem",
    id: gid("LineItem", li.id),
    title: li.title,
    name: li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title,
    variantTitle: li.variantTitle,
    sku: li.sku,
    vendor: findProduct(shop, li.productId)?.vendor ?? null,
    quantity: li.quantity,
    currentQuantity,
    refundableQuantity: currentQuantity,
    isGiftCard: false,
    product: () => productNodeById(shop, li.productId),
    variant: () => variantNodeById(shop, li.variantId),
    originalUnitPriceSet: bag(li.priceMinor),
    originalTotalSet: bag(li.priceMinor * li.quantity),
    totalDiscountSet: bag(li.discountMinor),
    discountedTotalSet: bag(li.priceMinor * li.quantity - li.discountMinor),
  };
}

function refundLineItemNode(shop: StoreShop, order: StoreOrder, refund: StoreRefund, index: number): GqlObject {
  const line = refund.lineItems[index]!;
  const li = order.lineItems.find((l) => l.id === line.lineItemId);
  return {
    __typename: "RefundLineItem",
    id: gid("RefundLineItem", refundLineItemId(refund.id, index)),
    lineItem: li ? lineItemNode(shop, order, li) : null,
    quantity: line.quantity,
    subtotalSet: moneyBag(line.subtotalMinor, order.currencyCode),
    restockType: "NO_RESTOCK",
    restocked: false,
  };
}

export function refundNode(shop: StoreShop, order: StoreOrder, refund: StoreRefund): GqlObject {
  const indexes = refund.lineItems.map((_, i) => i);
  return {
    __typename: "Refund",
    id: gid("Refund", refund.id),
    legacyResourceId: String(refund.id),
    createdAt: graphqlDateTime(refund.createdAt),
    processedAt: graphqlDateTime(refund.createdAt),
    updatedAt: graphqlDateTime(refund.createdAt),
    note: refund.note,
    totalRefundedSet: moneyBag(refund.amountMinor, order.currencyCode),
    order: () => orderNode(shop, order),
    refundLineItems: (args: FieldArgs) =>
      paginate(indexes, args, { value: (i) => i, id: (i) => refundLineItemId(refund.id, i) }, "RefundLineItem", (i) =>
        refundLineItemNode(shop, order, refund, i),
      ),
  };
}

export function orderNode(shop: StoreShop, order: StoreOrder): GqlObject {
  const bag = (minor: number) => moneyBag(minor, order.currencyCode);
  const refunded = refundedMinor(order);
  return {
    __typename: "Order",
    id: gid("Order", order.id),
    legacyResourceId: String(order.id),
    name: order.name,
    email: order.email,
    createdAt: graphqlDateTime(order.createdAt),
    processedAt: graphqlDateTime(order.processedAt),
    updatedAt: graphqlDateTime(order.updatedAt),
    cancelledAt: graphqlDateTimeOrNull(order.cancelledAt),
    cancelReason: order.cancelReason?.toUpperCase() ?? null,
    displayFinancialStatus: order.financialStatus.toUpperCase(),
    sourceName: order.sourceName,
    test: false,
    tags: [],
    note: null,
    currencyCode: order.currencyCode,
    presentmentCurrencyCode: order.currencyCode,
    customer: () => {
      const customer = order.customerId === null ? undefined : findCustomer(shop, order.customerId);
      return customer ? customerNode(shop, customer) : null;
    },
    subtotalLineItemsQuantity: order.lineItems.reduce((sum, li) => sum + li.quantity, 0),
    subtotalPriceSet: bag(order.subtotalMinor),
    totalPriceSet: bag(order.totalMinor),
    totalDiscountsSet: bag(order.totalDiscountsMinor),
    totalShippingPriceSet: bag(order.shippingMinor),
    totalTaxSet: bag(order.taxMinor),
    totalRefundedSet: bag(refunded),
    currentTotalPriceSet: bag(order.totalMinor - refunded),
    lineItems: (args: FieldArgs) =>
      paginate(order.lineItems, args, { value: (li) => li.id, id: (li) => li.id }, "LineItem", (li) =>
        lineItemNode(shop, order, li),
      ),
    refunds: (args: FieldArgs) => {
      const first = intArg(args, "first");
      const refunds = first === null ? order.refunds : order.refunds.slice(0, first);
      return refunds.map((refund) => refundNode(shop, order, refund));
    },
  };
}
