// Loyalty's dependencies in the app process (routes), created on first use; the database client
// is the request's shop's scoped one (shopDb).
import { env } from "../../config/env.server";
import { shopDb } from "../../db.server";
import { jobs } from "../../jobs/jobs.server";
import { createRedisConnection } from "../../jobs/redis.server";
import { logger } from "../../lib/logger.server";
import { createOfflineAdminClientFactory } from "../shopify-admin/admin-client-for-shop.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";

let shared: Omit<LoyaltyDeps, "db"> | undefined;

export function loyaltyAppDeps(shopDomain: string): LoyaltyDeps {
  shared ??= {
    logger,
    jobs: jobs(),
    adminFor: createOfflineAdminClientFactory(createRedisConnection(env().REDIS_URL, "producer"), env().QUEUE_PREFIX),
  };
  return { ...shared, db: shopDb(shopDomain) };
}
