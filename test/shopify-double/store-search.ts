// The searchable fields and sort keys of customers and orders, and the filtered, sorted
// connections built from them (used by root fields and by Customer.orders).
import { GraphQLError, type GraphQLResolveInfo, responsePathAsArray } from "graphql";

import { paginate, type SortSpec, timeValue } from "./graphql-connection";
import { customerNode } from "./graphql-customer-nodes";
import { orderNode } from "./graphql-order-nodes";
import { type FieldArgs, type GqlObject, type ResolverContext, stringArg } from "./graphql-types";
import { compileSearch, type SearchFields } from "./search-query";
import type { StoreCustomer, StoreOrder, StoreShop } from "./store-data";
import { customerDisplayName, ordersOfCustomer } from "./store-lookups";

export function customerSearchFields(shop: StoreShop): SearchFields<StoreCustomer> {
  return {
    id: { kind: "number", get: (c) => c.id },
    email: { kind: "string", get: (c) => c.email },
    first_name: { kind: "string", get: (c) => c.firstName },
    last_name: { kind: "string", get: (c) => c.lastName },
    phone: { kind: "string", get: (c) => c.phone },
    tag: { kind: "tags", get: (c) => c.tags },
    country: { kind: "string", get: (c) => c.address?.country ?? null },
    state: { kind: "string", get: () => "disabled" },
    created_at: { kind: "date", get: (c) => c.createdAt },
    updated_at: { kind: "date", get: (c) => c.updatedAt },
    orders_count: { kind: "number", get: (c) => ordersOfCustomer(shop, c.id).length },
  };
}

export const orderSearchFields: SearchFields<StoreOrder> = {
  id: { kind: "number", get: (o) => o.id },
  name: { kind: "string", get: (o) => o.name },
  email: { kind: "string", get: (o) => o.email },
  customer_id: { kind: "number", get: (o) => o.customerId },
  created_at: { kind: "date", get: (o) => o.createdAt },
  updated_at: { kind: "date", get: (o) => o.updatedAt },
  processed_at: { kind: "date", get: (o) => o.processedAt },
  financial_status: { kind: "string", get: (o) => o.financialStatus },
  source_name: { kind: "string", get: (o) => o.sourceName },
  status: { kind: "string", get: (o) => (o.cancelledAt ? "cancelled" : "open") },
};

const customerSorts: Record<string, SortSpec<StoreCustomer>> = {
  ID: { value: (c) => c.id, id: (c) => c.id },
  CREATED_AT: { value: (c) => timeValue(c.createdAt), id: (c) => c.id },
  UPDATED_AT: { value: (c) => timeValue(c.updatedAt), id: (c) => c.id },
  NAME: { value: (c) => customerDisplayName(c).toLowerCase(), id: (c) => c.id },
};

const orderSorts: Record<string, SortSpec<StoreOrder>> = {
  ID: { value: (o) => o.id, id: (o) => o.id },
  CREATED_AT: { value: (o) => timeValue(o.createdAt), id: (o) => o.id },
  UPDATED_AT: { value: (o) => timeValue(o.updatedAt), id: (o) => o.id },
  PROCESSED_AT: { value: (o) => timeValue(o.processedAt), id: (o) => o.id },
  ORDER_NUMBER: { value: (o) => o.id, id: (o) => o.id },
  TOTAL_PRICE: { value: (o) => o.totalMinor, id: (o) => o.id },
};

function sortFor<T>(sorts: Record<string, SortSpec<T>>, args: FieldArgs, fallback: string): SortSpec<T> {
  const key = stringArg(args, "sortKey") ?? fallback;
  const sort = sorts[key];
  if (!sort) {
    throw new GraphQLError(`sortKey ${key} is not implemented by the local Shopify double`, {
      extensions: { code: "NOT_IMPLEMENTED_BY_DOUBLE" },
    });
  }
  return sort;
}

/** Filters by the `query` argument, recording Shopify-style warnings for ignored terms. */
export function searchRecords<T>(
  records: readonly T[],
  args: FieldArgs,
  fields: SearchFields<T>,
  freeText: (record: T) => (string | null)[],
  ctx: ResolverContext,
  info: GraphQLResolveInfo,
): T[] {
  const query = stringArg(args, "query");
  if (!query) return [...records];
  const search = compileSearch(query, fields, freeText);
  if (search.warnings.length > 0) {
    ctx.searchReports.push({ path: responsePathAsArray(info.path), query, warnings: search.warnings });
  }
  return records.filter((r) => search.matches(r));
}

const customerFreeText = (c: StoreCustomer) => [c.firstName, c.lastName, c.email, c.phone];
const orderFreeText = (o: StoreOrder) => [o.name, o.email];

export function matchingCustomers(args: FieldArgs, ctx: ResolverContext, info: GraphQLResolveInfo): StoreCustomer[] {
  return searchRecords(ctx.store.customers, args, customerSearchFields(ctx.store), customerFreeText, ctx, info);
}

export function matchingOrders(
  orders: readonly StoreOrder[],
  args: FieldArgs,
  ctx: ResolverContext,
  info: GraphQLResolveInfo,
): StoreOrder[] {
  return searchRecords(orders, args, orderSearchFields, orderFreeText, ctx, info);
}

export function customersConnection(args: FieldArgs, ctx: ResolverContext, info: GraphQLResolveInfo): GqlObject {
  const sort = sortFor(customerSorts, args, "ID");
  return paginate(matchingCustomers(args, ctx, info), args, sort, "Customer", (c) => customerNode(ctx.store, c));
}

/** Orders connection; `defaultSort` differs (PROCESSED_AT at the root, ID under Customer). */
export function ordersConnection(
  orders: readonly StoreOrder[],
  defaultSort: string,
  args: FieldArgs,
  ctx: ResolverContext,
  info: GraphQLResolveInfo,
): GqlObject {
  const sort = sortFor(orderSorts, args, defaultSort);
  return paginate(matchingOrders(orders, args, ctx, info), args, sort, "Order", (o) => orderNode(ctx.store, o));
}
