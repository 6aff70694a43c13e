// Shapes shared by the GraphQL resolvers. Every GraphQL object the double returns is a plain
// object with `__typename` whose properties are either values or FieldFns (called with the
// field's arguments), so new features add objects and root fields without touching execution.
import type { GraphQLResolveInfo } from "graphql";

import type { StoreShop } from "./store-data";

export interface SearchReport {
  path: (string | number)[];
  query: string;
  warnings: { field: string; message: string }[];
}

export interface ResolverContext {
  store: StoreShop;
  /** Scopes granted to the app (from the double's options). */
  grantedScopes: string[];
  apiKey: string;
  /** The admin URL that opens the app in this shop. */
  appLaunchUrl: string;
  /** Filled by connections whose `query` had parts Shopify would ignore; sent as extensions.search. */
  searchReports: SearchReport[];
  /** Per-shop state that outlives one request, for features added later (e.g. bulk operations). */
  shopState: Map<string, unknown>;
}

export type FieldArgs = Record<string, unknown>;

export type FieldFn = (args: FieldArgs, ctx: ResolverContext, info: GraphQLResolveInfo) => unknown;

export interface GqlObject {
  __typename: string;
  [field: string]: unknown;
}

export interface RootResolvers {
  query: Record<string, FieldFn>;
  mutation: Record<string, FieldFn>;
}

export function mergeRootResolvers(...parts: Partial<RootResolvers>[]): RootResolvers {
  const merged: RootResolvers = { query: {}, mutation: {} };
  for (const part of parts) {
    Object.assign(merged.query, part.query);
    Object.assign(merged.mutation, part.mutation);
  }
  return merged;
}

export function intArg(args: FieldArgs, name: string): number | null {
  const value = args[name];
  return typeof value === "number" ? value : null;
}

export function stringArg(args: FieldArgs, name: string): string | null {
  const value = args[name];
  return typeof value === "string" ? value : null;
}
