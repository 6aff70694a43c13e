// The app proxy's limits: per logged-in customer (one shopper's widget cannot flood the
// shop) and per shop (all its storefront traffic together). Checked after Shopify's
// signature, so an unsigned request can never spend a shop's budget.
import type { Redis } from "ioredis";

import { env } from "../../config/env.server";
import { createRedisConnection } from "../../jobs/redis.server";
import { logger } from "../../lib/logger.server";
import { createRateLimiter, type RateLimitDecision, type RateLimiter } from "./rate-limiter.server";

const WINDOW_MS = 60_000;

export interface AppProxyLimits {
  perCustomerPerMinute: number;
  perShopPerMinute: number;
}

export function createAppProxyRateLimit(
  redis: Redis,
  prefix: string,
  limits: AppProxyLimits,
  logger?: { warn(fields: object, message: string): void },
) {
  const limiter: RateLimiter = createRateLimiter(redis, prefix);
  return (request: { shopDomain: string; customerShopifyId: bigint | null }): Promise<RateLimitDecision> =>
    limiter
      .hit([
        [`proxy:shop:${request.shopDomain}`, { limit: limits.perShopPerMinute, windowMs: WINDOW_MS }],
        ...(request.customerShopifyId === null
          ? []
          : ([
              [
                `proxy:customer:${request.shopDomain}:${request.customerShopifyId}`,
                { limit: limits.perCustomerPerMinute, windowMs: WINDOW_MS },
              ],
            ] as const)),
      ])
      // Fail open: with Redis away, shoppers still see their points (the signature still holds);
      // the limit protects against floods, it is not what keeps data safe.
      .catch((error: Error) => {
        logger?.warn({ shop: request.shopDomain, err: error.message }, "app proxy rate limit not checked");
        return { allowed: true, retryAfterSeconds: 0 };
      });
}

let appLimit: ReturnType<typeof createAppProxyRateLimit> | undefined;

/** The app process's limiter (limits from APP_PROXY_RATE_LIMIT_PER_CUSTOMER / _PER_SHOP). */
export function appProxyRateLimit() {
  const config = env();
  appLimit ??= createAppProxyRateLimit(
    createRedisConnection(config.REDIS_URL, "producer"),
    config.QUEUE_PREFIX,
    {
      perCustomerPerMinute: config.APP_PROXY_RATE_LIMIT_PER_CUSTOMER,
      perShopPerMinute: config.APP_PROXY_RATE_LIMIT_PER_SHOP,
    },
    logger,
  );
  return appLimit;
}
