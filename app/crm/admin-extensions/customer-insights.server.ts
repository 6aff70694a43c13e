// The customer details block's data (admin UI extension on Shopify's customer page): one indexed
// query, then the view. Null when the shop does not hold this Shopify customer: another shop's
// customer reads as not found, and nothing of it is returned.
import type { PrismaClient } from "../../db.server";
import { customerInsightsView, type CustomerInsights } from "./customer-insights";
import { findCustomerInsightsRow, type CustomerInsightsRow } from "./customer-insights-row.repository.server";
import { customerRecommendations } from "../recommendations/recommendations.server";
import { recommendationsView } from "../recommendations/recommendations-view";

/** The block shows three picks; the key is left out when there is none (before the first mining). */
const BLOCK_RECOMMENDATIONS = 3;

async function withRecommendations(
  db: PrismaClient,
  row: CustomerInsightsRow,
  insights: CustomerInsights,
): Promise<CustomerInsights> {
  const picked = await customerRecommendations(db, row.shopId, row.customerShopifyId, BLOCK_RECOMMENDATIONS);
  if (!picked || picked.products.length === 0) return insights;
  const view = recommendationsView(picked, row.ianaTimezone);
  return {
    ...insights,
    recommendations: view.products.map((p) => ({ productId: p.id, title: p.title, reason: p.reason })),
  };
}

/** By shop id: what `npm run bench:admin` times (target: under 100 ms at 1,000,000 customers). */
export async function loadCustomerInsights(
  db: PrismaClient,
  shopId: number,
  customerShopifyId: bigint,
): Promise<CustomerInsights | null> {
  const row = await findCustomerInsightsRow(db, { shopId }, customerShopifyId);
  return row ? withRecommendations(db, row, customerInsightsView(row)) : null;
}

/** By the session's shop domain: what the route calls (still one query). */
export async function customerInsightsForShop(
  db: PrismaClient,
  shopDomain: string,
  customerShopifyId: bigint,
): Promise<CustomerInsights | null> {
  const row = await findCustomerInsightsRow(db, { shopDomain }, customerShopifyId);
  return row ? withRecommendations(db, row, customerInsightsView(row)) : null;
}
