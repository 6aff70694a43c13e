// A stale "running" history import (worker gone, or its bulk operation lost) no longer
// blocks new imports: the next request marks it failed with the reason and starts anew.
import { randomBytes } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createJobQueues } from "../../jobs/job-queues.server";
import { logger } from "../../lib/logger.server";
import { accessTokenKey, issueOfflineToken } from "../../../test/shopify-double/access-token";
import { configureBulkOperations, type ShopifyDouble } from "../../../test/shopify-double/index";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import { startTestDouble } from "../../../test/helpers/start-test-double";
import { accessTokenTransport, createShopifyAdminClient } from "../shopify-admin/shopify-admin-client.server";
import { createMemoryThrottleStatusStore } from "../shopify-admin/throttle-status-store.server";
import { type HistoryImportDeps, startHistoryImport } from "./history-import.server";
import { HISTORY_IMPORT_KIND } from "./history-import.repository.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const stores = ["stale", "lost", "alive"].map((name) =>
  smallTestStore(`takeover-${name}-${randomBytes(4).toString("hex")}.myshopify.com`),
);
let double: ShopifyDouble;

const deps: HistoryImportDeps = {
  db,
  logger,
  jobs,
  pollDelayMs: 60_000, // no worker runs here: the poll jobs only wait
  adminFor: async (shop) =>
    createShopifyAdminClient({
      shop,
      throttleStore: createMemoryThrottleStatusStore(),
      transport: accessTokenTransport({
        endpoint: `${double.url}/shops/${shop}/admin/api/2026-07/graphql.json`,
        accessToken: issueOfflineToken(accessTokenKey(process.env.SHOPIFY_API_SECRET!), shop),
      }),
    }),
};

beforeAll(async () => {
  double = await startTestDouble(stores);
  for (const store of stores) {
    configureBulkOperations(store.domain, { sendFinishWebhook: false }); // no app listens here
    await db.shop.create({
      data: { domain: store.domain, name: store.name, currencyCode: store.currencyCode, ianaTimezone: "UTC" },
    });
  }
});

afterAll(async () => {
  for (const store of stores) await db.shop.deleteMany({ where: { domain: store.domain } });
  await db.$disconnect();
  await jobs.close();
  await queues.cleanUp();
  await double.close();
});

async function runningImport(domain: string, run: { heartbeatAt: Date; bulkOperationId: string | null }) {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
  return db.syncRun.create({
    data: {
      shopId: shop.id,
      kind: HISTORY_IMPORT_KIND,
      status: "running",
      startedAt: run.heartbeatAt,
      heartbeatAt: run.heartbeatAt,
      bulkOperationId: run.bulkOperationId,
      linesDone: 40n,
      ordersCount: 40,
    },
  });
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe("history import takeover", () => {
  it("marks an import without a heartbeat for ten minutes failed and starts a new one", async () => {
    // Given an import whose worker died eleven minutes ago
    const store = stores[0]!;
    const stale = await runningImport(store.domain, { heartbeatAt: minutesAgo(11), bulkOperationId: null });
    // When the merchant asks for an import
    const started = await startHistoryImport(deps, store.domain);
    // Then the stale one failed with a clear reason, and a new one runs a bulk operation
    const old = await db.syncRun.findUniqueOrThrow({ where: { id: stale.id } });
    expect(old.status).toBe("failed");
    expect(old.error).toBe(`Taken over: no progress since ${stale.heartbeatAt!.toISOString()}`);
    expect(old.finishedAt).not.toBeNull();
    expect(started!.id).not.toBe(stale.id);
    const fresh = await db.syncRun.findUniqueOrThrow({ where: { id: started!.id } });
    expect(fresh.status).toBe("running");
    expect(fresh.bulkOperationId).toMatch(/^gid:\/\/shopify\/BulkOperation\//);
  });

  it("takes over at once when Shopify no longer knows the import's bulk operation", async () => {
    // Given an import that beat a minute ago, but whose bulk operation Shopify lost
    const store = stores[1]!;
    const lost = await runningImport(store.domain, {
      heartbeatAt: minutesAgo(1),
      bulkOperationId: "gid://shopify/BulkOperation/424242",
    });
    // When a new import is requested
    const started = await startHistoryImport(deps, store.domain);
    // Then the lost one is failed with that reason and a new one started
    const old = await db.syncRun.findUniqueOrThrow({ where: { id: lost.id } });
    expect(old.status).toBe("failed");
    expect(old.error).toBe("Taken over: bulk operation gid://shopify/BulkOperation/424242 was not found in Shopify");
    expect(started!.id).not.toBe(lost.id);
    expect(await db.syncRun.count({ where: { shop: { domain: store.domain }, status: "running" } })).toBe(1);
  });

  it("keeps an import that is alive and starts nothing new", async () => {
    // Given an import that beat two minutes ago, waiting on a bulk operation still running
    const store = stores[2]!;
    const first = await startHistoryImport(deps, store.domain);
    await db.syncRun.update({ where: { id: first!.id }, data: { heartbeatAt: minutesAgo(2) } });
    // When another import is requested
    const again = await startHistoryImport(deps, store.domain);
    // Then it is the same run, untouched
    expect(again!.id).toBe(first!.id);
    const runs = await db.syncRun.findMany({ where: { shop: { domain: store.domain } } });
    expect(runs.map((run) => run.status)).toEqual(["running"]);
  });
});
