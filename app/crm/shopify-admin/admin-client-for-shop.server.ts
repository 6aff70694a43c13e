// The Admin client for a shop from a background job: the offline session the library
// stored at install (`unauthenticated.admin(shop)`), the shop's throttle status in Redis.
import type { Redis } from "ioredis";

import { env } from "../../config/env.server";
import { rewriteToShopifyDouble } from "../../shopify-double.server";
import { accessTokenTransport, createShopifyAdminClient, type ShopifyAdminClient } from "./shopify-admin-client.server";
import { ShopifyAdminError } from "./shopify-admin-error";
import { createRedisThrottleStatusStore } from "./throttle-status-store.server";

export type AdminClientFactory = (shopDomain: string) => Promise<ShopifyAdminClient>;

export function adminGraphqlEndpoint(shopDomain: string, apiVersion: string): string {
  const endpoint = `https://${shopDomain}/admin/api/${apiVersion}/graphql.json`;
  const doubleUrl = env().SHOPIFY_DOUBLE_URL;
  return doubleUrl ? rewriteToShopifyDouble(endpoint, doubleUrl) : endpoint;
}

export function createOfflineAdminClientFactory(redis: Redis, prefix: string): AdminClientFactory {
  const throttleStore = createRedisThrottleStatusStore(redis, prefix);
  return async (shopDomain) => {
    // Imported here so that loading a worker module does not configure the Shopify app.
    const { unauthenticated, API_VERSION } = await import("../../shopify.server");
    let session;
    try {
      ({ session } = await unauthenticated.admin(shopDomain));
    } catch (error) {
      throw new ShopifyAdminError("UNAUTHORIZED", `No offline session for ${shopDomain}: ${(error as Error).message}`, {
        shop: shopDomain,
      });
    }
    return createShopifyAdminClient({
      shop: shopDomain,
      throttleStore,
      transport: accessTokenTransport({
        endpoint: adminGraphqlEndpoint(shopDomain, API_VERSION),
        accessToken: session.accessToken ?? "",
      }),
    });
  };
}
