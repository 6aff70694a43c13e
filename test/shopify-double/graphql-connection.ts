// Relay connections as Shopify serves them: sorted by a sort key with the id as tie-break,
// cursors that hold the last id and sort value (so paging survives data changes), and
// `first`/`last` required.
import { GraphQLError } from "graphql";

import { type FieldArgs, type GqlObject, intArg, stringArg } from "./graphql-types";

export const MAX_PAGE_SIZE = 250;

export interface SortSpec<T> {
  value: (item: T) => string | number;
  id: (item: T) => number;
}

type Key = [string | number, number];

function compareKeys(a: Key, b: Key): number {
  if (a[0] < b[0]) return -1;
  if (a[0] > b[0]) return 1;
  return a[1] - b[1];
}

function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify({ last_id: key[1], last_value: key[0] })).toString("base64");
}

function decodeCursor(cursor: string): Key {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as {
      last_id?: unknown;
      last_value?: unknown;
    };
    const { last_id: id, last_value: value } = parsed;
    if (typeof id === "number" && (typeof value === "number" || typeof value === "string")) return [value, id];
  } catch {
    // reported below
  }
  throw new GraphQLError(`Invalid cursor: ${cursor}`, { extensions: { code: "BAD_REQUEST" } });
}

function pageSize(args: FieldArgs, name: "first" | "last"): number | null {
  const size = intArg(args, name);
  if (size === null) return null;
  if (size < 0)
    throw new GraphQLError(`${name} must be a non-negative integer`, { extensions: { code: "BAD_REQUEST" } });
  if (size > MAX_PAGE_SIZE) {
    throw new GraphQLError(`The page size (${name}: ${size}) exceeds the maximum of ${MAX_PAGE_SIZE}`, {
      extensions: { code: "BAD_REQUEST" },
    });
  }
  return size;
}

/** Builds a `<typeName>Connection` object over items for the standard connection arguments. */
export function paginate<T>(
  items: readonly T[],
  args: FieldArgs,
  sort: SortSpec<T>,
  typeName: string,
  toNode: (item: T) => GqlObject | null,
): GqlObject {
  const first = pageSize(args, "first");
  const last = pageSize(args, "last");
  if (first === null && last === null) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  const direction = args.reverse === true ? -1 : 1;
  const keyed = items.map((item): { item: T; key: Key } => ({ item, key: [sort.value(item), sort.id(item)] }));
  keyed.sort((a, b) => direction * compareKeys(a.key, b.key));

  const after = stringArg(args, "after");
  const before = stringArg(args, "before");
  let lo = 0;
  let hi = keyed.length;
  if (after !== null) {
    const key = decodeCursor(after);
    while (lo < hi && direction * compareKeys(keyed[lo]!.key, key) <= 0) lo++;
  }
  if (before !== null) {
    const key = decodeCursor(before);
    while (hi > lo && direction * compareKeys(keyed[hi - 1]!.key, key) >= 0) hi--;
  }
  if (first !== null) hi = Math.min(hi, lo + first);
  if (last !== null) lo = Math.max(lo, hi - last);

  const window = keyed.slice(lo, hi);
  const edges = window.map(({ item, key }) => ({
    __typename: `${typeName}Edge`,
    cursor: encodeCursor(key),
    node: toNode(item),
  }));
  return {
    __typename: `${typeName}Connection`,
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      __typename: "PageInfo",
      hasNextPage: hi < keyed.length,
      hasPreviousPage: lo > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** Sort value for ISO timestamps: epoch milliseconds, so that formats compare correctly. */
export function timeValue(iso: string): number {
  return Date.parse(iso);
}
