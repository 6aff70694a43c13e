// Tenant isolation of webhooks and jobs. A webhook is trusted for the shop in its signed
// X-Shopify-Shop-Domain header only: deliveries signed for shop A whose payloads name shop B
// (its domain, its customer, order and refund ids, its GDPR subjects) are recorded and applied
// as A's, and B's rows stay as they were. Jobs for shop A that carry B's ids do nothing to B.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { applyWebhookDelivery } from "../../app/crm/ingest/apply-webhook.server";
import { recordDelivery } from "../../app/crm/ingest/webhook-inbox.repository.server";
import { findProgram } from "../../app/crm/loyalty/loyalty.repository.server";
import { rewardSnapshot } from "../../app/crm/loyalty/reward-discount";
import { createJobQueues } from "../../app/jobs/job-queues.server";
import { logger } from "../../app/lib/logger.server";
import { createAnalyticsProcessor } from "../../workers/processors/analytics.processor";
import { createIngestProcessor } from "../../workers/processors/ingest.processor";
import { createPrivacyProcessor } from "../../workers/processors/privacy.processor";
import { createLoyaltyProcessor } from "../../workers/processors/loyalty.processor";
import { createSegmentsProcessor } from "../../workers/processors/segments.processor";
import { createShopifyCallsProcessor } from "../../workers/processors/shopify-calls.processor";
import { createSyncProcessor } from "../../workers/processors/sync.processor";
import { loyaltyDepsFor } from "../helpers/loyalty-test-setup";
import { signedWebhookRequest } from "../helpers/signed-webhook-request";
import { smallTestStore } from "../helpers/small-test-store";
import { tenantSnapshot } from "../helpers/seed-tenant";
import { createTestPrisma } from "../helpers/test-database";
import { openTestQueues } from "../helpers/test-queues";
import {
  appUninstalledPayload,
  customerDataRequestPayload,
  customerPayload,
  customerRedactPayload,
  orderPayload,
  refundPayload,
  shopRedactPayload,
} from "../shopify-double/rest-payloads";
import type { StoreShop } from "../shopify-double/store-data";
import { closeTenantPair, fingerprints, openTenantPair, runRoute, type TenantPair } from "./tenant-harness";
import { ROUTE_ENTRIES } from "./tenant-route-cases";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
let pair: TenantPair;
let bBefore: Awaited<ReturnType<typeof tenantSnapshot>>;
let bShopBefore: unknown;

beforeAll(async () => {
  pair = await openTenantPair(db);
  bBefore = await tenantSnapshot(db, pair.b.shopId);
  bShopBefore = await db.shop.findUniqueOrThrow({ where: { id: pair.b.shopId } });
});

afterAll(async () => {
  await closeTenantPair(db, pair);
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

/** Shop B as Shopify would describe it: its domain and its records' real Shopify ids. */
function storeOfB(): StoreShop {
  const store = smallTestStore(pair.b.domain);
  const customer = {
    ...store.customers[0]!,
    id: Number(pair.b.customerShopifyId),
    email: `${pair.b.marker}@example.com`,
  };
  const order = store.orders[0]!;
  store.customers = [customer];
  store.orders = [
    {
      ...order,
      id: Number(pair.b.orderShopifyId),
      customerId: customer.id,
      email: customer.email,
      refunds: [
        {
          id: Number(pair.b.orderShopifyId) + 7,
          createdAt: order.createdAt,
          note: null,
          lineItems: [{ lineItemId: order.lineItems[0]!.id, quantity: 1, subtotalMinor: 1299 }],
          amountMinor: 1299,
        } as StoreOrder["refunds"][number],
      ],
    },
  ];
  return store;
}
type StoreOrder = StoreShop["orders"][number];

function payloadNamingB(topic: string): object {
  const store = storeOfB();
  const customer = store.customers[0]!;
  const order = store.orders[0]!;
  switch (topic) {
    case "customers/create":
    case "customers/update":
      return customerPayload(store, customer) as object;
    case "customers/delete":
      return { id: customer.id };
    case "orders/create":
    case "orders/updated":
    case "orders/paid":
    case "orders/cancelled":
      return orderPayload(store, {
        ...order,
        cancelledAt: topic === "orders/cancelled" ? order.updatedAt : null,
      }) as object;
    case "refunds/create":
      return refundPayload(store, order, order.refunds[0]!) as object;
    case "customers/redact":
      return customerRedactPayload(store, customer) as object;
    case "customers/data_request":
      return customerDataRequestPayload(store, customer) as object;
    case "shop/redact":
      return shopRedactPayload(store) as object;
    case "app/uninstalled":
      return appUninstalledPayload(store) as object;
    case "app/scopes_update":
      return { id: 1, previous: [], current: [], shop_domain: pair.b.domain };
    case "bulk_operations/finish":
      return { admin_graphql_api_id: "gid://shopify/BulkOperation/1", status: "completed", shop_domain: pair.b.domain };
    default:
      throw new Error(`No payload for ${topic}: add one here`);
  }
}

const webhookRoutes = Object.entries(ROUTE_ENTRIES).flatMap(([file, entry]) =>
  entry.auth === "webhook" ? [{ file, topic: entry.topic }] : [],
);

async function recordedDelivery(webhookId: string) {
  // The inbox writes in small batches: wait for the row.
  for (let attempt = 0; attempt < 100; attempt++) {
    const row = await db.webhookDelivery.findFirst({ where: { webhookId } });
    if (row) return row;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`delivery ${webhookId} was never recorded`);
}

describe("webhooks signed for shop A that name shop B", () => {
  it.each(webhookRoutes)("$topic is applied to A only", async ({ file, topic }) => {
    const webhookId = `tenant-${topic}-${pair.a.shopId}`;
    const request = signedWebhookRequest({ shop: pair.a.domain, topic, body: payloadNamingB(topic), webhookId });
    const answer = await runRoute(file, request);
    expect(answer.status).toBe(200);
    const delivery = await recordedDelivery(webhookId);
    // The header's shop, never the payload's.
    expect(delivery.shopDomain).toBe(pair.a.domain);
    await applyWebhookDelivery({ db, logger, jobs }, delivery.id);
    expect(await db.webhookDelivery.count({ where: { shopDomain: pair.b.domain } })).toBe(0);
    expect(
      await db.privacyRequest.count({ where: { OR: [{ shopDomain: pair.b.domain }, { shopId: pair.b.shopId }] } }),
    ).toBe(1);
  });

  it("left B's rows and shop as they were", async () => {
    expect(await db.shop.findUniqueOrThrow({ where: { id: pair.b.shopId } })).toEqual(bShopBefore);
    expect(await tenantSnapshot(db, pair.b.shopId)).toEqual(bBefore);
  });

  it("covers every webhook route", () => {
    expect(webhookRoutes.length).toBeGreaterThanOrEqual(14);
  });
});

describe("jobs for shop A carrying shop B's ids", () => {
  it("loyalty and shopify-calls jobs do nothing to B's members, orders or customers", async () => {
    const deps = loyaltyDepsFor(db, jobs, pair.double.url);
    const shopifyCalls = createShopifyCallsProcessor(deps);
    const loyalty = createLoyaltyProcessor(deps, shopifyCalls);
    const job = (name: string, data: object) => ({ name, data, attemptsMade: 0, opts: {} }) as never;
    const a = pair.a.domain;
    const outcomes = await Promise.allSettled([
      shopifyCalls(job("sync-member-to-shopify", { shopDomain: a, memberId: pair.b.memberId.toString() })),
      shopifyCalls(job("read-member-birthday", { shopDomain: a, memberId: pair.b.memberId.toString() })),
      loyalty(job("evaluate-order", { shopDomain: a, orderShopifyId: pair.b.orderShopifyId.toString() })),
      loyalty(job("evaluate-customer", { shopDomain: a, customerShopifyId: pair.b.customerShopifyId.toString() })),
    ]);
    // A refusal may be a quiet no-op or an error; its message must not carry B's data.
    for (const outcome of outcomes) {
      const text =
        outcome.status === "rejected"
          ? String(outcome.reason)
          : JSON.stringify(outcome.value ?? null, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
      for (const fingerprint of fingerprints(pair.b)) expect(text).not.toContain(fingerprint);
    }
    // Nothing was pushed to B's store in Shopify either.
    expect(mutationsInStoreOfB()).toEqual([]);
    expect(await tenantSnapshot(db, pair.b.shopId)).toEqual(bBefore);
  });

  it("a bulk action job for A listing B's customers and segment changes nothing of B", async () => {
    const process = createSyncProcessor(
      loyaltyDepsFor(db, jobs, pair.double.url) as Parameters<typeof createSyncProcessor>[0],
    );
    const ids = [pair.b.customerId.toString(), pair.b.customerShopifyId.toString()];
    const actions = [
      { kind: "addTag", tag: "planted" },
      { kind: "adjustPoints", points: 1000, reason: "planted" },
      { kind: "addToSegment", segmentId: pair.b.segmentId },
    ];
    for (const action of actions) {
      const request = JSON.stringify({ requestId: crypto.randomUUID(), action, target: { customerIds: ids } });
      await process({
        name: "customers-bulk-action",
        data: { shopId: pair.a.shopId, staffUserId: null, staffName: "staff", request },
      } as unknown as Parameters<typeof process>[0]).catch(() => undefined);
    }
    expect(mutationsInStoreOfB()).toEqual([]);
    expect(await tenantSnapshot(db, pair.b.shopId)).toEqual(bBefore);
  });

  it("a rescore of B's customer under A's shop id writes nothing for B", async () => {
    const process = createAnalyticsProcessor({ db, logger, jobs });
    await process({
      name: "rescore-customer",
      data: { shopId: pair.a.shopId, customerId: pair.b.customerId.toString() },
      updateProgress: async () => undefined,
    } as unknown as Parameters<typeof process>[0]).catch(() => undefined);
    await process({
      name: "rescore-customers",
      data: { shopId: pair.a.shopId, customerIds: [pair.a.customerId.toString(), pair.b.customerId.toString()] },
      updateProgress: async () => undefined,
    } as unknown as Parameters<typeof process>[0]).catch(() => undefined);
    expect(await db.customerScore.count({ where: { shopId: pair.b.shopId } })).toBe(0);
    expect(await db.customerScore.count({ where: { customerId: pair.b.customerId } })).toBe(0);
  });

  it("a segment push of B's segment under A's shop id touches neither B nor B's store", async () => {
    const process = createSegmentsProcessor({ db, logger, jobs });
    await process({
      name: "push-segment",
      data: { shopId: pair.a.shopId, segmentId: pair.b.segmentId },
    } as unknown as Parameters<typeof process>[0]).catch(() => undefined);
    expect(mutationsInStoreOfB()).toEqual([]);
    expect(await tenantSnapshot(db, pair.b.shopId)).toEqual(bBefore);
  });
});

// Last: these add rows to B (a pending redemption, an unprocessed answer, an unapplied delivery),
// which the snapshots above compare against the seed.
describe("jobs for shop A carrying the ids of B's redemption, survey answer and webhook delivery", () => {
  let records: { redemptionId: bigint; responseId: bigint; deliveryId: bigint };
  let bSeeded: Awaited<ReturnType<typeof tenantSnapshot>>;
  let bDeliveryBefore: unknown;

  beforeAll(async () => {
    const reward = (await findProgram(db, pair.b.shopId))!.rewards.find((r) => r.id === pair.b.rewardId)!;
    const redemption = await db.loyaltyRedemption.create({
      data: {
        shopId: pair.b.shopId,
        memberId: pair.b.memberId,
        rewardId: reward.id,
        rewardSnapshot: rewardSnapshot(reward) as object,
        pointsSpent: 0,
        discountCode: `KIN-${pair.b.marker}`.toUpperCase(),
      },
    });
    const response = await db.surveyResponse.create({
      data: {
        shopId: pair.b.shopId,
        customerId: pair.b.customerId,
        customerShopifyId: pair.b.customerShopifyId,
        orderShopifyId: pair.b.orderShopifyId + 1000n,
        kind: "nps",
        score: 2,
        band: "detractor",
        channel: "link",
      },
    });
    const store = storeOfB();
    const renamed = { ...store.customers[0]!, firstName: "Planted" };
    const deliveryId = await recordDelivery(db, {
      shopDomain: pair.b.domain,
      webhookId: `b-own-${pair.b.shopId}`,
      eventId: null,
      topic: "customers/update",
      apiVersion: "2026-07",
      triggeredAt: new Date(),
      payload: customerPayload(store, renamed) as object,
    });
    records = { redemptionId: redemption.id, responseId: response.id, deliveryId: deliveryId! };
    bSeeded = await tenantSnapshot(db, pair.b.shopId);
    bDeliveryBefore = await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId! } });
  });

  const loyaltyJob = (name: string, data: object) => {
    const deps = loyaltyDepsFor(db, jobs, pair.double.url);
    const process = createLoyaltyProcessor(deps, createShopifyCallsProcessor(deps));
    return process({ name, data, attemptsMade: 7, opts: { attempts: 8 } } as unknown as Parameters<typeof process>[0]);
  };
  const ingestJob = (data: object) => {
    const process = createIngestProcessor({ db, logger, jobs });
    return process({ name: "apply-webhook", data } as unknown as Parameters<typeof process>[0]);
  };

  const privacyJob = (data: object) => {
    const process = createPrivacyProcessor({ db, logger, jobs });
    return process({ name: "apply-request", data } as unknown as Parameters<typeof process>[0]);
  };

  it("issue-reward, process-survey-response and apply-webhook do nothing to B, even on a last attempt", async () => {
    const a = pair.a.domain;
    const outcomes = await Promise.allSettled([
      loyaltyJob("issue-reward", { shopDomain: a, redemptionId: records.redemptionId.toString() }),
      loyaltyJob("process-survey-response", { shopDomain: a, responseId: records.responseId.toString() }),
      ingestJob({ shopDomain: a, deliveryId: records.deliveryId.toString(), topic: "customers/update" }),
      // The compliance queue applies inbox deliveries through the same function.
      privacyJob({ shopDomain: a, deliveryId: records.deliveryId.toString(), topic: "customers/update" }),
    ]);
    expect(outcomes.map((o) => (o.status === "fulfilled" ? o.value : "rejected"))).toEqual([
      "missing",
      null,
      "rejected",
      "rejected",
    ]);
    // The delivery is refused for good (no retries), in words that carry nothing of B.
    const refusal = (outcomes[2] as PromiseRejectedResult).reason as Error;
    expect(refusal.name).toBe("UnrecoverableError");
    expect(refusal.message).not.toContain(pair.b.domain);
    for (const fingerprint of fingerprints(pair.b)) expect(refusal.message).not.toContain(fingerprint);
    expect(mutationsInStoreOfB()).toEqual([]);
    expect(await tenantSnapshot(db, pair.b.shopId)).toEqual(bSeeded);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: records.deliveryId } })).toEqual(bDeliveryBefore);
  });

  it("jobs without a shop are refused rather than trusted on their ids", async () => {
    const outcomes = await Promise.allSettled([
      loyaltyJob("issue-reward", { redemptionId: records.redemptionId.toString() }),
      loyaltyJob("process-survey-response", { responseId: records.responseId.toString() }),
      ingestJob({ deliveryId: records.deliveryId.toString(), topic: "customers/update" }),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe("rejected");
      expect(((outcome as PromiseRejectedResult).reason as Error).name).toBe("UnrecoverableError");
    }
    expect(mutationsInStoreOfB()).toEqual([]);
    expect(await tenantSnapshot(db, pair.b.shopId)).toEqual(bSeeded);
  });

  it("the same jobs for B itself do act (the ids were B's real records)", async () => {
    const b = pair.b.domain;
    // The seeded member's customer is not in the double's store: Shopify refuses the code, which
    // is still the job acting on B's redemption (a discount mutation sent, the redemption settled).
    await loyaltyJob("issue-reward", { shopDomain: b, redemptionId: records.redemptionId.toString() });
    expect((await db.loyaltyRedemption.findUniqueOrThrow({ where: { id: records.redemptionId } })).status).not.toBe(
      "pending",
    );
    expect(
      await loyaltyJob("process-survey-response", { shopDomain: b, responseId: records.responseId.toString() }),
    ).not.toBeNull();
    expect(
      await ingestJob({ shopDomain: b, deliveryId: records.deliveryId.toString(), topic: "customers/update" }),
    ).toBe("applied");
    expect(mutationsInStoreOfB().length).toBeGreaterThan(0);
    expect(await db.surveyResponse.findUniqueOrThrow({ where: { id: records.responseId } })).toMatchObject({
      processedAt: expect.any(Date),
    });
    expect(await db.customer.findUniqueOrThrow({ where: { id: pair.b.customerId } })).toMatchObject({
      firstName: "Planted",
    });
  });
});

function mutationsInStoreOfB() {
  return pair.double.graphqlCalls(pair.b.domain).filter((call) => /^\s*(#graphql)?\s*mutation/.test(call.query));
}
