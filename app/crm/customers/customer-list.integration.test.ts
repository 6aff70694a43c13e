// The customer filter and the Customers list on real PostgreSQL: every field and operator selects
// exactly the right customers of a small shop (and none of another shop's), hostile input is
// matched literally, keyset pages walk every sort forwards and back with ties and NULLs, and the
// count stops at its cap.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { CUSTOMER_SORTS, customerFilterSchema, type CustomerCondition, type CustomerFilter } from "./customer-filter";
import { CustomerListError, CUSTOMER_COUNT_CAP } from "./customer-list";
import {
  countCustomers,
  loadCustomerListPage,
  matchingCustomersBatch,
  type CustomerListRow,
} from "./customer-list.repository.server";

const db = createTestPrisma();
let shopId: number;
let otherShopId: number;
let goldTierId: number;
let silverTierId: number;
const idsByName = new Map<bigint, string>();
const DAY = 86_400_000;
const now = Date.now();

type Seed = {
  name: string;
  last?: string;
  email?: string;
  country?: string;
  tags?: string[];
  orders?: number;
  spend?: bigint;
  lastOrderDaysAgo?: number | null;
  lastOrderAt?: Date;
  emailConsent?: string;
  score?: { rfm: string; cluster: number; stage: string; risk: string; clv: bigint | null } | null;
  member?: { points: number; tier: "gold" | "silver" | null } | null;
  deleted?: boolean;
};

const seeds: Seed[] = [
  {
    name: "Ada",
    last: "Lovelace",
    email: "ada@example.com",
    country: "GB",
    tags: ["vip", "newsletter"],
    orders: 12,
    spend: 250_000n,
    lastOrderDaysAgo: 3,
    emailConsent: "SUBSCRIBED",
    score: { rfm: "Champions", cluster: 2, stage: "loyal", risk: "low", clv: 90_000n },
    member: { points: 5_000, tier: "gold" },
  },
  {
    name: "Grace",
    last: "Hopper",
    email: "grace@navy.example",
    country: "US",
    tags: ["vip"],
    orders: 3,
    spend: 40_000n,
    lastOrderDaysAgo: 200,
    score: { rfm: "At risk", cluster: 1, stage: "at_risk", risk: "high", clv: 5_000n },
    member: { points: 300, tier: "silver" },
  },
  {
    name: "Linus",
    last: "Torvalds",
    email: "linus@example.fi",
    country: "FI",
    tags: ["wholesale"],
    orders: 1,
    spend: 9_900n,
    lastOrderDaysAgo: 40,
    emailConsent: "UNSUBSCRIBED",
    score: { rfm: "New", cluster: 0, stage: "new", risk: "unknown", clv: null },
    member: { points: 0, tier: null },
  },
  {
    name: "Barbara",
    last: "Liskov",
    email: "barbara@example.com",
    country: "US",
    orders: 0,
    spend: 0n,
    lastOrderDaysAgo: null,
    score: null,
    member: null,
  },
  {
    // Hostile-looking data: quotes, LIKE wildcards and a comment marker are plain text.
    name: "O'Brien",
    last: "50%_off--",
    email: "obrien@example.com",
    country: "IE",
    tags: ["it's"],
    orders: 2,
    spend: 20_000n,
    lastOrderAt: new Date("2024-03-10T03:30:00Z"), // 9 March in New York
    score: { rfm: "Hibernating", cluster: 0, stage: "churned", risk: "medium", clv: 1_000n },
    member: { points: 1_000, tier: "gold" },
  },
  { name: "Deleted", last: "Smith", email: "deleted@example.com", orders: 5, spend: 50_000n, deleted: true },
];

async function seed(targetShopId: number, rows: Seed[], tiers: { gold: number; silver: number } | null) {
  for (const [i, s] of rows.entries()) {
    const lastOrderAt =
      s.lastOrderAt ??
      (s.lastOrderDaysAgo === null || s.lastOrderDaysAgo === undefined
        ? null
        : new Date(now - s.lastOrderDaysAgo * DAY));
    const customer = await db.customer.create({
      data: {
        shopId: targetShopId,
        shopifyId: BigInt(9_100_000 + i),
        firstName: s.name,
        lastName: s.last ?? null,
        email: s.email ?? null,
        countryCode: s.country ?? null,
        tags: s.tags ?? [],
        ordersCount: s.orders ?? 0,
        netSpentMinor: s.spend ?? 0n,
        lastOrderAt,
        emailConsent: s.emailConsent ?? "NOT_SUBSCRIBED",
        deletedAt: s.deleted ? new Date() : null,
        shopifyCreatedAt: new Date("2023-01-01T00:00:00Z"),
        shopifyUpdatedAt: new Date("2023-01-01T00:00:00Z"),
      },
    });
    if (targetShopId === shopId) idsByName.set(customer.id, s.name);
    if (s.score) {
      await db.$executeRaw`INSERT INTO customer_scores (customer_id, shop_id, run_id, recency_days, purchase_days,
          net_spent_minor, r_score, f_score, m_score, rfm_segment, frequency, recency, t, monetary_value, churn_risk,
          clv_minor, cluster, lifecycle_stage, computed_at)
        VALUES (${customer.id}, ${targetShopId}, 0, 1, 1, ${s.spend ?? 0n}, 3, 3, 3, ${s.score.rfm}, 1, 1, 1, 1,
          ${s.score.risk}, ${s.score.clv}, ${s.score.cluster}, ${s.score.stage}, now())`;
    }
    if (s.member && tiers) {
      await db.loyaltyMember.create({
        data: {
          shopId: targetShopId,
          customerId: customer.id,
          referralCode: `R${customer.id}`,
          pointsBalance: s.member.points,
          tierId: s.member.tier === null ? null : tiers[s.member.tier],
        },
      });
    }
  }
}

async function namesOf(conditions: CustomerCondition[] | CustomerFilter, inShop = shopId): Promise<string[]> {
  const filter = customerFilterSchema.parse(Array.isArray(conditions) ? { combinator: "and", conditions } : conditions);
  const rows = await matchingCustomersBatch(db, inShop, filter, {
    afterId: 0n,
    limit: 1000,
    timeZone: "America/New_York",
  });
  return rows.map((row) => idsByName.get(row.id) ?? `other:${row.id}`).sort();
}

beforeAll(async () => {
  const shop = await createTestShop(db, { ianaTimezone: "America/New_York" });
  shopId = shop.id;
  goldTierId = (await db.loyaltyTier.create({ data: { shopId, name: "Gold", threshold: 1000n } })).id;
  silverTierId = (await db.loyaltyTier.create({ data: { shopId, name: "Silver", threshold: 100n } })).id;
  await seed(shopId, seeds, { gold: goldTierId, silver: silverTierId });
  // Another shop with a look-alike customer: never in this shop's results.
  const other = await createTestShop(db);
  otherShopId = other.id;
  await seed(otherShopId, [{ ...seeds[0]!, name: "Ada" }], null);
});

afterAll(async () => {
  await db.shop.deleteMany({ where: { id: { in: [shopId, otherShopId] } } });
  await db.$disconnect();
});

describe("customer filter on PostgreSQL", () => {
  it("matches every live customer of the shop with an empty rule, leaving out deleted ones", async () => {
    expect(await namesOf([])).toEqual(["Ada", "Barbara", "Grace", "Linus", "O'Brien"]);
    expect(await namesOf({ combinator: "or", conditions: [] })).toEqual([]);
  });

  it("searches first name, last name, full name and e-mail, case-insensitively", async () => {
    const search = (value: string) => namesOf([{ field: "search", op: "contains", value }]);
    expect(await search("ADA")).toEqual(["Ada"]);
    expect(await search("hopper")).toEqual(["Grace"]);
    expect(await search("ace hop")).toEqual(["Grace"]);
    expect(await search("Linus Torvalds")).toEqual(["Linus"]);
    expect(await search("navy.example")).toEqual(["Grace"]);
    // With an @: the local part ends with what precedes it, the domain starts with what follows.
    expect(await search("ADA@EXAMPLE.COM")).toEqual(["Ada"]);
    expect(await search("ace@navy")).toEqual(["Grace"]);
    expect(await search("race@")).toEqual(["Grace"]);
    expect(await search("s@example.")).toEqual(["Linus"]);
    expect(await search("ada@example.fi")).toEqual([]);
    expect(await search("a_a@example.com")).toEqual([]);
    expect(await search("Ada Hopper")).toEqual([]);
  });

  it("binds hostile strings and matches LIKE wildcards literally", async () => {
    const search = (value: string) => namesOf([{ field: "search", op: "contains", value }]);
    expect(await search("%")).toEqual(["O'Brien"]);
    expect(await search("_")).toEqual(["O'Brien"]);
    expect(await search("o'brien")).toEqual(["O'Brien"]);
    expect(await search("--")).toEqual(["O'Brien"]);
    expect(await search("' OR '1'='1")).toEqual([]);
    expect(await namesOf([{ field: "tags", op: "hasAny", values: ["it's", "'); DROP TABLE customers; --"] }])).toEqual([
      "O'Brien",
    ]);
    expect(await db.customer.count({ where: { shopId } })).toBe(seeds.length);
  });

  it("filters by the scores: RFM segment, cluster, lifecycle stage and churn risk", async () => {
    expect(await namesOf([{ field: "rfmSegment", op: "in", values: ["Champions", "At risk"] }])).toEqual([
      "Ada",
      "Grace",
    ]);
    expect(await namesOf([{ field: "cluster", op: "in", values: [0] }])).toEqual(["Linus", "O'Brien"]);
    expect(await namesOf([{ field: "lifecycleStage", op: "in", values: ["at_risk", "churned"] }])).toEqual([
      "Grace",
      "O'Brien",
    ]);
    expect(await namesOf([{ field: "churnRisk", op: "in", values: ["high"] }])).toEqual(["Grace"]);
    // No score row yet: the risk is unknown.
    expect(await namesOf([{ field: "churnRisk", op: "in", values: ["unknown"] }])).toEqual(["Barbara", "Linus"]);
  });

  it("filters by loyalty tier and points, non-members holding no tier and 0 points", async () => {
    expect(await namesOf([{ field: "tier", op: "in", values: [goldTierId] }])).toEqual(["Ada", "O'Brien"]);
    expect(await namesOf([{ field: "tier", op: "in", values: [silverTierId, "none"] }])).toEqual([
      "Barbara",
      "Grace",
      "Linus",
    ]);
    expect(await namesOf([{ field: "points", op: "gte", value: 1000 }])).toEqual(["Ada", "O'Brien"]);
    expect(await namesOf([{ field: "points", op: "lte", value: 0 }])).toEqual(["Barbara", "Linus"]);
    expect(await namesOf([{ field: "points", op: "between", min: 300, max: 1000 }])).toEqual(["Grace", "O'Brien"]);
  });

  it("filters by orders, spend and predicted CLV in minor units", async () => {
    expect(await namesOf([{ field: "ordersCount", op: "gte", value: 3 }])).toEqual(["Ada", "Grace"]);
    expect(await namesOf([{ field: "ordersCount", op: "lte", value: 1 }])).toEqual(["Barbara", "Linus"]);
    expect(await namesOf([{ field: "netSpent", op: "between", min: "9900", max: "40000" }])).toEqual([
      "Grace",
      "Linus",
      "O'Brien",
    ]);
    expect(await namesOf([{ field: "predictedClv", op: "gte", value: "5000" }])).toEqual(["Ada", "Grace"]);
  });

  it("filters by last order: within, older than, between dates in the shop's zone, never", async () => {
    expect(await namesOf([{ field: "lastOrderAt", op: "withinDays", days: 30 }])).toEqual(["Ada"]);
    expect(await namesOf([{ field: "lastOrderAt", op: "olderThanDays", days: 30 }])).toEqual([
      "Grace",
      "Linus",
      "O'Brien",
    ]);
    expect(await namesOf([{ field: "lastOrderAt", op: "never" }])).toEqual(["Barbara"]);
    // 2024-03-10 03:30 UTC is 9 March in New York.
    expect(await namesOf([{ field: "lastOrderAt", op: "between", from: "2024-03-09", to: "2024-03-09" }])).toEqual([
      "O'Brien",
    ]);
    expect(await namesOf([{ field: "lastOrderAt", op: "between", from: "2024-03-10", to: "2024-03-11" }])).toEqual([]);
  });

  it("filters by tags (any, all, none), country and marketing consent", async () => {
    expect(await namesOf([{ field: "tags", op: "hasAny", values: ["vip", "wholesale"] }])).toEqual([
      "Ada",
      "Grace",
      "Linus",
    ]);
    expect(await namesOf([{ field: "tags", op: "hasAll", values: ["vip", "newsletter"] }])).toEqual(["Ada"]);
    expect(await namesOf([{ field: "tags", op: "hasNone", values: ["vip"] }])).toEqual(["Barbara", "Linus", "O'Brien"]);
    expect(await namesOf([{ field: "country", op: "in", values: ["US", "FI"] }])).toEqual([
      "Barbara",
      "Grace",
      "Linus",
    ]);
    expect(await namesOf([{ field: "emailConsent", op: "in", values: ["SUBSCRIBED", "UNSUBSCRIBED"] }])).toEqual([
      "Ada",
      "Linus",
    ]);
    expect(await namesOf([{ field: "smsConsent", op: "in", values: ["SUBSCRIBED"] }])).toEqual([]);
  });

  it("combines nested AND and OR groups", async () => {
    const filter: CustomerFilter = {
      combinator: "or",
      conditions: [
        {
          combinator: "and",
          conditions: [
            { field: "country", op: "in", values: ["US"] },
            { field: "ordersCount", op: "gte", value: 1 },
          ],
        },
        { field: "tags", op: "hasAny", values: ["wholesale"] },
      ],
    };
    expect(await namesOf(filter)).toEqual(["Grace", "Linus"]);
  });
});

describe("Customers list pages", () => {
  let pagingShopId: number;
  const everyone: CustomerFilter = { combinator: "and", conditions: [] };

  beforeAll(async () => {
    const shop = await createTestShop(db);
    pagingShopId = shop.id;
    // 23 customers: spend and dates with ties, some without a last order or a CLV.
    await db.$executeRaw`INSERT INTO customers (shop_id, shopify_id, first_name, net_spent_minor, last_order_at,
        orders_count, shopify_created_at, shopify_updated_at, updated_at)
      SELECT ${pagingShopId}, 5000 + g, 'P' || g, (g % 4) * 1000,
        CASE WHEN g % 5 = 0 THEN NULL ELSE timestamptz '2025-01-01' + ((g % 3) * interval '1 day') END,
        g % 5, now(), now(), now()
      FROM generate_series(1, 23) g`;
    await db.$executeRaw`INSERT INTO customer_scores (customer_id, shop_id, run_id, recency_days, purchase_days,
        net_spent_minor, r_score, f_score, m_score, rfm_segment, frequency, recency, t, monetary_value, churn_risk,
        clv_minor, computed_at)
      SELECT id, shop_id, 0, 1, 1, net_spent_minor, 1, 1, 1, 'Loyal', 1, 1, 1, 1, 'low',
        CASE WHEN shopify_id % 4 = 0 THEN NULL ELSE (shopify_id % 3) * 500 END, now()
      FROM customers WHERE shop_id = ${pagingShopId} AND shopify_id % 7 <> 0`;
  });

  afterAll(async () => {
    await db.shop.deleteMany({ where: { id: pagingShopId } });
  });

  function expectedOrder(rows: CustomerListRow[], sort: string): string[] {
    const [key, direction] = sort.split(":");
    const value = (row: CustomerListRow) =>
      key === "predictedClv" ? row.clvMinor : key === "netSpent" ? row.netSpentMinor : row.lastOrderAt?.getTime();
    return [...rows]
      .sort((a, b) => {
        const va = value(a);
        const vb = value(b);
        // NULL keys last; among them (as among ties) ids follow the sort's direction.
        if (va === null || va === undefined)
          return vb === null || vb === undefined ? (direction === "desc" ? -1 : 1) * Number(a.id - b.id) : 1;
        if (vb === null || vb === undefined) return -1;
        const cmp = va < vb ? -1 : va > vb ? 1 : Number(a.id - b.id);
        return direction === "desc" ? -cmp : cmp;
      })
      .map((row) => String(row.id));
  }

  it.each(CUSTOMER_SORTS)("walks %s forwards and back through keyset pages, NULLs last", async (sort) => {
    const all = await loadCustomerListPage(db, pagingShopId, { filter: everyone, sort, pageSize: 100 });
    expect(all.rows).toHaveLength(23);
    expect(all.nextCursor).toBeNull();
    expect(all.previousCursor).toBeNull();
    const expected = expectedOrder(all.rows, sort);
    expect(all.rows.map((row) => String(row.id))).toEqual(expected);

    const pages: string[][] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = await loadCustomerListPage(db, pagingShopId, { filter: everyone, sort, cursor, pageSize: 5 });
      pages.push(page.rows.map((row) => String(row.id)));
      expect(page.previousCursor === null).toBe(pages.length === 1);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(pages.flat()).toEqual(expected);
    expect(pages).toHaveLength(5);

    // Back from the last page, through previousCursor, gives the same pages in reverse.
    let back = await loadCustomerListPage(db, pagingShopId, { filter: everyone, sort, cursor, pageSize: 5 });
    for (let index = pages.length - 2; index >= 0; index--) {
      back = await loadCustomerListPage(db, pagingShopId, {
        filter: everyone,
        sort,
        cursor: back.previousCursor!,
        pageSize: 5,
      });
      expect(back.rows.map((row) => String(row.id))).toEqual(pages[index]);
    }
    expect(back.previousCursor).toBeNull();
  });

  // Each way of finding a page (bounded walk, collect and sort, full walk: see pageIds), forced
  // with small limits on a filter whose matches the walk must skip, gives the same pages.
  const strategies = {
    "bounded walk": { walkBudget: 1_000, collectCap: 1_000 },
    "collect and sort": { walkBudget: 2, collectCap: 1_000 },
    "walk to the end": { walkBudget: 2, collectCap: 3 },
  };
  const filters: [string, CustomerCondition, number][] = [
    // a range of an indexed field: collected in its index's order (or walked past the cap)
    ["10+ orders", { field: "ordersCount", op: "gte", value: 3 }, 9], // g % 5 in {3, 4} for g = 1..23
    // a search: probed (bounded walk, then collected, then walked)
    ["search", { field: "search", op: "contains", value: "P1" }, 11], // P1, P10 … P19
  ];
  it.each(Object.entries(strategies))("finds the same pages by %s, every sort", async (_name, limits) => {
    for (const [label, condition, matches] of filters) {
      const filter = customerFilterSchema.parse({ combinator: "and", conditions: [condition] });
      for (const sort of CUSTOMER_SORTS) {
        const all = await loadCustomerListPage(db, pagingShopId, { filter, sort, pageSize: 100 });
        expect(all.rows.length, label).toBe(matches);
        const expected = expectedOrder(all.rows, sort);
        const pages: string[] = [];
        let cursor: string | null = null;
        do {
          const page: Awaited<ReturnType<typeof loadCustomerListPage>> = await loadCustomerListPage(db, pagingShopId, {
            filter,
            sort,
            cursor,
            pageSize: 3,
            limits,
          });
          pages.push(...page.rows.map((row) => String(row.id)));
          cursor = page.nextCursor;
        } while (cursor);
        expect(pages, `${label} ${sort}`).toEqual(expected);
      }
    }
  });

  it("returns the page's columns, in the shop's currency", async () => {
    const page = await loadCustomerListPage(db, shopId, {
      filter: { combinator: "and", conditions: [{ field: "search", op: "contains", value: "Ada" }] },
      sort: "netSpent:desc",
    });
    expect(page.currencyCode).toBe("USD");
    expect(page.timeZone).toBe("America/New_York");
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({
      firstName: "Ada",
      lastName: "Lovelace",
      countryCode: "GB",
      ordersCount: 12,
      netSpentMinor: 250_000n,
      rfmSegment: "Champions",
      lifecycleStage: "loyal",
      churnRisk: "low",
      clvMinor: 90_000n,
      pointsBalance: 5_000,
      tierName: "Gold",
      tags: ["vip", "newsletter"],
    });
  });

  it("refuses a tampered cursor or one from another sort", async () => {
    const first = await loadCustomerListPage(db, pagingShopId, {
      filter: everyone,
      sort: "netSpent:desc",
      pageSize: 5,
    });
    await expect(
      loadCustomerListPage(db, pagingShopId, { filter: everyone, sort: "netSpent:asc", cursor: first.nextCursor }),
    ).rejects.toBeInstanceOf(CustomerListError);
    await expect(
      loadCustomerListPage(db, pagingShopId, { filter: everyone, sort: "netSpent:desc", cursor: "not-a-cursor" }),
    ).rejects.toBeInstanceOf(CustomerListError);
  });

  it("counts exactly below the cap and stops at it", async () => {
    expect(await countCustomers(db, pagingShopId, everyone)).toEqual({ count: 23, capped: false });
    const big = await createTestShop(db);
    try {
      await db.$executeRaw`INSERT INTO customers (shop_id, shopify_id, shopify_created_at, shopify_updated_at, updated_at)
        SELECT ${big.id}, g, now(), now(), now() FROM generate_series(1, ${CUSTOMER_COUNT_CAP + 5}) g`;
      expect(await countCustomers(db, big.id, everyone)).toEqual({ count: CUSTOMER_COUNT_CAP, capped: true });
    } finally {
      await db.shop.deleteMany({ where: { id: big.id } });
    }
  });
});
