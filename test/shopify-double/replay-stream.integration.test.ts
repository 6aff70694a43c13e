// Replaying a store's shuffled, duplicated history through the app's real ingest path
// leaves exactly the store's final state.
import { afterAll, describe, expect, it } from "vitest";

import { applyWebhookDelivery } from "../../app/crm/ingest/apply-webhook.server";
import { recordDelivery } from "../../app/crm/ingest/webhook-inbox.repository.server";
import { createJobQueues } from "../../app/jobs/job-queues.server";
import { logger } from "../../app/lib/logger.server";
import { createTestPrisma } from "../helpers/test-database";
import { openTestQueues } from "../helpers/test-queues";
import { expectedProfiles } from "../helpers/expected-profiles";
import { generateDemoStore } from "./demo-store";
import { buildReplayStream } from "./replay-stream";

const db = createTestPrisma();
const queues = openTestQueues();
const deps = { db, logger, jobs: createJobQueues(queues.connection, queues.prefix) };

afterAll(async () => {
  await deps.jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

describe("replay stream", () => {
  it("ends with every customer's order count and net spend exact", { timeout: 120_000 }, async () => {
    // Given a slice of the demo store and its replayed history, shuffled with 5% duplicates
    const full = generateDemoStore({
      shopDomain: `replay-${Date.now()}.myshopify.com`,
      now: new Date("2026-06-01T00:00:00Z"),
    });
    const customers = full.customers.slice(0, 150);
    const ids = new Set(customers.map((customer) => customer.id));
    const store = {
      ...full,
      customers,
      orders: full.orders.filter((order) => order.customerId !== null && ids.has(order.customerId)),
    };
    const stream = buildReplayStream(store, { duplicateRate: 0.05 });
    expect(new Set(stream.map((d) => d.topic))).toEqual(
      new Set([
        "customers/create",
        "customers/update",
        "orders/create",
        "orders/paid",
        "orders/updated",
        "refunds/create",
        "orders/cancelled",
      ]),
    );
    expect(stream.length).toBeGreaterThan(new Set(stream.map((d) => d.webhookId)).size);
    const shop = await db.shop.create({
      data: { domain: store.domain, name: store.name, currencyCode: "USD", ianaTimezone: store.ianaTimezone },
    });

    // When every delivery goes through the inbox and is applied, in stream order
    for (const delivery of stream) {
      const id = await recordDelivery(db, {
        shopDomain: store.domain,
        webhookId: delivery.webhookId,
        eventId: delivery.eventId,
        topic: delivery.topic,
        apiVersion: "2026-07",
        triggeredAt: new Date(delivery.triggeredAt),
        payload: delivery.payload as object,
      });
      if (id !== null) await applyWebhookDelivery(deps, id);
    }

    // Then the profiles equal the store's final state
    const rows = await db.customer.findMany({
      where: { shopId: shop.id },
      select: { shopifyId: true, ordersCount: true, netSpentMinor: true, grossSpentMinor: true, tags: true },
    });
    const expected = expectedProfiles(store);
    expect(rows.length).toBe(store.customers.length);
    for (const row of rows) {
      expect({ id: row.shopifyId, ...pick(row) }).toEqual({ id: row.shopifyId, ...expected.get(row.shopifyId) });
    }
    await db.shop.delete({ where: { id: shop.id } });
  });
});

function pick(row: { ordersCount: number; netSpentMinor: bigint; grossSpentMinor: bigint; tags: string[] }) {
  return {
    ordersCount: row.ordersCount,
    netSpentMinor: row.netSpentMinor,
    grossSpentMinor: row.grossSpentMinor,
    tags: row.tags,
  };
}
