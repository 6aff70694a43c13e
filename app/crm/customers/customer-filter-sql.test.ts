import { describe, expect, it } from "vitest";

import { customerFilterSchema, type CustomerFilter } from "./customer-filter";
import { customerFilterSql, customerFilterWhere, escapeLike } from "./customer-filter-sql";

const and = (...conditions: CustomerFilter["conditions"]): CustomerFilter => ({ combinator: "and", conditions });
const or = (...conditions: CustomerFilter["conditions"]): CustomerFilter => ({ combinator: "or", conditions });

describe("customerFilterSql", () => {
  it("renders an empty AND group as TRUE and an empty OR group as FALSE", () => {
    expect(customerFilterSql(and()).sql).toBe("TRUE");
    expect(customerFilterSql(or()).sql).toBe("FALSE");
  });

  it("scopes the where clause to the shop's live customers and binds the shop id", () => {
    const where = customerFilterWhere(42, and());
    expect(where.sql).toBe("c.shop_id = ? AND c.deleted_at IS NULL AND c.redacted_at IS NULL AND TRUE");
    expect(where.values).toEqual([42]);
  });

  it("nests AND and OR groups in parentheses", () => {
    const filter = and(
      { field: "ordersCount", op: "gte", value: 2 },
      or({ field: "country", op: "in", values: ["FR", "DE"] }, { field: "tier", op: "in", values: [3, "none"] }),
    );
    const sql = customerFilterSql(filter);
    expect(sql.sql).toBe(
      "(c.orders_count >= ? AND (c.country_code IN (?,?) OR (m.tier_id IN (?) OR m.tier_id IS NULL)))",
    );
    expect(sql.values).toEqual([2, "FR", "DE", 3]);
  });

  it("binds money as bigint and compares minor units", () => {
    const sql = customerFilterSql(and({ field: "netSpent", op: "between", min: "1000", max: "250000" }));
    expect(sql.sql).toBe("c.net_spent_minor BETWEEN ? AND ?");
    expect(sql.values).toEqual([1000n, 250000n]);
  });

  it("treats customers without a score as churn risk unknown", () => {
    expect(customerFilterSql(and({ field: "churnRisk", op: "in", values: ["high"] })).sql).toBe("s.churn_risk IN (?)");
    expect(customerFilterSql(and({ field: "churnRisk", op: "in", values: ["unknown"] })).sql).toBe(
      "(s.churn_risk IN (?) OR s.customer_id IS NULL)",
    );
  });

  it("compiles tag operators to array overlap and containment", () => {
    const sql = (op: "hasAny" | "hasAll" | "hasNone") =>
      customerFilterSql(and({ field: "tags", op, values: ["vip", "wholesale"] })).sql;
    expect(sql("hasAny")).toBe("c.tags && ARRAY[?,?]::text[]");
    expect(sql("hasAll")).toBe("c.tags @> ARRAY[?,?]::text[]");
    expect(sql("hasNone")).toBe("NOT (c.tags && ARRAY[?,?]::text[])");
  });

  it("takes last-order dates as whole days in the given zone", () => {
    const sql = customerFilterSql(and({ field: "lastOrderAt", op: "between", from: "2024-01-01", to: "2024-01-31" }), {
      timeZone: "Europe/Paris",
    });
    expect(sql.values).toEqual(["2024-01-01", "Europe/Paris", "2024-01-31", "Europe/Paris"]);
  });

  it("searches names and e-mail with LIKE wildcards escaped, and the full name across a space", () => {
    const sql = customerFilterSql(and({ field: "search", op: "contains", value: "ann 50%_off" }));
    expect(sql.sql).toBe(
      "(c.first_name ILIKE ? OR c.last_name ILIKE ? OR c.email ILIKE ? OR (c.first_name ILIKE ? AND c.last_name ILIKE ?))",
    );
    expect(sql.values).toEqual(["%ann 50\\%\\_off%", "%ann 50\\%\\_off%", "%ann 50\\%\\_off%", "%ann", "50\\%\\_off%"]);
    expect(escapeLike("a\\b")).toBe("a\\\\b");
  });

  it("never inlines hostile strings: quotes, comment markers and wildcards are bound values", () => {
    const hostile = "x' OR 1=1; DROP TABLE customers; -- %";
    const parsed = customerFilterSchema.parse(
      and(
        { field: "search", op: "contains", value: hostile },
        { field: "tags", op: "hasAny", values: [hostile, "'); --"] },
      ),
    );
    const where = customerFilterWhere(1, parsed);
    expect(where.sql).not.toContain("DROP");
    expect(where.sql).not.toContain("--");
    expect(where.sql).not.toContain("'");
    expect(where.sql).not.toContain("1=1");
    expect(where.values).toContain(hostile);
    expect(where.values).toContain(`%${escapeLike(hostile)}%`);
  });

  it("rejects a filter with an unknown field or operator before any SQL is built", () => {
    expect(customerFilterSchema.safeParse(and({ field: "email; --", op: "in", values: ["x"] } as never)).success).toBe(
      false,
    );
    expect(customerFilterSchema.safeParse(and({ field: "ordersCount", op: "like", value: 2 } as never)).success).toBe(
      false,
    );
  });
});
