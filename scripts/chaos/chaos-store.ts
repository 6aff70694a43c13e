// The chaos run's shop: a slice of the demo store (its first customers and their orders), its
// row and loyalty program in the run's database, its webhook deliveries (with Shopify's
// duplicates), and a sender that retries like Shopify: anything but a 200 is sent again.
import http from "node:http";

import type { PrismaClient } from "../../app/db.server";
import { createReward, saveProgramSettings } from "../../app/crm/loyalty/loyalty.repository.server";
import { parseProgramSettings } from "../../app/crm/loyalty/loyalty-program";
import { generateDemoStore } from "../../test/shopify-double/demo-store";
import { buildReplayStream } from "../../test/shopify-double/replay-stream";
import type { StoreShop } from "../../test/shopify-double/store-data";
import { prepareDelivery, type PreparedDelivery } from "../bench/webhook-load";

export function chaosStore(domain: string, customers: number): StoreShop {
  const full = generateDemoStore({ seed: 42, now: new Date("2026-11-01T00:00:00Z"), shopDomain: domain });
  const kept = full.customers.slice(0, customers);
  const ids = new Set(kept.map((customer) => customer.id));
  return {
    ...full,
    customers: kept,
    orders: full.orders.filter((order) => order.customerId !== null && ids.has(order.customerId)),
  };
}

/** The shop row and a running loyalty program (points on every order since 2020, one reward). */
export async function setUpChaosShop(db: PrismaClient, store: StoreShop) {
  const shop = await db.shop.create({
    data: {
      domain: store.domain,
      name: store.name,
      currencyCode: store.currencyCode,
      ianaTimezone: store.ianaTimezone,
    },
  });
  const settings = parseProgramSettings({ earn: { pointsPerCurrencyUnit: 1 }, bonuses: { firstOrder: 100 } });
  await saveProgramSettings(db, shop.id, settings, { launchedAt: new Date("2020-01-01T00:00:00Z") });
  const reward = await createReward(db, shop.id, {
    title: "$5 off",
    kind: "fixed_amount",
    pointsCost: 100,
    amountMinor: 500n,
    percentage: null,
    minimumSubtotalMinor: null,
    tierId: null,
  });
  return { shopId: shop.id, rewardId: reward.id };
}

export function chaosDeliveries(store: StoreShop, secret: string) {
  const stream = buildReplayStream(store, { duplicateRate: 0.05 });
  return {
    unique: new Set(stream.map((delivery) => delivery.webhookId)).size,
    prepared: stream.map((delivery) => prepareDelivery(store.domain, delivery, secret)),
  };
}

export interface SendTally {
  /** HTTP status (0: no answer) → how many answers. */
  statuses: Map<number, number>;
  retries: number;
}

/**
 * Posts every delivery, each again (after 200 ms) until answered 200, as Shopify retries a
 * delivery that failed. `onProgress` sees the number acknowledged so far.
 */
export async function sendLikeShopify(
  appUrl: string,
  deliveries: PreparedDelivery[],
  options: { concurrency: number; onProgress?: (acknowledged: number) => void | Promise<void>; maxAttempts?: number },
): Promise<SendTally> {
  const url = new URL(appUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const tally: SendTally = { statuses: new Map(), retries: 0 };
  const post = (delivery: PreparedDelivery) =>
    new Promise<number>((resolve) => {
      const request = http.request(
        { host: url.hostname, port: url.port, path: delivery.path, method: "POST", headers: delivery.headers, agent },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        },
      );
      request.setTimeout(30_000, () => request.destroy());
      request.on("error", () => resolve(0));
      request.end(delivery.body);
    });
  let next = 0;
  let acknowledged = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++]!;
        for (let attempt = 1; ; attempt++) {
          const status = await post(delivery);
          tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
          if (status === 200) break;
          if (attempt >= (options.maxAttempts ?? 300)) throw new Error(`${delivery.path} never answered 200`);
          tally.retries++;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        acknowledged++;
        await options.onProgress?.(acknowledged);
      }
    }),
  );
  agent.destroy();
  return tally;
}

export function describeTally(tally: SendTally): string {
  return [...tally.statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status === 0 ? "no answer" : status}×${count}`)
    .join(" ");
}
