// How Customer 360 and the admin block word a customer's recommendations. Pure.
import { formatShopDateTime } from "../../lib/shop-time";
import type { CustomerRecommendations, RecommendedProduct } from "./recommendations.server";

const REASONS: Record<RecommendedProduct["source"], string> = {
  co_purchase: "Often bought with their purchases",
  popular: "Popular in the shop",
};

export interface RecommendationsView {
  products: { id: string; title: string; reason: string }[];
  /** "Computed …" in the shop's zone; null before the first mining. */
  minedAt: string | null;
}

export function recommendationsView(recommendations: CustomerRecommendations, timeZone: string): RecommendationsView {
  return {
    products: recommendations.products.map((product) => ({
      id: product.productShopifyId,
      title: product.title,
      reason: REASONS[product.source],
    })),
    minedAt: recommendations.minedAt ? formatShopDateTime(recommendations.minedAt, timeZone) : null,
  };
}
