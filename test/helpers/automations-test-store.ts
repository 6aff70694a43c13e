// Set-up shared by the automations tests: a store on the Shopify double with named customers,
// their shop and customer rows, a loyalty program with every customer a member, and helpers
// that write the events automations read (transitions, scores, loyalty events, survey answers).
import { randomUUID } from "node:crypto";

import type { Job } from "bullmq";

import type { PrismaClient } from "../../app/db.server";
import type { JobQueues } from "../../app/jobs/job-queues.server";
import { ensureMember } from "../../app/crm/loyalty/loyalty.repository.server";
import type { LoyaltyDeps } from "../../app/crm/loyalty/loyalty-service-deps";
import { createAutomationsProcessor } from "../../workers/processors/automations.processor";
import type { ShopifyDouble } from "../shopify-double/index";
import type { StoreShop } from "../shopify-double/store-data";
import { createProgram, loyaltyDepsFor } from "./loyalty-test-setup";
import { smallTestStore } from "./small-test-store";
import { startTestDouble } from "./start-test-double";

export interface AutomationsTestStore {
  store: StoreShop;
  double: ShopifyDouble;
  deps: LoyaltyDeps;
  shop: { id: number; domain: string; ianaTimezone: string };
  /** Customer ids (ours) and Shopify ids, by first name. */
  customers: Record<string, { id: bigint; shopifyId: bigint; memberId: bigint }>;
}

export async function openAutomationsStore(options: {
  db: PrismaClient;
  jobs: JobQueues;
  names: string[];
  clock?: { now: Date };
  ianaTimezone?: string;
}): Promise<AutomationsTestStore> {
  const store = smallTestStore(`automations-${randomUUID().slice(0, 8)}.myshopify.com`);
  const template = store.customers[0]!;
  store.customers = options.names.map((firstName, i) => ({
    ...template,
    id: 8100000000101 + i,
    firstName,
    email: `${firstName.toLowerCase()}@example.com`,
    tags: [],
  }));
  const double = await startTestDouble([store]);
  const deps = loyaltyDepsFor(options.db, options.jobs, double.url, options.clock);
  const timeZone = options.ianaTimezone ?? "Europe/Berlin";
  const row = await options.db.shop.create({
    data: { domain: store.domain, name: store.name, currencyCode: "EUR", ianaTimezone: timeZone },
  });
  await createProgram(options.db, row.id);
  const customers: AutomationsTestStore["customers"] = {};
  for (const customer of store.customers) {
    const created = await options.db.customer.create({
      data: {
        shopId: row.id,
        shopifyId: BigInt(customer.id),
        firstName: customer.firstName,
        lastName: "Tester",
        email: customer.email,
        shopifyCreatedAt: new Date("2026-01-01T00:00:00Z"),
        shopifyUpdatedAt: new Date("2026-01-01T00:00:00Z"),
      },
    });
    const { member } = await ensureMember(options.db, row.id, created.id);
    customers[customer.firstName!] = { id: created.id, shopifyId: created.shopifyId, memberId: member.id };
  }
  return { store, double, deps, shop: { id: row.id, domain: row.domain, ianaTimezone: timeZone }, customers };
}

/** A customer_scores row with the given churn band and stage (the other figures are plausible). */
export async function writeScore(
  db: PrismaClient,
  shopId: number,
  customerId: bigint,
  score: { churnRisk: string; lifecycleStage?: string; runId?: number; computedAt?: Date },
) {
  const data = {
    shopId,
    runId: score.runId ?? 1,
    recencyDays: 200,
    purchaseDays: 2,
    netSpentMinor: 5000n,
    rScore: 1,
    fScore: 2,
    mScore: 2,
    rfmSegment: "At risk",
    frequency: 1,
    recency: 10,
    T: 300,
    monetaryValue: 2500,
    pAlive: 0.3,
    churnRisk: score.churnRisk,
    lifecycleStage: score.lifecycleStage ?? "at_risk",
    computedAt: score.computedAt ?? new Date(),
  };
  await db.customerScore.upsert({ where: { customerId }, create: { customerId, ...data }, update: data });
}

/** Runs every automations job waiting in the test's queue (not delayed ones), as the worker would. */
export async function runAutomationJobs(deps: LoyaltyDeps, names?: string[]) {
  const queue = deps.jobs.queue("automations");
  const process = createAutomationsProcessor(deps);
  let ran = 0;
  for (;;) {
    const jobs = (await queue.getJobs(["waiting", "prioritized"])).filter((job) => !names || names.includes(job.name));
    if (jobs.length === 0) return ran;
    for (const job of jobs.sort((a, b) => a.timestamp - b.timestamp)) {
      await process(job as Parameters<typeof process>[0]);
      await (job as Job).remove();
      ran++;
    }
  }
}
