// The data a Shopify store holds, as the double keeps it. Shapes follow Shopify's
// resources; amounts are integer minor units so that nothing rounds on the way.
// The double serialises these to GraphQL nodes, Bulk Operation JSONL and REST webhook payloads.

export type MarketingState = "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED" | "PENDING";

export interface StoreCustomer {
  /** Shopify's numeric id (the number in gid://shopify/Customer/<id>). */
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  createdAt: string; // ISO 8601 UTC
  updatedAt: string;
  address: {
    address1: string;
    city: string;
    province: string;
    provinceCode: string;
    country: string;
    countryCode: string;
    zip: string;
  } | null;
  tags: string[];
  emailMarketing: MarketingState;
  smsMarketing: MarketingState;
  note: string | null;
}

export interface StoreLineItem {
  id: number;
  productId: number;
  variantId: number;
  title: string;
  variantTitle: string | null;
  sku: string;
  quantity: number;
  priceMinor: number; // unit price
  discountMinor: number; // total discount allocated to this line
}

export interface StoreRefund {
  id: number;
  createdAt: string;
  note: string | null;
  lineItems: { lineItemId: number; quantity: number; subtotalMinor: number }[];
  /** Money returned to the buyer for this refund (sum of its transactions). */
  amountMinor: number;
}

export interface StoreOrder {
  id: number;
  name: string; // "#1001"
  customerId: number | null;
  email: string | null;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  cancelReason: "customer" | "inventory" | "fraud" | "declined" | "other" | null;
  currencyCode: string;
  sourceName: "web" | "pos" | "shopify_draft_order" | "iphone" | "android";
  financialStatus: "paid" | "partially_refunded" | "refunded" | "voided" | "pending";
  lineItems: StoreLineItem[];
  subtotalMinor: number; // line items after discounts
  totalDiscountsMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number; // subtotal + shipping + tax
  refunds: StoreRefund[];
}

export interface StoreProduct {
  id: number;
  title: string;
  vendor: string;
  productType: string;
  variants: { id: number; title: string; sku: string; priceMinor: number }[];
}

export interface StoreShop {
  domain: string; // kinship-demo.myshopify.com
  name: string;
  email: string;
  currencyCode: string;
  ianaTimezone: string;
  customers: StoreCustomer[];
  orders: StoreOrder[];
  products: StoreProduct[];
}
