// Where a customer's recommendations show, against real PostgreSQL, Redis and the Shopify double:
// the storefront widget through the signed app proxy route, Customer 360, the customer metafield
// (written once, not again while unchanged) and the chained jobs' deterministic ids.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loyaltyDepsFor } from "../../../test/helpers/loyalty-test-setup";
import { givenCustomerOrder, seedCoPurchases } from "../../../test/helpers/seed-co-purchases";
import { signedAppProxyRequest } from "../../../test/helpers/signed-app-proxy-request";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import { startTestDouble } from "../../../test/helpers/start-test-double";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { metafieldValuesOf } from "../../../test/shopify-double/customer-metafields";
import type { ShopifyDouble } from "../../../test/shopify-double/index";
import { createJobQueues } from "../../jobs/job-queues.server";
import { logger } from "../../lib/logger.server";
import type * as ProxyRouteModule from "../../routes/proxy.$";
import { loadCustomer360 } from "../customer-360/customer-360.server";
import { mineShopRecommendations } from "./mine-recommendations.server";
import { writeRecommendationMetafieldsPage } from "./recommendation-metafields.server";
import { requestRecommendationMining, runRecommendationMining } from "./recommendation-jobs.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const store = smallTestStore(`recs-${Date.now().toString(36)}.myshopify.com`);
const [ada, grace] = store.customers;
const PLAYER = { id: 8_800_000_001n, title: "Record Player" };
const STAND = { id: 8_800_000_002n, title: "Walnut Stand" };
const SLEEVES = { id: 8_800_000_003n, title: "Vinyl Sleeves" };
const PAIR_A = PLAYER.id;
const PAIR_B = STAND.id;
const BESTSELLER = SLEEVES.id;
let double: ShopifyDouble;
let route: typeof ProxyRouteModule;
let shopId: number;
const at = new Date("2026-11-01T10:00:00Z");

beforeAll(async () => {
  double = await startTestDouble([store]);
  route = await import("../../routes/proxy.$");
  const shop = await db.shop.create({
    data: { domain: store.domain, name: store.name, currencyCode: "EUR", ianaTimezone: "Europe/Berlin" },
  });
  shopId = shop.id;
  const customer = (shopifyId: number, ordersCount: number) =>
    db.customer.create({ data: { shopId, shopifyId, shopifyCreatedAt: at, shopifyUpdatedAt: at, ordersCount } });
  const adaRow = await customer(ada!.id, 1);
  await customer(grace!.id, 0);
  // Given guests who bought the player with the stand 20 times and the sleeves alone 180 times,
  // and Ada, who bought the record player
  await seedCoPurchases(db, shopId, { pair: [PLAYER, STAND], bestseller: SLEEVES });
  await givenCustomerOrder(db, shopId, adaRow.id, 6_000_001n, [PLAYER]);
}, 60_000);

afterAll(async () => {
  await db.shop.delete({ where: { id: shopId } });
  await double.close();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

const proxyGet = (customerId: number | null, method: "GET" | "POST" = "GET") =>
  route.loader({
    request: signedAppProxyRequest({ shop: store.domain, path: "recommendations", customerId, method }),
    params: { "*": "recommendations" },
    context: {},
  });

describe("recommendation surfaces", () => {
  it("the mining job stores the rules and queues the metafield batch under a deterministic id", async () => {
    // When the chained job runs (as the analytics processor queues it after a run)
    await requestRecommendationMining(jobs, shopId, 41);
    await requestRecommendationMining(jobs, shopId, 41);
    const figures = await runRecommendationMining({ db, logger, jobs }, shopId);

    // Then one mining job per run, the pair's rules, and the first metafield page queued
    const mining = (await queues.jobs("analytics")).filter((job) => job.name === "mine-recommendations");
    expect(mining.map((job) => job.id)).toEqual([`recommendations-${shopId}-41`]);
    expect(figures).toMatchObject({ orders: 201, rules: 2 });
    const pages = (await queues.jobs("sync")).filter((job) => job.name === "recommendation-metafields");
    expect(pages.map((job) => [job.id, job.data])).toEqual([
      [`recommendation-metafields-${shopId}-0`, { shopId, afterCustomerId: "0" }],
    ]);
  });

  it("answers the storefront widget for the logged-in customer, and popular products for a visitor", async () => {
    await mineShopRecommendations({ db, logger }, shopId);
    // When Ada asks through the signed app proxy
    const response = await proxyGet(ada!.id);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { personal: boolean; products: { productId: string; title: string }[] };

    // Then the stand comes first, with the title from the order lines; never the player she owns
    expect(body.personal).toBe(true);
    expect(body.products[0]).toEqual({
      productId: String(PAIR_B),
      productGid: `gid://shopify/Product/${PAIR_B}`,
      title: "Walnut Stand",
      reason: "co_purchase",
    });
    expect(body.products.map((p) => p.productId)).not.toContain(String(PAIR_A));

    // And a logged-out visitor gets the bestseller first
    const visitor = (await (await proxyGet(null)).json()) as typeof body;
    expect(visitor.personal).toBe(false);
    expect(visitor.products[0]?.productId).toBe(String(BESTSELLER));

    // And a write is refused
    expect((await proxyGet(ada!.id, "POST")).status).toBe(405);
  });

  it("shows the picks on Customer 360", async () => {
    const view = await loadCustomer360(db, {
      shopDomain: store.domain,
      customerShopifyId: BigInt(ada!.id),
      orders: null,
    });
    expect(view?.recommendations.products[0]).toEqual({
      id: String(PAIR_B),
      title: "Walnut Stand",
      reason: "Often bought with their purchases",
    });
    expect(view?.recommendations.minedAt).toMatch(/GMT\+1/);
  });

  it("writes the customer metafield once and skips it while the list is unchanged", async () => {
    const deps = { db, logger, adminFor: loyaltyDepsFor(db, jobs, double.url).adminFor! };

    // When the batch runs for the shop
    const first = await writeRecommendationMetafieldsPage(deps, shopId, 0n);

    // Then Ada (the only buying customer) gets the list of product references
    expect(first).toEqual({ written: 1, unchanged: 0, next: null });
    const value = metafieldValuesOf(store.domain).get(`gid://shopify/Customer/${ada!.id}|kinship.recommended_products`);
    expect(JSON.parse(value!)[0]).toBe(`gid://shopify/Product/${PAIR_B}`);
    expect(
      metafieldValuesOf(store.domain).has(`gid://shopify/Customer/${grace!.id}|kinship.recommended_products`),
    ).toBe(false);

    // And a second batch sends nothing
    metafieldValuesOf(store.domain).clear();
    expect(await writeRecommendationMetafieldsPage(deps, shopId, 0n)).toEqual({ written: 0, unchanged: 1, next: null });
    expect(metafieldValuesOf(store.domain).size).toBe(0);
  });
});
