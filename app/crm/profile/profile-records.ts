// Customers and orders as Kinship stores them, whatever they came from: a webhook's REST
// payload, a Bulk Operation's JSONL, or the demo store. Each source maps to these records;
// one repository writes them (profile-records.repository.server.ts).

export interface CustomerRecord {
  shopifyId: bigint;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  /**
   * Phone and postal address are not stored (privacy: search needs name and e-mail only, the
   * country filter its code); Customer 360 reads them live from Shopify.
   */
  countryCode: string | null;
  tags: string[];
  /** Shopify's marketing state: SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED, PENDING, … */
  emailConsent: string;
  smsConsent: string;
  shopifyCreatedAt: Date;
  shopifyUpdatedAt: Date;
}

export interface LineItemRecord {
  shopifyId: bigint;
  productShopifyId: bigint | null;
  variantShopifyId: bigint | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  /** Unit price before discounts, in minor units. */
  priceMinor: bigint;
  /** Discount allocated to the whole line, in minor units. */
  discountMinor: bigint;
}

export interface RefundLineRecord {
  lineItemShopifyId: bigint;
  quantity: number;
  subtotalMinor: bigint;
}

export interface RefundRecord {
  shopifyId: bigint;
  orderShopifyId: bigint;
  refundedAt: Date;
  /** Money returned to the buyer (sum of the refund's successful refund transactions). */
  amountMinor: bigint;
  lineItems: RefundLineRecord[];
}

export interface OrderRecord {
  shopifyId: bigint;
  customerShopifyId: bigint | null;
  name: string;
  email: string | null;
  currencyCode: string;
  sourceName: string | null;
  financialStatus: string | null;
  processedAt: Date;
  shopifyCreatedAt: Date;
  shopifyUpdatedAt: Date;
  cancelledAt: Date | null;
  subtotalMinor: bigint;
  totalDiscountsMinor: bigint;
  shippingMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
  lineItems: LineItemRecord[];
  refunds: RefundRecord[];
}

/** Parses Shopify's numeric id out of a gid (`gid://shopify/Order/123`) or a plain number. */
export function shopifyIdOf(value: string | number | bigint): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return BigInt(value);
  const match = /(\d+)(?:\?.*)?$/.exec(value);
  if (!match) throw new RangeError(`Not a Shopify id: ${value}`);
  return BigInt(match[1]!);
}
