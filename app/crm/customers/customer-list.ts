// The Customers list's rules: sorts, the opaque keyset cursor, page size, the capped count, and
// how a row is shown. Pure; the queries are in customer-list.repository.server.ts.
import { z } from "zod";

import { CUSTOMER_SORTS, type CustomerSort } from "./customer-filter";

export const DEFAULT_CUSTOMER_SORT: CustomerSort = "netSpent:desc";
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;
/** The list counts at most this many matches; beyond, it says "10,000+". */
export const CUSTOMER_COUNT_CAP = 10_000;

export type SortKeyKind = "bigint" | "timestamp";
export type SortSpec = {
  /** Which sort key (see the repository's SORT_COLUMNS) and its type in the cursor. */
  key: "predictedClv" | "netSpent" | "lastOrderAt";
  kind: SortKeyKind;
  direction: "asc" | "desc";
  /** Whether the key can be NULL; NULLs always come last, in either direction. */
  nullable: boolean;
};

export function sortSpec(sort: CustomerSort): SortSpec {
  const [key, direction] = sort.split(":") as [SortSpec["key"], SortSpec["direction"]];
  switch (key) {
    case "predictedClv":
      return { key, direction, kind: "bigint", nullable: true };
    case "netSpent":
      return { key, direction, kind: "bigint", nullable: false };
    case "lastOrderAt":
      return { key, direction, kind: "timestamp", nullable: true };
  }
}

/**
 * A position in the list: the sort key of a row (null when the row's key is NULL) and its id,
 * and whether the page wanted is after or before it. Bound to its sort so a cursor from another
 * sort is refused instead of giving a wrong page.
 */
export type CustomerListCursor = {
  sort: CustomerSort;
  direction: "after" | "before";
  key: bigint | Date | null;
  id: bigint;
};

const cursorJsonSchema = z.object({
  s: z.enum(CUSTOMER_SORTS),
  d: z.enum(["a", "b"]),
  k: z.string().max(40).nullable(),
  i: z.string().regex(/^\d{1,19}$/),
});

export function encodeCursor(cursor: CustomerListCursor): string {
  const key = cursor.key === null ? null : cursor.key instanceof Date ? cursor.key.toISOString() : String(cursor.key);
  const json = JSON.stringify({
    s: cursor.sort,
    d: cursor.direction === "after" ? "a" : "b",
    k: key,
    i: String(cursor.id),
  });
  return Buffer.from(json, "utf8").toString("base64url");
}

export class CustomerListError extends Error {
  constructor(
    readonly code: "invalid_cursor" | "invalid_filter",
    message: string,
  ) {
    super(message);
    this.name = "CustomerListError";
  }
}

/** Decodes a cursor made by encodeCursor for this sort; anything else is `invalid_cursor`. */
export function decodeCursor(text: string, sort: CustomerSort): CustomerListCursor {
  let parsed: z.infer<typeof cursorJsonSchema>;
  try {
    parsed = cursorJsonSchema.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
  } catch {
    throw new CustomerListError("invalid_cursor", "This page link is no longer valid. Start from the first page.");
  }
  if (parsed.s !== sort) {
    throw new CustomerListError("invalid_cursor", "This page link belongs to another sort order.");
  }
  const spec = sortSpec(sort);
  let key: bigint | Date | null = null;
  if (parsed.k !== null) {
    if (spec.kind === "bigint") {
      if (!/^-?\d{1,19}$/.test(parsed.k)) throw new CustomerListError("invalid_cursor", "Invalid page link.");
      key = BigInt(parsed.k);
    } else {
      const at = new Date(parsed.k);
      if (Number.isNaN(at.getTime())) throw new CustomerListError("invalid_cursor", "Invalid page link.");
      key = at;
    }
  } else if (!spec.nullable) {
    throw new CustomerListError("invalid_cursor", "Invalid page link.");
  }
  return { sort, direction: parsed.d === "a" ? "after" : "before", key, id: BigInt(parsed.i) };
}

export function clampPageSize(pageSize: number | undefined): number {
  if (pageSize === undefined || !Number.isFinite(pageSize)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(pageSize)));
}

/** "1,234" or "10,000+" when the count reached the cap. */
export function formatCustomerCount(count: number, capped: boolean, locale = "en-US"): string {
  const text = new Intl.NumberFormat(locale).format(count);
  return capped ? `${text}+` : text;
}

/** The shop-zone calendar date of a time, e.g. "Mar 4, 2025". */
export function formatShopDate(at: Date | string, timeZone: string, locale = "en-US"): string {
  return new Intl.DateTimeFormat(locale, { timeZone, year: "numeric", month: "short", day: "numeric" }).format(
    typeof at === "string" ? new Date(at) : at,
  );
}

export function customerDisplayName(row: { firstName: string | null; lastName: string | null; email: string | null }) {
  const name = [row.firstName, row.lastName].filter((part) => part && part.trim() !== "").join(" ");
  return name || row.email || "No name";
}
