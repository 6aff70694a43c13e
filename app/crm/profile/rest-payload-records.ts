// Webhook payloads (Shopify's REST resources) as profile records. Parsed with zod: a
// payload that is not what Shopify sends is refused with a clear error, never half-applied.
// Amounts are read from `*_set.shop_money` (the shop's currency), as exact decimals.
import { z } from "zod";

import { decimalStringToMinor } from "../money/money";
import type { CustomerRecord, OrderRecord, RefundRecord } from "./profile-records";

const id = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform((value) => BigInt(value));
const timestamp = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), "not a date-time")
  .transform((value) => new Date(value));
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, "not a decimal amount");
const moneySet = z.object({ shop_money: z.object({ amount: decimal, currency_code: z.string().length(3) }) });

const consent = z.object({ state: z.string() }).nullish();

const customerPayload = z.object({
  id,
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  created_at: timestamp,
  updated_at: timestamp,
  tags: z.string().nullish(),
  email_marketing_consent: consent,
  sms_marketing_consent: consent,
  // Only the country code of the address is kept (the country filter); phone and the rest of the
  // address are not read at all (PRIVACY.md: not needed, so not stored).
  default_address: z.object({ country_code: z.string().nullish() }).nullish(),
});

const refundPayload = z.object({
  id,
  order_id: id,
  created_at: timestamp,
  refund_line_items: z
    .array(z.object({ line_item_id: id, quantity: z.number().int().nonnegative(), subtotal_set: moneySet }))
    .default([]),
  transactions: z
    .array(
      z.object({ kind: z.string(), status: z.string(), amount: decimal, currency: z.string().length(3).nullish() }),
    )
    .default([]),
});

const orderPayload = z.object({
  id,
  name: z.string(),
  email: z.string().nullish(),
  created_at: timestamp,
  updated_at: timestamp,
  processed_at: timestamp.nullish(),
  cancelled_at: timestamp.nullish(),
  currency: z.string().length(3),
  financial_status: z.string().nullish(),
  source_name: z.string().nullish(),
  subtotal_price_set: moneySet,
  total_price_set: moneySet,
  total_discounts_set: moneySet,
  total_tax_set: moneySet,
  total_shipping_price_set: moneySet,
  customer: z.object({ id }).nullish(),
  line_items: z.array(
    z.object({
      id,
      product_id: id.nullish(),
      variant_id: id.nullish(),
      title: z.string(),
      variant_title: z.string().nullish(),
      sku: z.string().nullish(),
      quantity: z.number().int().nonnegative(),
      price_set: moneySet,
      total_discount_set: moneySet,
    }),
  ),
  refunds: z.array(refundPayload).default([]),
});

export class PayloadError extends Error {
  readonly code = "invalid_payload";
  constructor(topic: string, issue: z.core.$ZodIssue | undefined) {
    super(
      `${topic} payload is invalid: ${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "unknown"}`,
    );
    this.name = "PayloadError";
  }
}

function parse<T extends z.ZodType>(schema: T, payload: unknown, topic: string): z.infer<T> {
  const result = schema.safeParse(payload);
  if (!result.success) throw new PayloadError(topic, result.error.issues[0]);
  return result.data;
}

const minor = (set: z.infer<typeof moneySet>) =>
  decimalStringToMinor(set.shop_money.amount, set.shop_money.currency_code);
const marketingState = (value: { state: string } | null | undefined) => value?.state.toUpperCase() ?? "NOT_SUBSCRIBED";

export function customerRecordFromPayload(payload: unknown): CustomerRecord {
  const customer = parse(customerPayload, payload, "customer");
  return {
    shopifyId: customer.id,
    firstName: customer.first_name ?? null,
    lastName: customer.last_name ?? null,
    email: customer.email ?? null,
    countryCode: customer.default_address?.country_code ?? null,
    tags: (customer.tags ?? "")
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
    emailConsent: marketingState(customer.email_marketing_consent),
    smsConsent: marketingState(customer.sms_marketing_consent),
    shopifyCreatedAt: customer.created_at,
    shopifyUpdatedAt: customer.updated_at,
  };
}

function refundRecordOf(refund: z.infer<typeof refundPayload>, currencyCode: string): RefundRecord {
  // What went back to the buyer: the successful refund transactions (a refund may also
  // just restock, with no money moving).
  const amountMinor = refund.transactions
    .filter((transaction) => transaction.kind === "refund" && transaction.status === "success")
    .reduce(
      (sum, transaction) => sum + decimalStringToMinor(transaction.amount, transaction.currency ?? currencyCode),
      0n,
    );
  return {
    shopifyId: refund.id,
    orderShopifyId: refund.order_id,
    refundedAt: refund.created_at,
    amountMinor,
    lineItems: refund.refund_line_items.map((line) => ({
      lineItemShopifyId: line.line_item_id,
      quantity: line.quantity,
      subtotalMinor: minor(line.subtotal_set),
    })),
  };
}

export function refundRecordFromPayload(payload: unknown, shopCurrency: string): RefundRecord {
  return refundRecordOf(parse(refundPayload, payload, "refund"), shopCurrency);
}

export function orderRecordFromPayload(payload: unknown): OrderRecord {
  const order = parse(orderPayload, payload, "order");
  return {
    shopifyId: order.id,
    customerShopifyId: order.customer?.id ?? null,
    name: order.name,
    email: order.email ?? null,
    currencyCode: order.total_price_set.shop_money.currency_code,
    sourceName: order.source_name ?? null,
    financialStatus: order.financial_status ?? null,
    processedAt: order.processed_at ?? order.created_at,
    shopifyCreatedAt: order.created_at,
    shopifyUpdatedAt: order.updated_at,
    cancelledAt: order.cancelled_at ?? null,
    subtotalMinor: minor(order.subtotal_price_set),
    totalDiscountsMinor: minor(order.total_discounts_set),
    shippingMinor: minor(order.total_shipping_price_set),
    taxMinor: minor(order.total_tax_set),
    totalMinor: minor(order.total_price_set),
    lineItems: order.line_items.map((line) => ({
      shopifyId: line.id,
      productShopifyId: line.product_id ?? null,
      variantShopifyId: line.variant_id ?? null,
      title: line.title,
      variantTitle: line.variant_title ?? null,
      sku: line.sku ?? null,
      quantity: line.quantity,
      priceMinor: minor(line.price_set),
      discountMinor: minor(line.total_discount_set),
    })),
    refunds: order.refunds.map((refund) => refundRecordOf(refund, order.currency)),
  };
}

/** customers/delete carries only the id. */
export function deletedCustomerIdFromPayload(payload: unknown): bigint {
  return parse(z.object({ id }), payload, "customers/delete").id;
}
