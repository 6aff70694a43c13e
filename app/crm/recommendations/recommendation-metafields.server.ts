// The customer metafield `kinship.recommended_products` (list.product_reference), for the
// merchant's e-mails and Flow: a page of buying customers at a time after each mining, computed
// from the rules as Customer 360 does, and only the lists that changed since the last write are
// sent (a quiet night costs no Admin API calls). Retries are safe: the value is the whole list.
import type { PrismaClient } from "../../db.server";
import type { Logger } from "../../lib/logger.server";
import type { AdminClientFactory } from "../shopify-admin/admin-client-for-shop.server";
import { METAFIELDS_PER_CALL, setMetafields } from "../shopify-admin/metafields.server";
import { nextBestProductsOf } from "./next-best-products.repository.server";
import { buyingCustomersPage, recordMetafieldValues } from "./recommendation-metafields.repository.server";
import { RECOMMENDATIONS_SHOWN } from "./recommendations.server";

export const RECOMMENDATIONS_METAFIELD = {
  namespace: "kinship",
  key: "recommended_products",
  type: "list.product_reference",
} as const;

export const METAFIELD_PAGE_SIZE = 250;

export interface MetafieldDeps {
  db: PrismaClient;
  logger: Logger;
  adminFor: AdminClientFactory;
  now?: () => Date;
}

/** One page; `next` is the cursor of the following page, null at the end. */
export async function writeRecommendationMetafieldsPage(
  deps: MetafieldDeps,
  shopId: number,
  afterCustomerId: bigint,
  pageSize = METAFIELD_PAGE_SIZE,
): Promise<{ written: number; unchanged: number; next: bigint | null }> {
  const shop = await deps.db.shop.findUnique({ where: { id: shopId }, select: { domain: true } });
  if (!shop) return { written: 0, unchanged: 0, next: null };
  const customers = await buyingCustomersPage(deps.db, shopId, afterCustomerId, pageSize);
  const lists = await nextBestProductsOf(
    deps.db,
    shopId,
    customers.map((c) => c.id),
    RECOMMENDATIONS_SHOWN,
  );
  const writes = customers.flatMap((customer) => {
    const products = lists.get(customer.id) ?? [];
    // A list metafield cannot be empty; before the first mining there is nothing to say.
    if (products.length === 0) return [];
    const value = JSON.stringify(products.map((p) => `gid://shopify/Product/${p.productShopifyId}`));
    if (value === customer.recommendationSync?.value) return [];
    return [{ customerId: customer.id, ownerId: `gid://shopify/Customer/${customer.shopifyId}`, value }];
  });
  if (writes.length > 0) {
    const admin = await deps.adminFor(shop.domain);
    for (let i = 0; i < writes.length; i += METAFIELDS_PER_CALL) {
      const part = writes.slice(i, i + METAFIELDS_PER_CALL);
      // A part at a time, each recorded once Shopify has it: a refusal (USER_ERRORS, thrown by
      // the client) leaves the parts before it recorded, and the retried job skips them.
      await setMetafields(
        admin,
        part.map((w) => ({ ownerId: w.ownerId, ...RECOMMENDATIONS_METAFIELD, value: w.value })),
      );
      await recordMetafieldValues(deps.db, shopId, part, deps.now?.() ?? new Date());
    }
  }
  const last = customers.at(-1);
  return {
    written: writes.length,
    unchanged: customers.length - writes.length,
    next: customers.length === pageSize && last ? last.id : null,
  };
}
