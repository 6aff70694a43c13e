// What segment services are handed (see STYLE: dependencies are passed in).
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import type { Logger } from "../../lib/logger.server";
import type { ShopifyAdminClient } from "../shopify-admin/shopify-admin-client.server";

export interface SegmentDeps {
  db: PrismaClient;
  logger: Logger;
  jobs: JobQueues;
  /** Admin API client for a shop (background jobs: its offline session). */
  adminFor?: (shopDomain: string) => Promise<ShopifyAdminClient>;
  now?: () => Date;
}
