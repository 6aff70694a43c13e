// The Admin client against the local Shopify double's real throttle and failures.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { accessTokenKey, issueOfflineToken } from "../../../test/shopify-double/access-token";
import { startShopifyDouble, type ShopifyDouble } from "../../../test/shopify-double/index";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { accessTokenTransport, createShopifyAdminClient } from "./shopify-admin-client.server";
import { ShopifyAdminError } from "./shopify-admin-error";
import {
  createMemoryThrottleStatusStore,
  createRedisThrottleStatusStore,
  type ThrottleStatusStore,
} from "./throttle-status-store.server";

const SECRET = process.env.SHOPIFY_API_SECRET!;
const SHOP_QUERY = `query { shop { name } }`;
let double: ShopifyDouble;
const shops = ["throttled", "limited", "revoked", "shared"].map((name) =>
  smallTestStore(`${name}-${Date.now()}.myshopify.com`),
);

beforeAll(async () => {
  double = await startShopifyDouble({
    apiKey: process.env.SHOPIFY_API_KEY!,
    apiSecret: SECRET,
    appUrl: process.env.SHOPIFY_APP_URL!,
    scopes: "read_customers,read_orders",
    shops,
  });
});
afterAll(async () => double.close());

function clientFor(
  shop: string,
  sleeps: number[],
  token = issueOfflineToken(accessTokenKey(SECRET), shop),
  throttleStore: ThrottleStatusStore = createMemoryThrottleStatusStore(),
) {
  return createShopifyAdminClient({
    shop,
    throttleStore,
    transport: accessTokenTransport({
      endpoint: `${double.url}/shops/${shop}/admin/api/2026-07/graphql.json`,
      accessToken: token,
    }),
    sleep: (ms) => {
      sleeps.push(ms);
      return new Promise((resolve) => setTimeout(resolve, ms));
    },
  });
}

describe("Shopify Admin client", () => {
  it("waits for the bucket to refill when throttled, then succeeds", async () => {
    // Given a shop whose cost bucket is empty (after a first call has loaded the double's schema)
    const shop = shops[0]!.domain;
    await clientFor(shop, []).request(SHOP_QUERY);
    double.throttle.set(shop, 0);
    const sleeps: number[] = [];
    // When the app sends a query costing 102 points
    const data = await clientFor(shop, sleeps).request<{ customers: { nodes: unknown[] } }>(
      "query { customers(first: 100) { nodes { id } } }",
    );
    // Then it waited about (cost - available) / restoreRate (about a second) and got its answer
    expect(data.customers.nodes).toHaveLength(2);
    expect(sleeps.length).toBeGreaterThanOrEqual(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(500);
    expect(sleeps[0]).toBeLessThan(2_000);
    expect(double.graphqlCalls(shop).length).toBeGreaterThanOrEqual(3);
  });

  it("honours Retry-After on HTTP 429", async () => {
    const shop = shops[1]!.domain;
    double.throttle.failNext(shop, 429);
    const sleeps: number[] = [];
    const data = await clientFor(shop, sleeps).request<{ shop: { name: string } }>(SHOP_QUERY);
    expect(data.shop.name).toBe(shops[1]!.name);
    expect(sleeps).toEqual([1_000]);
  });

  it("surfaces a 401 as an UNAUTHORIZED error without retrying", async () => {
    const shop = shops[2]!.domain;
    const sleeps: number[] = [];
    const error = await clientFor(shop, sleeps, "shpat_revoked")
      .request(SHOP_QUERY)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopifyAdminError);
    expect((error as ShopifyAdminError).code).toBe("UNAUTHORIZED");
    expect(sleeps).toEqual([]);
  });

  it("turns GraphQL errors into GRAPHQL_ERRORS", async () => {
    const shop = shops[2]!.domain;
    const error = await clientFor(shop, [])
      .request("query { shop { notAField } }")
      .catch((e: unknown) => e);
    expect((error as ShopifyAdminError).code).toBe("GRAPHQL_ERRORS");
  });

  it("spreads the calls of several processes over the shop's bucket, so none comes back THROTTLED", async () => {
    // Given two workers' clients sharing the shop's bucket through Redis, last seen nearly empty
    // (60 points before a query of 52; 100 come back a second)
    const shop = shops[3]!.domain;
    const queues = openTestQueues();
    const token = issueOfflineToken(accessTokenKey(SECRET), shop);
    const sleeps: number[] = [];
    const [a, b] = [0, 1].map(() =>
      clientFor(shop, sleeps, token, createRedisThrottleStatusStore(queues.connection, queues.prefix)),
    );
    const query = "query { customers(first: 50) { nodes { id } } }";
    try {
      await a!.request(query);
      await b!.request(query);
      double.throttle.set(shop, 60);
      await a!.request(query);
      const before = double.graphqlCalls(shop).length;

      // When they send six such queries at once, three each
      await Promise.all([0, 1, 2, 3, 4, 5].map((i) => (i % 2 ? a : b)!.request(query)));

      // Then each query was sent once: they waited their turn instead of being refused
      expect(double.graphqlCalls(shop).length - before).toBe(6);
      expect(sleeps.filter((ms) => ms > 0).length).toBeGreaterThanOrEqual(5);
    } finally {
      await queues.cleanUp();
    }
  });
});
