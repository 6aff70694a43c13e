// Live ingest semantics against real PostgreSQL: out-of-order, duplicate and late
// deliveries, refunds and cancellations keep every profile figure exact.
import { randomUUID } from "node:crypto";

import { UnrecoverableError } from "bullmq";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

import { customerPayload, orderPayload, refundPayload } from "../../../test/shopify-double/rest-payloads";
import type { StoreOrder, StoreShop } from "../../../test/shopify-double/store-data";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import { createJobQueues } from "../../jobs/job-queues.server";
import { logger } from "../../lib/logger.server";
import { applyWebhookDelivery } from "../ingest/apply-webhook.server";
import { recordDelivery } from "../ingest/webhook-inbox.repository.server";
import { insertRefundRecords } from "./profile-records.repository.server";
import { openTestQueues } from "../../../test/helpers/test-queues";

const db = createTestPrisma();
const queues = openTestQueues();
const deps = { db, logger, jobs: createJobQueues(queues.connection, queues.prefix) };
let store: StoreShop;
let shopId: number;

afterAll(async () => {
  await deps.jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

beforeEach(async () => {
  store = smallTestStore(`live-${randomUUID().slice(0, 8)}.myshopify.com`);
  shopId = (
    await db.shop.create({
      data: { domain: store.domain, name: store.name, currencyCode: "EUR", ianaTimezone: store.ianaTimezone },
    })
  ).id;
});

async function deliver(topic: string, payload: unknown) {
  const id = await recordDelivery(db, {
    shopDomain: store.domain,
    webhookId: randomUUID(),
    eventId: null,
    topic,
    apiVersion: "2026-07",
    triggeredAt: new Date(),
    payload: payload as object,
  });
  return applyWebhookDelivery(deps, id!);
}

const ada = () => store.customers[0]!;
const firstOrder = () => store.orders[0]!;
const profile = () =>
  db.customer.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId: BigInt(ada().id) } } });

function secondOrder(): StoreOrder {
  const base = firstOrder();
  return {
    ...structuredClone(base),
    id: 5000000000002,
    name: "#1002",
    processedAt: "2026-10-10T12:00:00.000Z",
    createdAt: "2026-10-10T12:00:00.000Z",
    updatedAt: "2026-10-10T12:00:00.000Z",
    sourceName: "pos",
    lineItems: [{ ...base.lineItems[0]!, id: 6000000000002, quantity: 1 }],
    subtotalMinor: 1299,
    totalMinor: 1299,
  };
}

describe("live ingest", () => {
  it("lands an order that arrives before its customer and links it when the customer comes", async () => {
    // Given an order whose customer we have not seen
    await deliver("orders/create", orderPayload(store, firstOrder()));
    expect(await db.order.findFirst({ where: { shopId } })).toMatchObject({
      customerId: null,
      customerShopifyId: BigInt(ada().id),
    });
    // When the customer arrives
    await deliver("customers/create", customerPayload(store, ada()));
    // Then the order is theirs and their figures count it
    expect(await profile()).toMatchObject({
      ordersCount: 1,
      netSpentMinor: 2598n,
      grossSpentMinor: 2598n,
      channels: ["web"],
      lastOrderName: "#1001",
    });
    expect((await db.order.findFirst({ where: { shopId } }))?.customerId).toBe((await profile()).id);
  });

  it("never lets an older update overwrite newer data", async () => {
    await deliver("customers/create", customerPayload(store, ada()));
    const newer = { ...ada(), firstName: "Augusta", updatedAt: "2026-10-03T00:00:00.000Z" };
    const older = { ...ada(), firstName: "Stale", updatedAt: "2026-10-02T00:00:00.000Z" };
    await deliver("customers/update", customerPayload(store, newer));
    await deliver("customers/update", customerPayload(store, older));
    expect((await profile()).firstName).toBe("Augusta");
  });

  it("counts a partial refund once, whether it comes as refunds/create, inside orders/updated, or before its order", async () => {
    // Given a customer with two orders, the first partially refunded
    const order = firstOrder();
    const refund = {
      id: 9000000000001,
      createdAt: "2026-10-05T09:30:00.000Z",
      note: null,
      lineItems: [{ lineItemId: order.lineItems[0]!.id, quantity: 1, subtotalMinor: 1299 }],
      amountMinor: 1299,
    };
    const refunded: StoreOrder = {
      ...structuredClone(order),
      refunds: [refund],
      financialStatus: "partially_refunded",
      updatedAt: refund.createdAt,
    };
    // When the refund arrives first, then the order, then its update with the refund, then the refund again
    await deliver("customers/create", customerPayload(store, ada()));
    await deliver("refunds/create", refundPayload(store, refunded, refund));
    await deliver("orders/create", orderPayload(store, order));
    await deliver("orders/updated", orderPayload(store, refunded));
    await deliver("refunds/create", refundPayload(store, refunded, refund));
    await deliver("orders/create", orderPayload(store, secondOrder()));
    // Then the refund counts once, exactly
    expect(await db.refund.count({ where: { shopId } })).toBe(1);
    expect(await profile()).toMatchObject({
      ordersCount: 2,
      grossSpentMinor: 3897n,
      netSpentMinor: 2598n,
      averageOrderValueMinor: 1299n,
      channels: ["pos", "web"],
    });
    const line = await db.lineItem.findFirst({ where: { shopId, shopifyId: BigInt(order.lineItems[0]!.id) } });
    expect(line?.refundedQuantity).toBe(1);
    expect((await profile()).topProducts).toEqual([
      { productShopifyId: "8000000000001", title: "Blue Train", quantity: 2 },
    ]);
  });

  it("drops a cancelled order from the figures, and an order edit's removed line stays removed", async () => {
    await deliver("customers/create", customerPayload(store, ada()));
    const order = secondOrder();
    const edited: StoreOrder = {
      ...structuredClone(order),
      lineItems: [],
      subtotalMinor: 0,
      totalMinor: 0,
      updatedAt: "2026-10-11T12:00:00.000Z",
    };
    await deliver("orders/create", orderPayload(store, order));
    await deliver("orders/updated", orderPayload(store, edited));
    await deliver("orders/create", orderPayload(store, order)); // a late duplicate of the original
    expect(await db.lineItem.count({ where: { shopId } })).toBe(0);
    await deliver("orders/create", orderPayload(store, firstOrder()));
    expect(await profile()).toMatchObject({ ordersCount: 2, netSpentMinor: 2598n });
    const cancelled: StoreOrder = {
      ...structuredClone(firstOrder()),
      cancelledAt: "2026-10-12T08:00:00.000Z",
      updatedAt: "2026-10-12T08:00:00.000Z",
      financialStatus: "voided",
    };
    await deliver("orders/cancelled", orderPayload(store, cancelled));
    expect(await profile()).toMatchObject({ ordersCount: 1, netSpentMinor: 0n, grossSpentMinor: 0n });
  });

  it("fills in a refund's lines when it was first seen without them (history import)", async () => {
    // Given a refund stored from a Bulk Operation, which cannot list refund lines
    const order = firstOrder();
    const refund = {
      id: 9000000000002,
      createdAt: "2026-10-06T09:00:00.000Z",
      note: null,
      lineItems: [{ lineItemId: order.lineItems[0]!.id, quantity: 2, subtotalMinor: 2598 }],
      amountMinor: 2598,
    };
    const refunded: StoreOrder = {
      ...structuredClone(order),
      refunds: [refund],
      financialStatus: "refunded",
      updatedAt: refund.createdAt,
    };
    await deliver("orders/create", orderPayload(store, order));
    await insertRefundRecords(db, shopId, [
      {
        shopifyId: 9000000000002n,
        orderShopifyId: BigInt(order.id),
        refundedAt: new Date(refund.createdAt),
        amountMinor: 2598n,
        lineItems: [],
      },
    ]);
    // When the same refund arrives with its lines
    await deliver("refunds/create", refundPayload(store, refunded, refund));
    // Then its lines are recorded and the refunded quantity follows
    expect((await db.lineItem.findFirstOrThrow({ where: { shopId } })).refundedQuantity).toBe(2);
    expect(await db.refund.count({ where: { shopId } })).toBe(1);
  });

  it("never writes an erased customer's e-mail back onto their orders", async () => {
    await deliver("customers/create", customerPayload(store, ada()));
    await db.customer.updateMany({ where: { shopId }, data: { redactedAt: new Date(), email: null } });
    await deliver("orders/create", orderPayload(store, firstOrder()));
    expect((await db.order.findFirstOrThrow({ where: { shopId } })).email).toBeNull();
  });

  it("keeps a deleted customer deleted, even when an older create arrives later", async () => {
    await deliver("customers/delete", { id: ada().id });
    await deliver("customers/create", customerPayload(store, ada()));
    expect((await profile()).deletedAt).toBeInstanceOf(Date);
  });

  it("applies a repeated delivery once and refuses a malformed one without writing", async () => {
    const payload = orderPayload(store, firstOrder());
    await deliver("orders/create", payload);
    const before = await db.order.findFirstOrThrow({ where: { shopId } });
    await deliver("orders/create", payload);
    expect(await db.order.findFirstOrThrow({ where: { shopId } })).toEqual(before);
    await expect(deliver("orders/create", { ...payload, id: 5000000000009, line_items: "nope" })).rejects.toThrow(
      UnrecoverableError,
    );
    expect(await db.order.count({ where: { shopId } })).toBe(1);
  });

  it("retries (rather than drops) a delivery for a shop that is not recorded yet", async () => {
    await db.shop.delete({ where: { id: shopId } });
    await expect(deliver("customers/create", customerPayload(store, ada()))).rejects.toThrow(/is not recorded yet/);
  });
});
