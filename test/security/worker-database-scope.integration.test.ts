// The workers' database work runs behind the row-level-security wall: each per-shop job hands the
// domain a client in its shop's scope (workers/processors/job-shop.ts createJobScopes), and a
// processor reaches for the owner's unscoped client only where listed below with its reason.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import type { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { deliveryJobId, deliveryJobTarget } from "../../app/crm/data-health/delivery-jobs";
import { enqueueDelivery } from "../../app/crm/data-health/enqueue-delivery.server";
import { recordDelivery } from "../../app/crm/ingest/webhook-inbox.repository.server";
import { createJobQueues } from "../../app/jobs/job-queues.server";
import { logger } from "../../app/lib/logger.server";
import { startWorkers } from "../../workers/start-workers";
import { customerPayload, customerRedactPayload } from "../shopify-double/rest-payloads";
import { createTestShop } from "../helpers/create-test-shop";
import { smallTestStore } from "../helpers/small-test-store";
import { createTestPrisma } from "../helpers/test-database";
import { openTestQueues } from "../helpers/test-queues";
import { probeWriteScope, type WriteScopeProbe } from "../helpers/write-scope-probe";

const PROCESSORS_DIR = path.join(__dirname, "../../workers/processors");

// Each use of a processor's own deps (the owner's client) other than scoping them
// (createJobScopes) or reading their jobs, logger or Admin factory: file, then the line as written.
const OWNER_CLIENT_USES: Record<string, string> = {
  "analytics.processor.ts: const build = await rebuildCustomerListTable(deps.db, job.data.shopId);":
    "the Customers list table is built in schema customer_lists (CREATE TABLE AS, indexes, swap): DDL kinship_app cannot do",
  "automations.processor.ts: const shopId = await findRunShopId(automationDeps.db, BigInt(runId));":
    "a run job carries only the run id: its shop is read (automation_runs is outside the wall), then the run is scoped to it",
  "ingest.processor.ts: const batcher = createApplyWebhookBatcher({ ...deps, shopDb: scopes.clients.byDomain });":
    "the inbox (every shop's deliveries, a batch at a time) is read and marked as the owner; each shop's deliveries are applied in its scope (shopDb)",
  "inbox-sweeper.processor.ts: return async () => sweepInbox(deps);":
    "the inbox sweeper re-enqueues every shop's stale deliveries (cross-shop on purpose)",
  'privacy.processor.ts: if (job.name === "apply-retention") return applyRetention(deps);':
    "the daily retention pass deletes every shop's expired data (cross-shop on purpose)",
};
// Outside the processors and not checked here: start-workers.ts records dead letters with the
// owner's client (webhook_deliveries and the failed job, any shop); the history import's COPY and the
// analytics run open their own pg connections (deps.databaseUrl) as the owner. The rescore opens one
// too, but runs as kinship_app in its shop's scope (analytics-connection inShopScopedTransaction).

function ownerClientUses(): string[] {
  const uses: string[] = [];
  for (const file of readdirSync(PROCESSORS_DIR).filter((name) => name.endsWith(".processor.ts"))) {
    const source = readFileSync(path.join(PROCESSORS_DIR, file), "utf8");
    const param = /export function create\w+Processor\((\w+)/.exec(source)?.[1];
    if (!param) continue;
    const use = new RegExp(`\\b${param}\\b(?!\\.(jobs|logger|adminFor)\\b)(?!:)`);
    for (const line of source.split("\n")) {
      if (line.trim().startsWith("//")) continue;
      if (use.test(line) && !line.includes(`createJobScopes(${param})`)) uses.push(`${file}: ${line.trim()}`);
    }
  }
  return uses.sort();
}

describe("which processors hand the domain the owner's unscoped client", () => {
  it("only the listed uses", () => {
    expect(ownerClientUses()).toEqual(Object.keys(OWNER_CLIENT_USES).sort());
  });
});

describe("a job run by the workers", () => {
  const db = createTestPrisma();
  const queues = openTestQueues();
  const producer = createJobQueues(queues.connection, queues.prefix);
  let shopA: { id: number; domain: string };
  let probe: WriteScopeProbe;

  beforeAll(async () => {
    shopA = await createTestShop(db, { name: "Worker scope A" });
    // Who writes shop A's customer rows, and in which shop scope.
    probe = await probeWriteScope(db, "customers", shopA.id);
  });

  afterAll(async () => {
    await probe.remove();
    await db.webhookDelivery.deleteMany({ where: { shopDomain: shopA.domain } });
    await db.shop.delete({ where: { id: shopA.id } });
    await producer.close();
    await queues.cleanUp();
    await db.$disconnect();
  });

  /** Records the delivery, enqueues its job as the webhook route does, and waits for it. */
  async function applyThroughTheWorkers(topic: string, payload: unknown) {
    const id = await recordDelivery(db, {
      shopDomain: shopA.domain,
      webhookId: randomUUID(),
      eventId: null,
      topic,
      apiVersion: "2025-10",
      triggeredAt: null,
      payload: payload as Prisma.InputJsonValue,
    });
    if (id === null) throw new Error("the delivery was not recorded");
    await enqueueDelivery(producer, { id, shopDomain: shopA.domain, topic, attempts: 0 });
    const queue = queues.queue(deliveryJobTarget(topic).queue);
    const jobId = deliveryJobId(id, 0);
    for (let waited = 0; waited < 30_000; waited += 100) {
      const state = await queue.getJobState(jobId);
      if (state === "completed" || state === "failed") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await queue.getJobState(jobId)).toBe("completed");
  }

  it("writes as kinship_app inside its shop's scope (customers/create through ingest, customers/redact through privacy)", async () => {
    const store = smallTestStore(shopA.domain);
    const ada = store.customers[0]!;
    const running = startWorkers({ db, logger, jobs: producer, connection: queues.connection, prefix: queues.prefix });
    try {
      // Given shop A's customer, stored by the ingest of her customers/create (a per-event job)
      await applyThroughTheWorkers("customers/create", customerPayload(store, ada));
      expect(await db.customer.count({ where: { shopId: shopA.id } })).toBe(1);
      // When the workers apply Shopify's request to erase her
      await applyThroughTheWorkers("customers/redact", customerRedactPayload(store, ada));
    } finally {
      await running.stop();
    }
    // Then her row was written by the app role in shop A's scope, never by the owner
    const { writers, writes } = await probe.writers();
    expect(writes).toBeGreaterThanOrEqual(2);
    expect(writers).toEqual([`kinship_app ${shopA.id}`]);
  });
});
