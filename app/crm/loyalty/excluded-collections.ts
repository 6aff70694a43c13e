// Excluded collections as the merchant gives them: numeric ids or Shopify gids
// ("gid://shopify/Collection/123"), separated by commas, spaces or lines. Stored numeric.

export type CollectionIdsResult = { ok: true; ids: string[] } | { ok: false; error: string };

export function parseCollectionIds(text: string): CollectionIdsResult {
  const ids: string[] = [];
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const match = /^(?:gid:\/\/shopify\/Collection\/)?(\d+)$/.exec(part);
    if (!match)
      return { ok: false, error: `“${part}” is not a collection id (a number or gid://shopify/Collection/…)` };
    if (!ids.includes(match[1]!)) ids.push(match[1]!);
  }
  return { ok: true, ids };
}

export const collectionGid = (id: string) => `gid://shopify/Collection/${id}`;

export interface ExcludedCollection {
  id: string;
  productIds: string[];
}

/** Whether freshly resolved collections differ from the stored ones (order of products aside). */
export function collectionsChanged(stored: readonly ExcludedCollection[], resolved: readonly ExcludedCollection[]) {
  const key = (collections: readonly ExcludedCollection[]) =>
    JSON.stringify(collections.map((c) => [c.id, [...c.productIds].sort()]));
  return key(stored) !== key(resolved);
}
