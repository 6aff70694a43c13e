// Deliveries applied many at a time (as the ingest worker does) give exactly what one
// delivery after another gives, and a bad delivery fails alone.
import { randomUUID } from "node:crypto";

import { UnrecoverableError } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";

import { expectedProfiles } from "../../../test/helpers/expected-profiles";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { generateDemoStore } from "../../../test/shopify-double/demo-store";
import { buildReplayStream } from "../../../test/shopify-double/replay-stream";
import { createJobQueues } from "../../jobs/job-queues.server";
import { logger } from "../../lib/logger.server";
import { createApplyWebhookBatcher } from "./apply-webhook-batcher.server";
import { applyWebhookDeliveries } from "./apply-webhook.server";
import { recordDelivery } from "./webhook-inbox.repository.server";

const db = createTestPrisma();
const queues = openTestQueues();
const deps = { db, logger, jobs: createJobQueues(queues.connection, queues.prefix) };

afterAll(async () => {
  await deps.jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

function record(shopDomain: string, delivery: { topic: string; webhookId?: string; payload: unknown }) {
  return recordDelivery(db, {
    shopDomain,
    webhookId: delivery.webhookId ?? randomUUID(),
    eventId: null,
    topic: delivery.topic,
    apiVersion: "2026-07",
    triggeredAt: new Date(),
    payload: delivery.payload as object,
  });
}

describe("batched ingest", () => {
  it(
    "applies a shuffled, duplicated history in batches to the store's exact final state",
    { timeout: 120_000 },
    async () => {
      // Given a slice of the demo store's replayed history, many deliveries of one order close together
      const full = generateDemoStore({
        shopDomain: `batch-${randomUUID().slice(0, 8)}.myshopify.com`,
        now: new Date("2026-06-01T00:00:00Z"),
      });
      const customers = full.customers.slice(0, 120);
      const ids = new Set(customers.map((customer) => customer.id));
      const store = {
        ...full,
        customers,
        orders: full.orders.filter((o) => o.customerId !== null && ids.has(o.customerId)),
      };
      const stream = buildReplayStream(store, { duplicateRate: 0.05 });
      const shop = await db.shop.create({
        data: { domain: store.domain, name: store.name, currencyCode: "USD", ianaTimezone: store.ianaTimezone },
      });
      const deliveryIds: bigint[] = [];
      for (const delivery of stream) {
        const id = await record(store.domain, delivery);
        if (id !== null) deliveryIds.push(id);
      }

      // When they are applied through the worker's batcher, 50 at a time, and one batch again (a retry)
      const batcher = createApplyWebhookBatcher(deps, { maxBatchSize: 50 });
      const outcomes = await Promise.all(
        deliveryIds.map((deliveryId) => batcher.apply({ deliveryId, shopDomain: store.domain })),
      );
      const again = await applyWebhookDeliveries(
        deps,
        deliveryIds.slice(0, 50).map((deliveryId) => ({ deliveryId, shopDomain: store.domain })),
      );

      // Then every delivery is applied once, and every profile equals the store's final state
      expect(new Set(outcomes)).toEqual(new Set(["applied"]));
      expect(again.every((result) => result.status === "fulfilled" && result.value === "applied")).toBe(true);
      const rows = await db.customer.findMany({
        where: { shopId: shop.id },
        select: { shopifyId: true, ordersCount: true, netSpentMinor: true, grossSpentMinor: true, tags: true },
      });
      const expected = expectedProfiles(store);
      expect(rows.length).toBe(store.customers.length);
      for (const row of rows) {
        const { shopifyId, ...figures } = row;
        expect({ id: shopifyId, ...figures }).toEqual({ id: shopifyId, ...expected.get(shopifyId) });
      }
      const statuses = await db.webhookDelivery.groupBy({
        by: ["status"],
        where: { shopDomain: store.domain },
        _count: true,
      });
      expect(statuses).toEqual([{ status: "applied", _count: deliveryIds.length }]);
      const attempts = await db.webhookDelivery.aggregate({
        where: { shopDomain: store.domain },
        _max: { attempts: true },
      });
      expect(attempts._max.attempts).toBe(1);
    },
  );

  it("fails a bad payload or an unknown shop's delivery alone and applies the rest of the batch", async () => {
    // Given a batch with a good customer, a malformed order, and a delivery for a shop not recorded
    const full = generateDemoStore({
      shopDomain: `mixed-${randomUUID().slice(0, 8)}.myshopify.com`,
      now: new Date("2026-06-01T00:00:00Z"),
    });
    await db.shop.create({ data: { domain: full.domain, name: full.name, currencyCode: "USD", ianaTimezone: "UTC" } });
    const [customerDelivery] = buildReplayStream(
      { ...full, orders: [], customers: full.customers.slice(0, 1) },
      { duplicateRate: 0 },
    );
    const good = await record(full.domain, customerDelivery!);
    const malformed = await record(full.domain, { topic: "orders/create", payload: { id: 1, name: 42 } });
    const unknownShop = await record(`nobody-${randomUUID().slice(0, 8)}.myshopify.com`, customerDelivery!);

    // When they are applied together
    const [a, b, c] = await applyWebhookDeliveries(
      deps,
      [good!, malformed!, unknownShop!].map((deliveryId) => ({ deliveryId })),
    );

    // Then the good one is applied, the malformed one fails for good, the unknown shop's is retried
    expect(a).toEqual({ status: "fulfilled", value: "applied" });
    expect(b!.status === "rejected" && b!.reason).toBeInstanceOf(UnrecoverableError);
    expect(c!.status === "rejected" && (c!.reason as { code?: string }).code).toBe("shop_not_recorded");
    const rows = await db.webhookDelivery.findMany({
      where: { id: { in: [good!, malformed!, unknownShop!] } },
      orderBy: { id: "asc" },
    });
    expect(rows.map((row) => row.status)).toEqual(["applied", "received", "received"]);
    const customer = await db.customer.findFirst({ where: { shop: { domain: full.domain } } });
    expect(customer?.shopifyId).toBe(BigInt(full.customers[0]!.id));
  });
});
