// The storefront's "picked for you" (GET /apps/kinship/recommendations through the app proxy).
// The route has verified Shopify's signature; this answers for `logged_in_customer_id` only,
// and a logged-out visitor (or an unknown customer) gets the shop's popular products.
import type { PrismaClient } from "../../db.server";
import { findShopByDomain } from "../shop/shop.repository.server";
import { popularProductsOf } from "./next-best-products.repository.server";
import { customerRecommendations, RECOMMENDATIONS_SHOWN, type RecommendedProduct } from "./recommendations.server";

export interface RecommendationsProxyRequest {
  shopDomain: string;
  customerShopifyId: bigint | null;
  method: string;
  /** The path after /apps/kinship/. */
  path: string;
}

export const isRecommendationsPath = (path: string | undefined) => /^recommendations\/?$/.test(path ?? "");

const view = (product: RecommendedProduct) => ({
  productId: product.productShopifyId,
  productGid: `gid://shopify/Product/${product.productShopifyId}`,
  title: product.title,
  reason: product.source,
});

export async function handleRecommendationsProxy(
  db: PrismaClient,
  request: RecommendationsProxyRequest,
): Promise<{ status: number; body: unknown }> {
  if (request.method.toUpperCase() !== "GET") return { status: 405, body: { error: "method_not_allowed" } };
  const shop = await findShopByDomain(db, request.shopDomain);
  if (!shop) return { status: 404, body: { error: "unknown_shop" } };
  const personal =
    request.customerShopifyId === null
      ? null
      : await customerRecommendations(db, shop.id, request.customerShopifyId, RECOMMENDATIONS_SHOWN);
  const products = personal?.products ?? (await popularProductsOf(db, shop.id, RECOMMENDATIONS_SHOWN));
  return { status: 200, body: { personal: personal !== null, products: products.map(view) } };
}
