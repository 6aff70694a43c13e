// The shared bucket in Redis (every worker process's) and in memory: calls asking at once queue,
// Shopify's answer is the bucket from then on, and a reservation never settled stops counting.
import { afterAll, describe, expect, it } from "vitest";

import { openTestQueues } from "../../../test/helpers/test-queues";
import {
  createMemoryThrottleStatusStore,
  createRedisThrottleStatusStore,
  type ThrottleStatusStore,
} from "./throttle-status-store.server";
import { RESERVATION_HOLD_MS, type ObservedThrottleStatus } from "./throttle-wait";

const queues = openTestQueues();
afterAll(() => queues.cleanUp());

const reported = (currentlyAvailable: number, observedAtMs: number): ObservedThrottleStatus => ({
  maximumAvailable: 2000,
  currentlyAvailable,
  restoreRate: 100,
  observedAtMs,
});

/** A call answered at `at` with Shopify's bucket `available` after it. */
async function answered(store: ThrottleStatusStore, shop: string, cost: number, available: number, at: number) {
  const { id } = await store.reserve(shop, cost, at);
  await store.settle(shop, id, reported(available, at));
}

describe.each([
  ["in Redis", () => createRedisThrottleStatusStore(queues.connection, queues.prefix)],
  ["in memory", () => createMemoryThrottleStatusStore()],
])("the shop's cost bucket %s", (_, createStore) => {
  let n = 0;
  const newShop = () => `bucket-${n++}-${Date.now()}.myshopify.com`;

  it("queues calls asking at once over the refill, each waiting for the points before it", async () => {
    const store = createStore();
    const shop = newShop();
    await answered(store, shop, 10, 50, 0);
    const waits = [];
    for (let i = 0; i < 4; i++) waits.push((await store.reserve(shop, 100, 0)).waitMs);
    // 50 points, 100 a second: the k-th call of 100 points can go at (100k - 50) / 100 s
    expect(waits).toEqual([500, 1500, 2500, 3500]);
  });

  it("takes Shopify's figure once a call is answered, so points refunded are not lost for good", async () => {
    // Given 200 calls, each reserving its requested 100 points and charged 10 by Shopify, whose
    // bucket stays near full
    const store = createStore();
    const shop = newShop();
    for (let i = 0; i < 200; i++) await answered(store, shop, 100, 1990, i * 10);

    // Then the next call goes at once: the bucket is Shopify's, not 200 × 90 points short
    expect((await store.reserve(shop, 100, 2_000)).waitMs).toBe(0);
  });

  it("counts a call still in flight against the bucket Shopify reports", async () => {
    const store = createStore();
    const shop = newShop();
    await answered(store, shop, 10, 300, 0);
    await store.reserve(shop, 250, 0); // sent, not answered yet
    // Shopify's 300 points less the 250 in flight leave 50: a call of 100 waits 0.5 s
    expect((await store.reserve(shop, 100, 0)).waitMs).toBe(500);
  });

  it("releases a call's points when it fails without an answer", async () => {
    const store = createStore();
    const shop = newShop();
    await answered(store, shop, 10, 100, 0);
    const failed = await store.reserve(shop, 100, 0);
    await store.settle(shop, failed.id, null);
    expect((await store.reserve(shop, 100, 0)).waitMs).toBe(0);
  });

  it("stops counting a reservation never settled (its process died) after the hold", async () => {
    const store = createStore();
    const shop = newShop();
    await answered(store, shop, 10, 100, 0);
    await store.reserve(shop, 100, 0); // sent; its process never settles it
    // The bucket is full again long before; asking for all of it shows whether the 100 still count
    const askAll = async (at: number) => {
      const { waitMs, id } = await store.reserve(shop, 2000, at);
      await store.settle(shop, id, null);
      return waitMs;
    };
    expect(await askAll(RESERVATION_HOLD_MS - 1)).toBe(1000);
    expect(await askAll(RESERVATION_HOLD_MS + 1)).toBe(0);
  });

  it("keeps the newer of two answers that cross", async () => {
    const store = createStore();
    const shop = newShop();
    await answered(store, shop, 10, 0, 5_000);
    await answered(store, shop, 10, 2000, 4_000); // sent earlier, read later
    expect((await store.reserve(shop, 100, 5_000)).waitMs).toBe(1000);
  });
});
