// One customer's "picked for you" list, for Customer 360, the admin block and the storefront
// widget: computed on read from the shop's mined rules (no per-customer table to keep fresh at a
// million customers), with the titles the order lines gave the products (no Shopify call per view).
import type { PrismaClient } from "../../db.server";
import {
  findCustomerForRecommendations,
  lastMining,
  nextBestProductsOf,
  type RecommendedProduct,
} from "./next-best-products.repository.server";

export type { RecommendedProduct };

/** How many products the admin surfaces and the storefront widget show. */
export const RECOMMENDATIONS_SHOWN = 5;

export interface CustomerRecommendations {
  products: RecommendedProduct[];
  /** When the shop's rules were last mined; null before the first mining (the list is then empty). */
  minedAt: Date | null;
}

/** Null when the shop does not hold this Shopify customer (another shop's included). */
export async function customerRecommendations(
  db: PrismaClient,
  shopId: number,
  customerShopifyId: bigint,
  limit = RECOMMENDATIONS_SHOWN,
): Promise<CustomerRecommendations | null> {
  const customer = await findCustomerForRecommendations(db, shopId, customerShopifyId);
  return customer ? recommendationsForCustomer(db, shopId, customer.id, limit) : null;
}

/** By Kinship's customer id, for callers that already hold the shop's customer (Customer 360). */
export async function recommendationsForCustomer(
  db: PrismaClient,
  shopId: number,
  customerId: bigint,
  limit = RECOMMENDATIONS_SHOWN,
): Promise<CustomerRecommendations> {
  const [products, mining] = await Promise.all([
    nextBestProductsOf(db, shopId, [customerId], limit),
    lastMining(db, shopId),
  ]);
  return { products: products.get(customerId) ?? [], minedAt: mining?.minedAt ?? null };
}
