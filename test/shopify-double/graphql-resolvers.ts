// Execution glue and the core root fields. Objects are plain GqlObjects (see graphql-types);
// a field the double has no value for fails with a clear GraphQL error instead of fake data.
// Later features (bulk operations, discount mutations) add root fields through
// mergeRootResolvers(coreRootResolvers(), theirResolvers()).
import { GraphQLError, type GraphQLFieldResolver, type GraphQLTypeResolver } from "graphql";

import { productNode, shopNode, variantNodeById } from "./graphql-common-nodes";
import { paginate } from "./graphql-connection";
import { customerNode } from "./graphql-customer-nodes";
import { orderNode } from "./graphql-order-nodes";
import {
  type FieldArgs,
  type FieldFn,
  type GqlObject,
  type ResolverContext,
  type RootResolvers,
  intArg,
  stringArg,
} from "./graphql-types";
import { gid, parseGid, shopNumericId } from "./ids";
import { findCustomer, findOrder, findProduct } from "./store-lookups";
import {
  customersConnection,
  matchingCustomers,
  matchingOrders,
  ordersConnection,
  searchRecords,
} from "./store-search";
import type { StoreProduct } from "./store-data";

export const NOT_IMPLEMENTED_CODE = "NOT_IMPLEMENTED_BY_DOUBLE";

export function notImplemented(what: string): GraphQLError {
  return new GraphQLError(`${what} is not implemented by the local Shopify double`, {
    extensions: { code: NOT_IMPLEMENTED_CODE },
  });
}

export const fieldResolver: GraphQLFieldResolver<unknown, ResolverContext> = (source, args, ctx, info) => {
  if (source !== null && typeof source === "object" && Object.hasOwn(source, info.fieldName)) {
    const value = (source as Record<string, unknown>)[info.fieldName];
    return typeof value === "function" ? (value as FieldFn)(args, ctx, info) : value;
  }
  throw notImplemented(`${info.parentType.name}.${info.fieldName}`);
};

export const typeResolver: GraphQLTypeResolver<unknown, ResolverContext> = (value) =>
  value !== null && typeof value === "object" ? (value as GqlObject).__typename : undefined;

/** Shopify answers a malformed id argument with this coercion error. */
function idArg(args: FieldArgs, name = "id"): { type: string; id: number } {
  const raw = stringArg(args, name) ?? "";
  const parsed = parseGid(raw);
  if (!parsed) {
    throw new GraphQLError(`Invalid global id '${raw}'`, {
      extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
    });
  }
  return parsed;
}

function count(n: number, args: FieldArgs): GqlObject {
  // `limit` defaults to 10000; an explicit null means "count everything".
  const limit = args.limit === null ? Infinity : (intArg(args, "limit") ?? 10000);
  return { __typename: "Count", count: Math.min(n, limit), precision: n > limit ? "AT_LEAST" : "EXACT" };
}

function nodeById(ref: { type: string; id: number }, ctx: ResolverContext): GqlObject | null {
  const shop = ctx.store;
  switch (ref.type) {
    case "Customer": {
      const c = findCustomer(shop, ref.id);
      return c ? customerNode(shop, c) : null;
    }
    case "Order": {
      const o = findOrder(shop, ref.id);
      return o ? orderNode(shop, o) : null;
    }
    case "Product": {
      const p = findProduct(shop, ref.id);
      return p ? productNode(shop, p) : null;
    }
    case "ProductVariant":
      return variantNodeById(shop, ref.id);
    default:
      return null;
  }
}

function appInstallationNode(ctx: ResolverContext): GqlObject {
  const accessScopes = ctx.grantedScopes.map((handle) => ({ __typename: "AccessScope", handle }));
  const installation: GqlObject = {
    __typename: "AppInstallation",
    id: gid("AppInstallation", shopNumericId(`${ctx.store.domain}\n${ctx.apiKey}`)),
    accessScopes,
    launchUrl: ctx.appLaunchUrl,
    app: () => app,
  };
  const app: GqlObject = {
    __typename: "App",
    id: gid("App", shopNumericId(ctx.apiKey)),
    apiKey: ctx.apiKey,
    embedded: true,
    requestedAccessScopes: accessScopes,
    optionalAccessScopes: [],
    installation,
  };
  return installation;
}

const productSearchFields = {
  id: { kind: "number" as const, get: (p: StoreProduct) => p.id },
  title: { kind: "string" as const, get: (p: StoreProduct) => p.title },
  vendor: { kind: "string" as const, get: (p: StoreProduct) => p.vendor },
  product_type: { kind: "string" as const, get: (p: StoreProduct) => p.productType },
};

/** Read queries over the store data. */
export function coreRootResolvers(): RootResolvers {
  const query: Record<string, FieldFn> = {
    shop: (_args, ctx) => shopNode(ctx.store),
    customersCount: (args, ctx, info) => count(matchingCustomers(args, ctx, info).length, args),
    ordersCount: (args, ctx, info) => count(matchingOrders(ctx.store.orders, args, ctx, info).length, args),
    customers: (args, ctx, info) => customersConnection(args, ctx, info),
    orders: (args, ctx, info) => ordersConnection(ctx.store.orders, "PROCESSED_AT", args, ctx, info),
    customer: (args, ctx) => {
      const ref = idArg(args);
      return ref.type === "Customer" ? nodeById(ref, ctx) : null;
    },
    order: (args, ctx) => {
      const ref = idArg(args);
      return ref.type === "Order" ? nodeById(ref, ctx) : null;
    },
    product: (args, ctx) => {
      const ref = idArg(args);
      return ref.type === "Product" ? nodeById(ref, ctx) : null;
    },
    products: (args, ctx, info) => {
      const sortKey = stringArg(args, "sortKey") ?? "ID";
      if (sortKey !== "ID" && sortKey !== "TITLE") throw notImplemented(`products(sortKey: ${sortKey})`);
      const products = searchRecords(ctx.store.products, args, productSearchFields, (p) => [p.title], ctx, info);
      const sort = {
        value: (p: StoreProduct) => (sortKey === "ID" ? p.id : p.title.toLowerCase()),
        id: (p: StoreProduct) => p.id,
      };
      return paginate(products, args, sort, "Product", (p) => productNode(ctx.store, p));
    },
    node: (args, ctx) => nodeById(idArg(args), ctx),
    nodes: (args, ctx) => {
      const ids = Array.isArray(args.ids) ? (args.ids as string[]) : [];
      return ids.map((id) => nodeById(idArg({ id }), ctx));
    },
    appInstallation: (args, ctx) => {
      const installation = appInstallationNode(ctx);
      return args.id == null || args.id === installation.id ? installation : null;
    },
    app: (args, ctx) => {
      const app = appInstallationNode(ctx).app as () => GqlObject;
      const node = app();
      return args.id == null || args.id === node.id ? node : null;
    },
  };
  return { query, mutation: {} };
}
