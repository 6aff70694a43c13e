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
