// Webhook payloads in the shape of Shopify's Admin REST resources (customer, order, refund,
// shop) and the compliance topics, built from store data. Amounts are decimal strings from
// minor units; timestamps are in the shop's time zone with its offset, as REST prints them.
// Fields the store data cannot supply truthfully are left out rather than invented.
import { gid, refundLineItemId, refundTransactionId, shopNumericId } from "./ids";
import { formatMinor } from "./money";
import type { MarketingState, StoreCustomer, StoreLineItem, StoreOrder, StoreRefund, StoreShop } from "./store-data";
import {
  findCustomer,
  findProduct,
  lineItemsTotalMinor,
  orderNumber,
  refundedMinor,
  refundedQuantity,
} from "./store-lookups";
import { formatOffset, restDateTime, restDateTimeOrNull, timeZoneOffsetMinutes } from "./time";

type Json = Record<string, unknown>;

function priceSet(minor: number, currency: string): Json {
  const money = { amount: formatMinor(minor, currency), currency_code: currency };
  return { shop_money: money, presentment_money: money };
}

function consent(state: MarketingState, channel: "email" | "sms"): Json {
  const optedIn = state === "SUBSCRIBED" || state === "UNSUBSCRIBED";
  return {
    state: state.toLowerCase(),
    opt_in_level: optedIn ? "single_opt_in" : channel === "sms" ? "unknown" : null,
    consent_updated_at: null,
    ...(channel === "sms" ? { consent_collected_from: "OTHER" } : {}),
  };
}

function addressPayload(c: StoreCustomer): Json | null {
  const a = c.address;
  if (!a) return null;
  return {
    id: c.id,
    customer_id: c.id,
    first_name: c.firstName,
    last_name: c.lastName,
    company: null,
    address1: a.address1,
    address2: null,
    city: a.city,
    province: a.province,
    country: a.country,
    zip: a.zip,
    phone: c.phone,
    name: `${c.firstName} ${c.lastName}`.trim(),
    province_code: a.provinceCode,
    country_code: a.countryCode,
    country_name: a.country,
    default: true,
  };
}

/** customers/create, customers/update: the REST Customer resource. */
export function customerPayload(shop: StoreShop, c: StoreCustomer): Json {
  const address = addressPayload(c);
  return {
    id: c.id,
    email: c.email,
    created_at: restDateTime(c.createdAt, shop.ianaTimezone),
    updated_at: restDateTime(c.updatedAt, shop.ianaTimezone),
    first_name: c.firstName,
    last_name: c.lastName,
    state: "disabled",
    note: c.note,
    verified_email: c.email !== null,
    multipass_identifier: null,
    tax_exempt: false,
    phone: c.phone,
    email_marketing_consent: c.email === null ? null : consent(c.emailMarketing, "email"),
    sms_marketing_consent: c.phone === null ? null : consent(c.smsMarketing, "sms"),
    tags: c.tags.join(", "),
    currency: shop.currencyCode,
    tax_exemptions: [],
    admin_graphql_api_id: gid("Customer", c.id),
    default_address: address,
    addresses: address ? [address] : [],
  };
}

function lineItemPayload(shop: StoreShop, order: StoreOrder, li: StoreLineItem): Json {
  const currency = order.currencyCode;
  return {
    id: li.id,
    admin_graphql_api_id: gid("LineItem", li.id),
    product_id: li.productId,
    variant_id: li.variantId,
    product_exists: findProduct(shop, li.productId) !== undefined,
    title: li.title,
    variant_title: li.variantTitle,
    name: li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title,
    sku: li.sku,
    vendor: findProduct(shop, li.productId)?.vendor ?? null,
    quantity: li.quantity,
    current_quantity: li.quantity - refundedQuantity(order, li),
    price: formatMinor(li.priceMinor, currency),
    price_set: priceSet(li.priceMinor, currency),
    total_discount: formatMinor(li.discountMinor, currency),
    total_discount_set: priceSet(li.discountMinor, currency),
    gift_card: false,
  };
}

/** refunds/create, and each entry of an order's `refunds`. */
export function refundPayload(shop: StoreShop, order: StoreOrder, refund: StoreRefund): Json {
  const currency = order.currencyCode;
  const tz = shop.ianaTimezone;
  return {
    id: refund.id,
    admin_graphql_api_id: gid("Refund", refund.id),
    order_id: order.id,
    created_at: restDateTime(refund.createdAt, tz),
    processed_at: restDateTime(refund.createdAt, tz),
    note: refund.note,
    restock: false,
    user_id: null,
    order_adjustments: [],
    duties: [],
    refund_line_items: refund.lineItems.map((line, index) => {
      const li = order.lineItems.find((l) => l.id === line.lineItemId);
      return {
        id: refundLineItemId(refund.id, index),
        line_item_id: line.lineItemId,
        location_id: null,
        quantity: line.quantity,
        restock_type: "no_restock",
        subtotal: formatMinor(line.subtotalMinor, currency),
        subtotal_set: priceSet(line.subtotalMinor, currency),
        line_item: li ? lineItemPayload(shop, order, li) : null,
      };
    }),
    transactions: [
      {
        id: refundTransactionId(refund.id),
        admin_graphql_api_id: gid("OrderTransaction", refundTransactionId(refund.id)),
        order_id: order.id,
        kind: "refund",
        status: "success",
        amount: formatMinor(refund.amountMinor, currency),
        currency,
        created_at: restDateTime(refund.createdAt, tz),
        processed_at: restDateTime(refund.createdAt, tz),
        test: false,
      },
    ],
  };
}

/** orders/create, orders/updated, orders/paid, orders/cancelled: the REST Order resource. */
export function orderPayload(shop: StoreShop, order: StoreOrder): Json {
  const currency = order.currencyCode;
  const tz = shop.ianaTimezone;
  const money = (minor: number) => formatMinor(minor, currency);
  const customer = order.customerId === null ? undefined : findCustomer(shop, order.customerId);
  const refunded = refundedMinor(order);
  const number = orderNumber(order);
  const { addresses: _omitted, ...customerFields } = customer ? customerPayload(shop, customer) : { addresses: null };
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    name: order.name,
    order_number: number,
    // REST `number` counts orders from 1; order_number starts at 1001.
    number: number > 1000 ? number - 1000 : number,
    email: order.email,
    contact_email: order.email,
    created_at: restDateTime(order.createdAt, tz),
    updated_at: restDateTime(order.updatedAt, tz),
    processed_at: restDateTime(order.processedAt, tz),
    cancelled_at: restDateTimeOrNull(order.cancelledAt, tz),
    cancel_reason: order.cancelReason,
    closed_at: null,
    currency,
    presentment_currency: currency,
    financial_status: order.financialStatus,
    fulfillment_status: null,
    source_name: order.sourceName,
    test: false,
    taxes_included: false,
    tags: "",
    note: null,
    subtotal_price: money(order.subtotalMinor),
    subtotal_price_set: priceSet(order.subtotalMinor, currency),
    total_price: money(order.totalMinor),
    total_price_set: priceSet(order.totalMinor, currency),
    total_discounts: money(order.totalDiscountsMinor),
    total_discounts_set: priceSet(order.totalDiscountsMinor, currency),
    total_tax: money(order.taxMinor),
    total_tax_set: priceSet(order.taxMinor, currency),
    total_shipping_price_set: priceSet(order.shippingMinor, currency),
    total_line_items_price: money(lineItemsTotalMinor(order)),
    total_line_items_price_set: priceSet(lineItemsTotalMinor(order), currency),
    current_total_price: money(order.totalMinor - refunded),
    current_total_price_set: priceSet(order.totalMinor - refunded, currency),
    customer: customer ? customerFields : null,
    line_items: order.lineItems.map((li) => lineItemPayload(shop, order, li)),
    refunds: order.refunds.map((refund) => refundPayload(shop, order, refund)),
  };
}

function complianceCustomer(c: StoreCustomer): Json {
  return { id: c.id, email: c.email, phone: c.phone };
}

/** customers/redact. By default every order of the customer is to be redacted. */
export function customerRedactPayload(shop: StoreShop, customer: StoreCustomer, ordersToRedact?: number[]): Json {
  return {
    shop_id: shopNumericId(shop.domain),
    shop_domain: shop.domain,
    customer: complianceCustomer(customer),
    orders_to_redact: ordersToRedact ?? shop.orders.filter((o) => o.customerId === customer.id).map((o) => o.id),
  };
}

/** customers/data_request. */
export function customerDataRequestPayload(
  shop: StoreShop,
  customer: StoreCustomer,
  opts: { dataRequestId?: number; ordersRequested?: number[] } = {},
): Json {
  return {
    shop_id: shopNumericId(shop.domain),
    shop_domain: shop.domain,
    orders_requested: opts.ordersRequested ?? shop.orders.filter((o) => o.customerId === customer.id).map((o) => o.id),
    customer: complianceCustomer(customer),
    data_request: { id: opts.dataRequestId ?? customer.id },
  };
}

/** shop/redact (sent 48 hours after uninstall). */
export function shopRedactPayload(shop: StoreShop): Json {
  return { shop_id: shopNumericId(shop.domain), shop_domain: shop.domain };
}

/** app/uninstalled: the REST Shop resource. */
export function appUninstalledPayload(shop: StoreShop): Json {
  const offset = timeZoneOffsetMinutes(shop.ianaTimezone, new Date());
  return {
    id: shopNumericId(shop.domain),
    name: shop.name,
    email: shop.email,
    customer_email: shop.email,
    domain: shop.domain,
    myshopify_domain: shop.domain,
    currency: shop.currencyCode,
    enabled_presentment_currencies: [shop.currencyCode],
    iana_timezone: shop.ianaTimezone,
    timezone: `(GMT${formatOffset(offset)}) ${shop.ianaTimezone}`,
    primary_locale: "en",
    taxes_included: false,
  };
}
