import { describe, expect, it } from "vitest";

import { formatMoney } from "../money/money";
import { CustomerListError, decodeCursor, encodeCursor, formatCustomerCount } from "./customer-list";
import { majorToMinor, parseCustomerListQuery } from "./customer-list-params";

describe("customer list cursor", () => {
  it("round-trips keys of each kind, and NULL keys", () => {
    const at = new Date("2025-03-04T05:06:07.089Z");
    for (const cursor of [
      { sort: "netSpent:desc" as const, direction: "after" as const, key: 12345n, id: 9n },
      { sort: "lastOrderAt:asc" as const, direction: "before" as const, key: at, id: 10n },
      { sort: "predictedClv:desc" as const, direction: "after" as const, key: null, id: 11n },
    ])
      expect(decodeCursor(encodeCursor(cursor), cursor.sort)).toEqual(cursor);
  });

  it("refuses garbage, another sort's cursor and a NULL key where none can be", () => {
    const cursor = encodeCursor({ sort: "netSpent:desc", direction: "after", key: 1n, id: 1n });
    expect(() => decodeCursor(cursor, "netSpent:asc")).toThrow(CustomerListError);
    expect(() => decodeCursor("%%%", "netSpent:desc")).toThrow(CustomerListError);
    const nullKey = encodeCursor({ sort: "netSpent:desc", direction: "after", key: null, id: 1n });
    expect(() => decodeCursor(nullKey, "netSpent:desc")).toThrow(CustomerListError);
  });

  it("formats money exactly and capped counts", () => {
    expect(formatMoney(123456789012345678n, "USD")).toBe("$1,234,567,890,123,456.78");
    expect(formatMoney(1500n, "JPY")).toBe("¥1,500");
    expect(formatCustomerCount(10_000, true)).toBe("10,000+");
  });
});

describe("customer list URL parameters", () => {
  const parse = (query: string) => parseCustomerListQuery(new URLSearchParams(query), { currencyDigits: 2 });

  it("turns discrete parameters into one AND rule", () => {
    const parsed = parse("q=ann&risk=high,medium&spend_min=10.5&orders_max=3&last_within=30&sort=lastOrderAt:asc");
    expect(parsed.errors).toEqual({});
    expect(parsed.sort).toBe("lastOrderAt:asc");
    expect(parsed.filter).toEqual({
      combinator: "and",
      conditions: [
        { field: "search", op: "contains", value: "ann" },
        { field: "churnRisk", op: "in", values: ["high", "medium"] },
        { field: "ordersCount", op: "lte", value: 3 },
        { field: "netSpent", op: "gte", value: "1050" },
        { field: "lastOrderAt", op: "withinDays", days: 30 },
      ],
    });
  });

  it("reports bad parameters by name and leaves them out", () => {
    const parsed = parse("orders_min=lots&risk=extreme&country=France&spend_min=5&spend_max=1&sort=name");
    expect(Object.keys(parsed.errors).sort()).toEqual(["country", "orders_min", "risk", "sort", "spend_max"]);
    expect(parsed.filter.conditions).toEqual([]);
    expect(parsed.sort).toBe("netSpent:desc");
    expect(parse("filter=%7Bnot-json").errors.filter).toBeDefined();
  });

  it("converts major units to minor units of the currency", () => {
    expect(majorToMinor("12.5", 2)).toBe("1250");
    expect(majorToMinor("12", 0)).toBe("12");
    expect(majorToMinor("1.234", 2)).toBeNull();
    expect(majorToMinor("-1", 2)).toBeNull();
  });
});
