// Loyalty's dependencies in the app process (routes), created on first use.
import { env } from "../../config/env.server";
import { db } from "../../db.server";
import { jobs } from "../../jobs/jobs.server";
import { createRedisConnection } from "../../jobs/redis.server";
import { logger } from "../../lib/logger.server";
import { createOfflineAdminClientFactory } from "../shopify-admin/admin-client-for-shop.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";

let deps: LoyaltyDeps | undefined;

export function loyaltyAppDeps(): LoyaltyDeps {
  deps ??= {
    db: db(),
    logger,
    jobs: jobs(),
    adminFor: createOfflineAdminClientFactory(createRedisConnection(env().REDIS_URL, "producer"), env().QUEUE_PREFIX),
  };
  return deps;
}
