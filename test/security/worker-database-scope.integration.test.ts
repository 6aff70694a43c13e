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

const PROCESSORS_DIR = path.join(__dirname, "../../workers/processors");

// Each use of a processor's own deps (the owner's client) other than scoping them
// (createJobScopes) or reading their jobs, logger or Admin factory: file, then the line as written.
const OWNER_CLIENT_USES: Record<string, string> = {
  "analytics.processor.ts: const build = await rebuildCustomerListTable(deps.db, job.data.shopId);":
    "the Customers list table is built in schema customer_lists (CREATE TABLE AS, indexes, swap): DDL kinship_app cannot do",
  "automations.processor.ts: const shopId = await findRunShopId(automationDeps.db, BigInt(runId));":
    "a run job carries only the run id: its shop is read (automation_runs is outside the wall), then the run is scoped to it",
  "inbox-sweeper.processor.ts: return async () => sweepInbox(deps);":
    "the inbox sweeper re-enqueues every shop's stale deliveries (cross-shop on purpose)",
  // The per-event jobs (one or more for every webhook) stay on the owner's client. In scope, each of
  // their standalone queries costs 4 round trips (a [scope, query] transaction); with them scoped the
  // workers fell behind the soak's 200 webhooks a second (npm run soak: 36,000 unapplied after 12
  // minutes; a scoped ingest alone left 8,258 after 5 minutes against 93). Their wall is the job's
  // shop: every statement's shop_id, and a delivery of another shop is refused (apply-webhook.server.ts).
  "ingest.processor.ts: const batcher = createApplyWebhookBatcher(deps);": "per-event: every webhook",
  "loyalty.processor.ts: evaluateOrders(loyaltyDeps, requests),": "per-event: every order webhook",
  "loyalty.processor.ts: return evaluateCustomer(loyaltyDeps, job.data.shopDomain, BigInt(job.data.customerShopifyId));":
    "per-event: every customer webhook",
  "analytics.processor.ts: return rescoreCustomer(deps, shopId, BigInt(customerId));":
    "per-event: every customer whose orders changed",
  "automations.processor.ts: return evaluateCustomerEvent(automationDeps, {": "per-event: every order's customer",
  'privacy.processor.ts: if (job.name === "apply-retention") return applyRetention(deps);':
    "the daily retention pass deletes every shop's expired data (cross-shop on purpose)",
};
// Outside the processors and not checked here: start-workers.ts records dead letters with the
// owner's client (webhook_deliveries and the failed job, any shop); the history import's COPY, the
// analytics run and rescore open their own pg connections (deps.databaseUrl) as the owner.

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
  const trigger = `scope_probe_${randomUUID().slice(0, 8)}`;
  const probes = `test_scope_probes.${trigger}`;

  beforeAll(async () => {
    shopA = await createTestShop(db, { name: "Worker scope A" });
    // A probe on shop A's customer writes: who wrote the row, and in which shop scope (the trigger
    // runs as the writing role). Its own schema: a table in public with shop_id would have to be
    // walled (shop-scope.integration.test.ts).
    await db.$executeRawUnsafe(`CREATE SCHEMA IF NOT EXISTS test_scope_probes`);
    await db.$executeRawUnsafe(`GRANT USAGE ON SCHEMA test_scope_probes TO kinship_app`);
    await db.$executeRawUnsafe(`CREATE TABLE ${probes} (shop_id int, role text, scope text)`);
    await db.$executeRawUnsafe(`GRANT INSERT, SELECT ON ${probes} TO kinship_app`);
    await db.$executeRawUnsafe(`CREATE FUNCTION ${probes}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ${probes} VALUES (NEW.shop_id, current_user, current_setting('kinship.shop_id', true));
        RETURN NEW;
      END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER ${trigger} AFTER INSERT OR UPDATE ON customers
      FOR EACH ROW WHEN (NEW.shop_id = ${shopA.id}) EXECUTE FUNCTION ${probes}()`);
  });

  afterAll(async () => {
    await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ${trigger} ON customers`);
    await db.$executeRawUnsafe(`DROP TABLE IF EXISTS ${probes}`);
    await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS ${probes}()`);
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

  it("writes as kinship_app inside its shop's scope (a customers/redact job through startWorkers)", async () => {
    const store = smallTestStore(shopA.domain);
    const ada = store.customers[0]!;
    const running = startWorkers({ db, logger, jobs: producer, connection: queues.connection, prefix: queues.prefix });
    try {
      // Given shop A's customer, stored by the ingest of her customers/create (a per-event job, on
      // the owner's client: see OWNER_CLIENT_USES)
      await applyThroughTheWorkers("customers/create", customerPayload(store, ada));
      await db.$executeRawUnsafe(`DELETE FROM ${probes}`);
      // When the workers apply Shopify's request to erase her
      await applyThroughTheWorkers("customers/redact", customerRedactPayload(store, ada));
    } finally {
      await running.stop();
    }
    // Then her row was written by the app role in shop A's scope, never by the owner
    const writes = await db.$queryRawUnsafe<{ role: string; scope: string | null }[]>(
      `SELECT role, scope FROM ${probes}`,
    );
    expect(writes.length).toBeGreaterThan(0);
    expect(new Set(writes.map((probe) => `${probe.role} ${probe.scope}`))).toEqual(
      new Set([`kinship_app ${shopA.id}`]),
    );
  });
});
