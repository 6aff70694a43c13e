// Shared set-up of the loyalty integration tests: a shop on the Shopify double with a program,
// webhook deliveries through the real ingest path, and the loyalty jobs they enqueue run here.
import { randomUUID } from "node:crypto";

import type { Job, Queue } from "bullmq";

import type { PrismaClient } from "../../app/db.server";
import type { JobQueues } from "../../app/jobs/job-queues.server";
import { logger } from "../../app/lib/logger.server";
import { applyWebhookDelivery } from "../../app/crm/ingest/apply-webhook.server";
import { recordDelivery } from "../../app/crm/ingest/webhook-inbox.repository.server";
import {
  accessTokenTransport,
  createShopifyAdminClient,
} from "../../app/crm/shopify-admin/shopify-admin-client.server";
import type { LoyaltyDeps } from "../../app/crm/loyalty/loyalty-service-deps";
import { createReward, createTier, saveProgramSettings } from "../../app/crm/loyalty/loyalty.repository.server";
import { parseProgramSettings, type LoyaltyProgramSettings } from "../../app/crm/loyalty/loyalty-program";
import { createLoyaltyProcessor } from "../../workers/processors/loyalty.processor";
import { createShopifyCallsProcessor } from "../../workers/processors/shopify-calls.processor";
import { accessTokenKey, issueOfflineToken } from "../shopify-double/access-token";
import type { ShopifyDouble } from "../shopify-double/index";
import type { StoreShop } from "../shopify-double/store-data";
import { smallTestStore } from "./small-test-store";
import { startTestDouble } from "./start-test-double";

export function loyaltyDepsFor(
  db: PrismaClient,
  jobs: JobQueues,
  doubleUrl: string,
  clock?: { now: Date },
): LoyaltyDeps {
  return {
    db,
    logger,
    jobs,
    now: clock ? () => clock.now : undefined,
    adminFor: async (shop) =>
      createShopifyAdminClient({
        shop,
        transport: accessTokenTransport({
          endpoint: `${doubleUrl}/shops/${shop}/admin/api/2026-07/graphql.json`,
          accessToken: issueOfflineToken(accessTokenKey(process.env.SHOPIFY_API_SECRET!), shop),
        }),
      }),
  };
}

export async function createProgram(
  db: PrismaClient,
  shopId: number,
  settings: Partial<Record<keyof LoyaltyProgramSettings, unknown>> = {},
  launchedAt = new Date("2020-01-01T00:00:00Z"),
) {
  await saveProgramSettings(db, shopId, parseProgramSettings(settings), { launchedAt });
}

export { createReward, createTier };

/** Records and applies one delivery the way the ingest worker does. */
export async function deliver(
  deps: LoyaltyDeps,
  shopDomain: string,
  topic: string,
  payload: unknown,
  webhookId = randomUUID(),
) {
  const id = await recordDelivery(deps.db, {
    shopDomain,
    webhookId,
    eventId: null,
    topic,
    apiVersion: "2026-07",
    triggeredAt: new Date(),
    payload: payload as object,
  });
  if (id) await applyWebhookDelivery(deps, id);
}

/** Runs (and removes) every loyalty job waiting in the test's queue, as the worker would. */
export async function runLoyaltyJobs(deps: LoyaltyDeps, names = ["evaluate-order", "evaluate-customer"]) {
  const process = createLoyaltyProcessor(deps, createShopifyCallsProcessor(deps));
  return runWaitingJobs(deps.jobs.queue("loyalty"), names, (job) => process(job as Parameters<typeof process>[0]));
}

/** Runs (and removes) the shopify-calls jobs of these names waiting in the test's queue, as the worker would. */
export async function runShopifyCallsJobs(deps: LoyaltyDeps, names: string[]) {
  const process = createShopifyCallsProcessor(deps);
  return runWaitingJobs(deps.jobs.queue("shopify-calls"), names, (job) =>
    process(job as Parameters<typeof process>[0]),
  );
}

async function runWaitingJobs(queue: Queue, names: string[], process: (job: Job) => Promise<unknown>) {
  let ran = 0;
  for (;;) {
    const jobs = (await queue.getJobs(["waiting", "delayed", "prioritized"])).filter((job) => names.includes(job.name));
    if (jobs.length === 0) return ran;
    for (const job of jobs.sort((a, b) => a.timestamp - b.timestamp)) {
      await process(job);
      await job.remove();
      ran++;
    }
  }
}

export interface LoyaltyTestStore {
  store: StoreShop;
  shop: { id: number; domain: string };
  /** The double, restarted to host the store (discount codes, tags, metafields land there). */
  double: ShopifyDouble;
  deps: LoyaltyDeps;
}

/** A fresh store on a restarted Shopify double, its shop row, and a loyalty program. */
export async function openLoyaltyStore(options: {
  db: PrismaClient;
  jobs: JobQueues;
  double: ShopifyDouble;
  handle: string;
  clock?: { now: Date };
  settings?: Parameters<typeof createProgram>[2];
  ianaTimezone?: string;
  /** Changes to the generated store before the double serves it. */
  prepare?: (store: StoreShop) => void;
}): Promise<LoyaltyTestStore> {
  const store = smallTestStore(`${options.handle}-${randomUUID().slice(0, 8)}.myshopify.com`);
  options.prepare?.(store);
  await options.double.close();
  const double = await startTestDouble([store]);
  const deps = loyaltyDepsFor(options.db, options.jobs, double.url, options.clock);
  const row = await options.db.shop.create({
    data: { domain: store.domain, name: store.name, currencyCode: "EUR", ianaTimezone: options.ianaTimezone ?? "UTC" },
  });
  await createProgram(options.db, row.id, options.settings);
  return { store, shop: { id: row.id, domain: row.domain }, double, deps };
}

/** The loyalty member of a shop's customer, by Shopify customer id. */
export async function memberOfCustomer(db: PrismaClient, shopId: number, customerShopifyId: number) {
  const customer = await db.customer.findUniqueOrThrow({
    where: { shopId_shopifyId: { shopId, shopifyId: BigInt(customerShopifyId) } },
  });
  return db.loyaltyMember.findUniqueOrThrow({ where: { customerId: customer.id } });
}
