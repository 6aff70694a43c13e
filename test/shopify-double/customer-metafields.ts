// Customer metafields (read back on Customer objects with `metafield(namespace:, key:)`) and
// collections with their products: what loyalty reads for birthdays from `facts.birth_date`
// and for excluded collections. Tests play the merchant with `setCustomerMetafield` and
// `defineTestCollection`; `metafieldsSet` (discounts.ts) writes to the same store.
import { paginate } from "./graphql-connection";
import { productNode } from "./graphql-common-nodes";
import type { FieldArgs, FieldFn, GqlObject, ResolverContext, RootResolvers } from "./graphql-types";
import { gid, parseGid } from "./ids";
import { findProduct } from "./store-lookups";

const valuesByShop = new Map<string, Map<string, string>>();
const typesByShop = new Map<string, Map<string, string>>();
const collectionsByShop = new Map<string, Map<number, number[]>>();

const metafieldKey = (ownerGid: string, namespace: string, key: string) => `${ownerGid}|${namespace}.${key}`;

function mapOf<V>(maps: Map<string, Map<string, V>>, shopDomain: string): Map<string, V> {
  let map = maps.get(shopDomain);
  if (!map) {
    map = new Map();
    maps.set(shopDomain, map);
  }
  return map;
}

/** The shop's metafield values, "<owner gid>|<namespace>.<key>" → value (live: tests keep it). */
export function metafieldValuesOf(shopDomain: string): Map<string, string> {
  return mapOf(valuesByShop, shopDomain);
}

/** Writes one metafield; `value: null` deletes it. */
export function writeMetafield(
  shopDomain: string,
  ownerGid: string,
  field: { namespace: string; key: string; type: string; value: string | null },
): void {
  const key = metafieldKey(ownerGid, field.namespace, field.key);
  if (field.value === null) {
    metafieldValuesOf(shopDomain).delete(key);
    mapOf(typesByShop, shopDomain).delete(key);
  } else {
    metafieldValuesOf(shopDomain).set(key, field.value);
    mapOf(typesByShop, shopDomain).set(key, field.type);
  }
}

/** As the merchant (or another app) would set it in Shopify admin. */
export function setCustomerMetafield(
  shopDomain: string,
  customerId: number,
  field: { namespace: string; key: string; type: string; value: string | null },
): void {
  writeMetafield(shopDomain, gid("Customer", customerId), field);
}

/** A custom collection of the shop holding these products (ids of the store's products). */
export function defineTestCollection(shopDomain: string, collectionId: number, productIds: number[]): void {
  let collections = collectionsByShop.get(shopDomain);
  if (!collections) {
    collections = new Map();
    collectionsByShop.set(shopDomain, collections);
  }
  collections.set(collectionId, [...productIds]);
}

function metafieldField(ownerGid: string): FieldFn {
  return (args, ctx) => {
    const namespace = typeof args.namespace === "string" ? args.namespace : "$app";
    const key = String(args.key ?? "");
    const id = metafieldKey(ownerGid, namespace, key);
    const value = metafieldValuesOf(ctx.store.domain).get(id);
    if (value === undefined) return null;
    const type = mapOf(typesByShop, ctx.store.domain).get(id) ?? "single_line_text_field";
    return {
      __typename: "Metafield",
      id: gid("Metafield", Math.abs(hashOf(id))),
      namespace,
      key,
      value,
      type,
    };
  };
}

function hashOf(text: string): number {
  let hash = 7;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return hash;
}

/** Customer objects answer `metafield(namespace:, key:)` from the store above. */
function withMetafields(node: unknown): unknown {
  if (node && typeof node === "object" && (node as GqlObject).__typename === "Customer") {
    const customer = node as GqlObject;
    return { ...customer, metafield: metafieldField(String(customer.id)) };
  }
  return node;
}

function collectionNode(ctx: ResolverContext, collectionId: number, productIds: number[]): GqlObject {
  const products = productIds.flatMap((id) => {
    const product = findProduct(ctx.store, id);
    return product ? [product] : [];
  });
  return {
    __typename: "Collection",
    id: gid("Collection", collectionId),
    legacyResourceId: String(collectionId),
    products: (args: FieldArgs) =>
      paginate(products, args, { value: (p) => p.id, id: (p) => p.id }, "Product", (p) => productNode(ctx.store, p)),
  };
}

/** Wraps the core `node`, `nodes` and `customer` so Customer objects carry metafields. */
export function customerMetafieldResolvers(core: RootResolvers): Partial<RootResolvers> {
  const wrap =
    (name: string): FieldFn =>
    (args, ctx, info) => {
      const result = core.query[name]!(args, ctx, info);
      return Array.isArray(result) ? result.map(withMetafields) : withMetafields(result);
    };
  return {
    query: {
      node: wrap("node"),
      nodes: wrap("nodes"),
      customer: wrap("customer"),
      collection: (args, ctx) => {
        const ref = typeof args.id === "string" ? parseGid(args.id) : null;
        if (ref?.type !== "Collection") return null;
        const productIds = collectionsByShop.get(ctx.store.domain)?.get(ref.id);
        return productIds ? collectionNode(ctx, ref.id, productIds) : null;
      },
    },
  };
}
