import { describe, expect, it } from "vitest";

import { seededRandom } from "../../lib/seeded-random";
import { DEFAULT_MINING_OPTIONS, mineAssociationRules } from "./association-rules";
import { BasketBuilder } from "./basket-builder";

function basketsOf(orders: number[][]) {
  const builder = new BasketBuilder();
  orders.forEach((products, order) => products.forEach((product) => builder.add(order + 1, product)));
  return { baskets: builder.build(), productIds: builder.productIds };
}

const options = { ...DEFAULT_MINING_OPTIONS, minPairOrders: 2, minSupport: 0, minLift: 1, liftMarginZ: 0 };

describe("association rules", () => {
  it("computes support, confidence and lift from pair and product counts", () => {
    // Given 4 orders: A+B twice, A alone, C alone
    const { baskets, productIds } = basketsOf([[10, 20], [10, 20, 20], [10], [30]]);

    // When mined
    const result = mineAssociationRules(baskets, options);

    // Then A→B: both in 2 of 4 orders, A in 3, B in 2
    const name = (index: number) => productIds[index];
    const rules = result.rules.map((r) => ({ ...r, product: name(r.product), associated: name(r.associated) }));
    expect(rules).toEqual(
      expect.arrayContaining([
        {
          product: 10,
          associated: 20,
          rank: 1,
          pairOrders: 2,
          support: 0.5,
          confidence: 2 / 3,
          lift: (2 * 4) / (3 * 2),
        },
        { product: 20, associated: 10, rank: 1, pairOrders: 2, support: 0.5, confidence: 1, lift: (2 * 4) / (3 * 2) },
      ]),
    );
    expect(rules).toHaveLength(2);
    expect(result.basketCount).toBe(4);
    // The duplicate line of product 20 in order 2 counts once
    expect(result.productOrders[productIds.indexOf(20)]).toBe(2);
  });

  it("keeps the top K per product, strongest confidence first", () => {
    // Given product 1 bought with 2 (5 times), 3 (4 times), 4 (3 times)
    const orders = [
      ...Array.from({ length: 5 }, () => [1, 2]),
      ...Array.from({ length: 4 }, () => [1, 3]),
      ...Array.from({ length: 3 }, () => [1, 4]),
      ...Array.from({ length: 20 }, (_, i) => [100 + i]),
    ];
    const { baskets, productIds } = basketsOf(orders);

    // When mined with K = 2
    const result = mineAssociationRules(baskets, { ...options, topK: 2 });

    // Then product 1 keeps 2 then 3, not 4
    const ofOne = result.rules
      .filter((r) => productIds[r.product] === 1)
      .map((r) => [r.rank, productIds[r.associated]]);
    expect(ofOne).toEqual([
      [1, 2],
      [2, 3],
    ]);
  });

  it("drops pairs below the minimum count, weak lifts and oversized baskets", () => {
    // Given a rare pair (1 order), a bestseller everyone buys, and one huge basket with everything
    const random = seededRandom(3);
    const orders: number[][] = [[7, 8]];
    for (let i = 0; i < 200; i++) orders.push(random() < 0.5 ? [1, 99] : [2, 99]);
    orders.push(Array.from({ length: 60 }, (_, i) => i + 1000));
    orders.push(Array.from({ length: 60 }, (_, i) => i + 1000));
    const { baskets, productIds } = basketsOf(orders);

    // When mined with a lift floor of 1.5 and baskets capped at 50
    const result = mineAssociationRules(baskets, { ...options, minLift: 1.5, maxBasketSize: 50 });

    // Then no rule: the rare pair is below 2 orders, 99 has lift ≈ 1, the big baskets add no pairs
    expect(result.rules.map((r) => [productIds[r.product], productIds[r.associated]])).toEqual([]);
    expect(result.skippedBaskets).toBe(2);
  });

  it("asks a margin of the lift: a chance excess on few orders is no rule, a strong pair is", () => {
    // Given 200 orders: 1+2 together 6 times where 1.4 would be expected (lift 4, on 6 orders),
    // 5+6 together 20 times where 2 would be expected
    const orders: number[][] = [];
    for (let i = 0; i < 6; i++) orders.push([1, 2]);
    for (let i = 0; i < 11; i++) orders.push([1], [2]);
    for (let i = 0; i < 20; i++) orders.push([5, 6]);
    while (orders.length < 200) orders.push([100 + orders.length]);
    const { baskets, productIds } = basketsOf(orders);

    // When mined with the default margin (3.5 standard errors)
    const result = mineAssociationRules(baskets, { ...options, minLift: 1.5, liftMarginZ: 3.5 });

    // Then only 5↔6
    const pairs = result.rules.map((r) => [productIds[r.product], productIds[r.associated]]);
    expect(pairs).toEqual([
      [5, 6],
      [6, 5],
    ]);
  });

  it("scales the minimum pair count with the shop's order count", () => {
    const { baskets } = basketsOf(Array.from({ length: 1000 }, (_, i) => [i % 3, 3 + (i % 2)]));
    expect(mineAssociationRules(baskets, { ...options, minPairOrders: 2, minSupport: 0.01 }).minPairOrders).toBe(10);
  });
});
