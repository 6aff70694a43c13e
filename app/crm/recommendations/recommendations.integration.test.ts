// Co-purchase mining on a seeded shop with planted pairs, against real PostgreSQL: the planted
// pairs come back (both directions, first), nothing else does, cancelled orders and refunded
// lines do not count, and a customer's next best products follow from what they bought.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  generateCoPurchaseShop,
  type CoPurchaseShop,
} from "../../../scripts/bench/recommendations/generate-co-purchases";
import { createTestShop } from "../../../test/helpers/create-test-shop";
import { givenCustomerOrder } from "../../../test/helpers/seed-co-purchases";
import { createTestPrisma, testDatabaseUrl } from "../../../test/helpers/test-database";
import { logger } from "../../lib/logger.server";
import { mineShopRecommendations } from "./mine-recommendations.server";
import { customerRecommendations } from "./recommendations.server";

const db = createTestPrisma();
const deps = { db, logger, databaseUrl: testDatabaseUrl() };
let shop: Awaited<ReturnType<typeof createTestShop>>;
let seeded: CoPurchaseShop;

beforeAll(async () => {
  shop = await createTestShop(db);
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    seeded = await generateCoPurchaseShop(client, shop.id, {
      customers: 400,
      lines: 12_000,
      products: 300,
      plantedPairs: 6,
      skew: 0.6,
      seed: 11,
    });
  } finally {
    await client.end();
  }
}, 60_000);

afterAll(async () => {
  await db.shop.delete({ where: { id: shop.id } });
  await db.$disconnect();
});

async function givenCustomerWhoBought(shopifyId: number, products: number[]) {
  const at = new Date("2026-11-01T10:00:00Z");
  const customer = await db.customer.create({
    data: { shopId: shop.id, shopifyId, shopifyCreatedAt: at, shopifyUpdatedAt: at, ordersCount: 1 },
  });
  const lines = products.map((product) => ({ id: BigInt(product), title: `Product ${product}` }));
  await givenCustomerOrder(db, shop.id, customer.id, BigInt(shopifyId) * 10n, lines);
  return customer;
}

describe("co-purchase recommendations", () => {
  it("recovers the planted pairs and reports no unrelated ones", async () => {
    // Given the seeded shop (six planted pairs, a pair only on cancelled orders and refunded lines)
    // When its rules are mined
    const figures = await mineShopRecommendations(deps, shop.id);

    // Then every planted pair is the top rule of both of its products
    const rules = await db.productAssociation.findMany({ where: { shopId: shop.id } });
    const pairOf = (a: bigint, b: bigint) => `${a}→${b}`;
    const found = new Set(rules.map((rule) => pairOf(rule.productShopifyId, rule.associatedProductShopifyId)));
    const topRules = new Set(
      rules.filter((rule) => rule.rank === 1).map((r) => pairOf(r.productShopifyId, r.associatedProductShopifyId)),
    );
    const expected = seeded.planted.flatMap(([a, b]) => [pairOf(BigInt(a), BigInt(b)), pairOf(BigInt(b), BigInt(a))]);
    for (const pair of expected) expect(topRules).toContain(pair);
    // And nothing else: no rule between unrelated products, none from the void pair
    expect([...found].sort()).toEqual([...expected].sort());
    const [voidA, voidB] = seeded.voidPair;
    expect(found).not.toContain(pairOf(BigInt(voidA), BigInt(voidB)));
    // And the measures are consistent: lift = confidence / (partner's share of orders)
    const rule = rules.find((r) => r.productShopifyId === BigInt(seeded.planted[0]![0]))!;
    expect(rule.confidence).toBeGreaterThan(0.4);
    expect(rule.lift).toBeGreaterThan(1.5);
    expect(rule.support).toBeCloseTo(rule.pairOrders / figures.orders, 10);
    expect(rule.associatedTitle).toMatch(/^Product \d+$/);
    expect(figures.orders).toBe(
      seeded.orders - (await db.order.count({ where: { shopId: shop.id, NOT: { cancelledAt: null } } })),
    );
  });

  it("a second mining replaces the rules instead of adding to them", async () => {
    const before = await db.productAssociation.count({ where: { shopId: shop.id } });
    await mineShopRecommendations(deps, shop.id);
    expect(await db.productAssociation.count({ where: { shopId: shop.id } })).toBe(before);
  });

  it("recommends a planted partner first to a customer who bought its anchor, never what they bought", async () => {
    // Given a customer who bought only the first planted anchor
    const [anchor, partner] = seeded.planted[0]!;
    const customer = await givenCustomerWhoBought(9_000_000_001, [anchor]);

    // When their next best products are read
    const result = await customerRecommendations(db, shop.id, customer.shopifyId, 5);

    // Then the partner comes first, from co-purchases, and the popular products fill the rest
    expect(result?.products[0]).toMatchObject({ productShopifyId: String(partner), source: "co_purchase" });
    expect(result?.products).toHaveLength(5);
    expect(result?.products.slice(1).every((p) => p.source === "popular")).toBe(true);
    expect(result?.products.map((p) => p.productShopifyId)).not.toContain(String(anchor));
  });

  it("falls back to popular products the customer has not bought", async () => {
    // Given a customer who bought both products of a pair and a bestseller (rank 2: rank 1 is an anchor)
    const [anchor, partner] = seeded.planted[1]!;
    const bestseller = seeded.productShopifyId(1);
    const customer = await givenCustomerWhoBought(9_000_000_002, [anchor, partner, bestseller]);

    // When read
    const result = await customerRecommendations(db, shop.id, customer.shopifyId, 4);

    // Then only popular products, none of the three bought
    const ids = result!.products.map((p) => p.productShopifyId);
    expect(result!.products.every((p) => p.source === "popular")).toBe(true);
    expect(ids).toHaveLength(4);
    for (const bought of [anchor, partner, bestseller]) expect(ids).not.toContain(String(bought));
  });

  it("answers null for another shop's customer", async () => {
    const other = await createTestShop(db);
    try {
      expect(await customerRecommendations(db, other.id, BigInt(seeded.customerShopifyId(0)), 5)).toBeNull();
    } finally {
      await db.shop.delete({ where: { id: other.id } });
    }
  });
});
