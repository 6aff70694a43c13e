// The nightly co-purchase mining of one shop (chained after its analytics run): baskets out of
// PostgreSQL, rules counted in this process, the top rules per product and the popular products
// written back. Its phase times are its own (logged and returned), so the analytics run's stay
// as they were.
import type { PrismaClient } from "../../db.server";
import type { Logger } from "../../lib/logger.server";
import { openAnalyticsConnection } from "../analytics/analytics-connection.repository.server";
import { DEFAULT_MINING_OPTIONS, mineAssociationRules, type MiningOptions } from "./association-rules";
import {
  latestProductTitles,
  readBaskets,
  replaceShopRules,
  type StoredRules,
} from "./recommendation-mining.repository.server";

export interface MiningDeps {
  db: PrismaClient;
  logger: Logger;
  /** PostgreSQL for the mining's own connection (default: DATABASE_URL). */
  databaseUrl?: string;
}

/** The fallback list for customers without rules to go on. */
export const POPULAR_PRODUCTS_KEPT = 20;

export interface MiningFigures {
  orders: number;
  lines: number;
  products: number;
  pairedProducts: number;
  rules: number;
  skippedBaskets: number;
  minPairOrders: number;
  phaseDurations: { read_baskets: number; mine: number; titles: number; write: number };
}

export async function mineShopRecommendations(
  deps: MiningDeps,
  shopId: number,
  options: Partial<MiningOptions> = {},
): Promise<MiningFigures> {
  const started = performance.now();
  let phaseStart = started;
  const lap = () => {
    const now = performance.now();
    const ms = Math.round(now - phaseStart);
    phaseStart = now;
    return ms;
  };
  const client = await openAnalyticsConnection(deps.databaseUrl);
  try {
    const builder = await readBaskets(client, shopId);
    const baskets = builder.build();
    const read_baskets = lap();
    const result = mineAssociationRules(baskets, { ...DEFAULT_MINING_OPTIONS, ...options });
    const mine = lap();

    const popular = Array.from({ length: baskets.productCount }, (_, p) => p)
      .sort((a, b) => result.productOrders[b]! - result.productOrders[a]! || a - b)
      .slice(0, POPULAR_PRODUCTS_KEPT);
    const named = new Set<number>(popular);
    for (const rule of result.rules) named.add(rule.associated);
    const titles = await latestProductTitles(
      client,
      shopId,
      [...named].map((p) => builder.productIds[p]!),
    );
    const titleOf = (p: number) => titles.get(builder.productIds[p]!) ?? "Untitled product";
    const titlesMs = lap();

    const stored: StoredRules = {
      productShopifyId: [],
      rank: [],
      associatedShopifyId: [],
      associatedTitle: [],
      pairOrders: [],
      support: [],
      confidence: [],
      lift: [],
    };
    for (const rule of result.rules) {
      stored.productShopifyId.push(builder.productIds[rule.product]!);
      stored.rank.push(rule.rank);
      stored.associatedShopifyId.push(builder.productIds[rule.associated]!);
      stored.associatedTitle.push(titleOf(rule.associated));
      stored.pairOrders.push(rule.pairOrders);
      stored.support.push(rule.support);
      stored.confidence.push(rule.confidence);
      stored.lift.push(rule.lift);
    }
    await replaceShopRules(client, shopId, stored, {
      minedAt: new Date(),
      ordersCount: result.basketCount,
      productsCount: baskets.productCount,
      durationMs: Math.round(performance.now() - started),
      popularProducts: popular.map((p) => ({
        productShopifyId: String(builder.productIds[p]),
        title: titleOf(p),
        orders: result.productOrders[p]!,
      })),
    });
    const figures: MiningFigures = {
      orders: result.basketCount,
      lines: baskets.items.length,
      products: baskets.productCount,
      pairedProducts: result.pairedProducts,
      rules: result.rules.length,
      skippedBaskets: result.skippedBaskets,
      minPairOrders: result.minPairOrders,
      phaseDurations: { read_baskets, mine, titles: titlesMs, write: lap() },
    };
    deps.logger.info({ shopId, ...figures }, "recommendations mined");
    return figures;
  } finally {
    await client.end();
  }
}
