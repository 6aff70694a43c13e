// Orders carry products, not collections: the product ids of each excluded collection are read
// from Shopify when the merchant saves the settings and again daily, and stored with the program,
// so the earning rule stays pure and reads the stored set.
import type { ShopifyAdminClient } from "../shopify-admin/shopify-admin-client.server";
import { collectionGid, collectionsChanged, type ExcludedCollection } from "./excluded-collections";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { findProgram, saveProgramSettings, StaleProgramError } from "./loyalty.repository.server";

export const COLLECTION_PRODUCTS_QUERY = `#graphql
  query KinshipCollectionProducts($id: ID!, $after: String) {
    collection(id: $id) {
      id
      products(first: 250, after: $after) {
        nodes {
          id
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }`;

interface CollectionProductsData {
  collection: {
    id: string;
    products: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  } | null;
}

/** Numeric product ids of the collection, every page; null when Shopify has no such collection. */
export async function collectionProductIds(admin: ShopifyAdminClient, collectionId: string): Promise<string[] | null> {
  const productIds: string[] = [];
  let after: string | null = null;
  for (;;) {
    const data: CollectionProductsData = await admin.request<CollectionProductsData>(COLLECTION_PRODUCTS_QUERY, {
      id: collectionGid(collectionId),
      after,
    });
    if (!data.collection) return null;
    for (const node of data.collection.products.nodes) productIds.push(node.id.replace(/^.*\//, ""));
    const { hasNextPage, endCursor } = data.collection.products.pageInfo;
    if (!hasNextPage || !endCursor) return productIds;
    after = endCursor;
  }
}

export interface CollectionRefresh {
  collections: number;
  products: number;
  /** Collections Shopify no longer has (they now exclude nothing). */
  missing: string[];
  changed: boolean;
}

/** Re-reads every excluded collection and stores the products it holds now. */
export async function refreshExcludedCollections(
  deps: LoyaltyDeps,
  shop: { id: number; domain: string },
): Promise<CollectionRefresh> {
  const resolvedById = new Map<string, string[] | null>();
  // The merchant may save the form meanwhile: re-read and retry on a version conflict.
  for (let attempt = 0; ; attempt++) {
    const program = await findProgram(deps.db, shop.id);
    const stored = program?.settings.exclusions.collections ?? [];
    if (!program || stored.length === 0) return { collections: 0, products: 0, missing: [], changed: false };
    if (!deps.adminFor) throw new Error("Reading collections needs an Admin API client");
    const admin = await deps.adminFor(shop.domain);
    for (const { id } of stored) {
      if (!resolvedById.has(id)) resolvedById.set(id, await collectionProductIds(admin, id));
    }
    const resolved: ExcludedCollection[] = stored.map(({ id }) => ({ id, productIds: resolvedById.get(id) ?? [] }));
    const outcome = {
      collections: resolved.length,
      products: new Set(resolved.flatMap((c) => c.productIds)).size,
      missing: stored.filter(({ id }) => resolvedById.get(id) === null).map(({ id }) => id),
      changed: collectionsChanged(stored, resolved),
    };
    if (!outcome.changed) return outcome;
    const settings = {
      ...program.settings,
      exclusions: { ...program.settings.exclusions, collections: resolved },
    };
    try {
      await saveProgramSettings(deps.db, shop.id, settings, { expectedVersion: program.version });
      return outcome;
    } catch (error) {
      if (!(error instanceof StaleProgramError) || attempt >= 2) throw error;
    }
  }
}
