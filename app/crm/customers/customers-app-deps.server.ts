// The Customers list services' dependencies in the app process (routes). Shopify is written
// with the request's own Admin client (the staff member's session), as the Customer 360 page
// does; background jobs use the workers' offline client instead. The database client is the
// session's shop's (row-level-security scope); only the count of a filter's matches gets the
// owner's: the Customers list builds its shop's list table on first use (DDL in customer_lists,
// which kinship_app cannot do), then reads it inside the shop's scope itself
// (customer-list.repository.server.ts inListScope).
import { db, shopDb } from "../../db.server";
import { jobs } from "../../jobs/jobs.server";
import { logger } from "../../lib/logger.server";
import { createShopifyAdminClient } from "../shopify-admin/shopify-admin-client.server";
import type { CustomerBulkDeps } from "./customer-bulk-actions.server";

type RequestAdmin = {
  graphql: (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;
};

export function customersAppDeps(shopDomain: string, admin: RequestAdmin): CustomerBulkDeps {
  return {
    db: shopDb(shopDomain),
    listDb: db(),
    logger,
    jobs: jobs(),
    adminFor: async (shop) =>
      createShopifyAdminClient({ shop, transport: ({ query, variables }) => admin.graphql(query, { variables }) }),
  };
}
