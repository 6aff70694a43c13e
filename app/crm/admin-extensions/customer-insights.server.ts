// The customer details block's data (admin UI extension on Shopify's customer page): one indexed
// query, then the view. Null when the shop does not hold this Shopify customer: another shop's
// customer reads as not found, and nothing of it is returned.
import type { PrismaClient } from "../../db.server";
import { customerInsightsView, type CustomerInsights } from "./customer-insights";
import { findCustomerInsightsRow } from "./customer-insights-row.repository.server";

/** By shop id: what `npm run bench:admin` times (target: under 100 ms at 1,000,000 customers). */
export async function loadCustomerInsights(
  db: PrismaClient,
  shopId: number,
  customerShopifyId: bigint,
): Promise<CustomerInsights | null> {
  const row = await findCustomerInsightsRow(db, { shopId }, customerShopifyId);
  return row ? customerInsightsView(row) : null;
}

/** By the session's shop domain: what the route calls (still one query). */
export async function customerInsightsForShop(
  db: PrismaClient,
  shopDomain: string,
  customerShopifyId: bigint,
): Promise<CustomerInsights | null> {
  const row = await findCustomerInsightsRow(db, { shopDomain }, customerShopifyId);
  return row ? customerInsightsView(row) : null;
}
