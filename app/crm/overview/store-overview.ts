// The home page's figures for a shop, as plain values the page can show.

export interface StoreOverviewCounts {
  customers: number;
  customersWithOrders: number;
  repeatCustomers: number;
  orders: number;
  netRevenueMinor: bigint;
}

/**
 * Repeat-customer share: customers with two or more (non-cancelled) orders among
 * customers with at least one, the usual "repeat purchase rate". Null with no buyers.
 */
export function repeatCustomerShare(
  counts: Pick<StoreOverviewCounts, "customersWithOrders" | "repeatCustomers">,
): number | null {
  if (counts.customersWithOrders === 0) return null;
  return counts.repeatCustomers / counts.customersWithOrders;
}

export function formatPercent(share: number | null, locale = "en-US"): string {
  if (share === null) return "–";
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(share);
}

/**
 * Up to this many customers and orders, the home page counts the store live on every view (tens
 * of milliseconds); above it, it shows the totals the last analytics run counted.
 */
export const LIVE_COUNT_LIMIT = 50_000;

export const isLargeStore = (size: { customers: number; orders: number }) =>
  size.customers > LIVE_COUNT_LIMIT || size.orders > LIVE_COUNT_LIMIT;
