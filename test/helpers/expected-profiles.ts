// What a store's data implies for each customer profile, computed independently in
// TypeScript from the Shopify-side data (the rules of customer-aggregates.repository).
import type { StoreShop } from "../shopify-double/store-data";

export interface ExpectedProfile {
  ordersCount: number;
  grossSpentMinor: bigint;
  netSpentMinor: bigint;
  tags: string[];
}

export function expectedProfiles(store: StoreShop): Map<bigint, ExpectedProfile> {
  const profiles = new Map<bigint, ExpectedProfile>(
    store.customers.map((c) => [
      BigInt(c.id),
      { ordersCount: 0, grossSpentMinor: 0n, netSpentMinor: 0n, tags: c.tags },
    ]),
  );
  for (const order of store.orders) {
    if (order.customerId === null || order.cancelledAt) continue;
    const profile = profiles.get(BigInt(order.customerId));
    if (!profile) continue;
    const refunded = order.refunds.reduce((sum, refund) => sum + BigInt(refund.amountMinor), 0n);
    profile.ordersCount += 1;
    profile.grossSpentMinor += BigInt(order.totalMinor);
    profile.netSpentMinor += BigInt(order.totalMinor) - refunded;
  }
  return profiles;
}
