// The app proxy's gate through the real route: a stale or bad signature is refused before
// anything happens, and signed requests are limited per customer and per shop (Redis).
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Small limits for this file, read when the route first loads the configuration.
process.env.APP_PROXY_RATE_LIMIT_PER_CUSTOMER = "3";
process.env.APP_PROXY_RATE_LIMIT_PER_SHOP = "100";

import { createProgram, createReward, deliver, loyaltyDepsFor } from "../../../test/helpers/loyalty-test-setup";
import { signedAppProxyRequest } from "../../../test/helpers/signed-app-proxy-request";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import { startTestDouble } from "../../../test/helpers/start-test-double";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import type { ShopifyDouble } from "../../../test/shopify-double/index";
import { customerPayload } from "../../../test/shopify-double/rest-payloads";
import { createJobQueues } from "../../jobs/job-queues.server";
import type * as ProxyRouteModule from "../../routes/proxy.$";
import { createAppProxyRateLimit } from "./app-proxy-rate-limit.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const store = smallTestStore(`guard-${Date.now().toString(36)}.myshopify.com`);
const [ada, bob] = [store.customers[0]!, store.customers[1]!];
let double: ShopifyDouble;
let route: typeof ProxyRouteModule;
let rewardId: number;
let shopId: number;

beforeAll(async () => {
  double = await startTestDouble([store]);
  route = await import("../../routes/proxy.$");
  shopId = (
    await db.shop.create({
      data: { domain: store.domain, name: store.name, currencyCode: "EUR", ianaTimezone: "UTC" },
    })
  ).id;
  await createProgram(db, shopId, { bonuses: { signup: 120 } });
  rewardId = (
    await createReward(db, shopId, {
      title: "5 EUR off",
      kind: "fixed_amount",
      pointsCost: 100,
      amountMinor: 500n,
      percentage: null,
      minimumSubtotalMinor: null,
      tierId: null,
    })
  ).id;
  await deliver(loyaltyDepsFor(db, jobs, double.url), store.domain, "customers/create", customerPayload(store, ada));
});

afterAll(async () => {
  await double.close();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

async function call(request: Request) {
  const args = { request, params: { "*": new URL(request.url).pathname.replace(/^\/proxy\//, "") }, context: {} };
  const response = request.method === "GET" ? await route.loader(args) : await route.action(args);
  return { status: response.status, retryAfter: response.headers.get("Retry-After"), body: await response.json() };
}

const redeemAs = (customerId: number, timestamp?: number) =>
  signedAppProxyRequest({
    shop: store.domain,
    path: "loyalty/redeem",
    method: "POST",
    customerId,
    body: { rewardId },
    timestamp,
  });
const redemptions = () => db.loyaltyRedemption.count({ where: { member: { customer: { shopId } } } });

describe("app proxy gate", () => {
  it("refuses a redemption signed five minutes ago with 401 and redeems nothing", async () => {
    // Given a correctly signed redemption whose timestamp is 5 minutes old (a replayed URL)
    const stale = redeemAs(ada.id, Math.floor(Date.now() / 1000) - 300);
    // When it arrives
    const answer = await call(stale);
    // Then it is refused and no redemption exists; a bad signature is refused the same way
    expect(answer).toMatchObject({ status: 401, body: { error: "invalid_signature" } });
    const forged = new URL(redeemAs(ada.id).url);
    forged.searchParams.set("signature", "0".repeat(64));
    expect((await call(new Request(forged, { method: "POST", body: "{}" }))).status).toBe(401);
    expect(await redemptions()).toBe(0);
  });

  it("limits one customer to the per-customer budget with 429 and Retry-After, others unaffected", async () => {
    // Given Ada's three allowed requests this minute (the refused ones above did not count)
    for (let i = 0; i < 3; i++) {
      expect(
        (await call(signedAppProxyRequest({ shop: store.domain, path: "loyalty", customerId: ada.id }))).status,
      ).toBe(200);
    }
    // When she sends a fourth, a redemption
    const limited = await call(redeemAs(ada.id));
    // Then it is refused with 429 and when to retry, and nothing was redeemed
    expect(limited).toMatchObject({ status: 429, body: { error: "rate_limited" } });
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60);
    expect(await redemptions()).toBe(0);
    // And another customer and a logged-out visitor of the same shop still get answers
    const other = await call(signedAppProxyRequest({ shop: store.domain, path: "loyalty", customerId: bob.id }));
    expect(other.status).not.toBe(429);
    expect((await call(signedAppProxyRequest({ shop: store.domain, path: "loyalty" }))).status).toBe(200);
  });

  it("limits a shop's storefront traffic in all, per shop", async () => {
    // Given a shop budget of 5 requests a minute and a customer budget of 3
    const limit = createAppProxyRateLimit(queues.connection, queues.prefix, {
      perCustomerPerMinute: 3,
      perShopPerMinute: 5,
    });
    const shopA = { shopDomain: `limit-a-${Date.now()}.myshopify.com` };
    const shopB = { shopDomain: `limit-b-${Date.now()}.myshopify.com` };
    const allowed = async (shop: { shopDomain: string }, customer: number | null) =>
      (await limit({ ...shop, customerShopifyId: customer === null ? null : BigInt(customer) })).allowed;
    // When three customers and visitors of shop A send 6 requests
    const answers = [
      await allowed(shopA, 1),
      await allowed(shopA, 2),
      await allowed(shopA, 3),
      await allowed(shopA, null),
      await allowed(shopA, null),
      await allowed(shopA, 4),
    ];
    // Then the sixth is refused though its customer is new, and shop B is not affected
    expect(answers).toEqual([true, true, true, true, true, false]);
    expect(await allowed(shopB, 1)).toBe(true);
  });

  it("lets requests through (and says so in the log) when Redis cannot be reached", async () => {
    // Given a limiter whose Redis is unreachable
    const unreachable = new Redis("redis://127.0.0.1:1", {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    const warnings: string[] = [];
    const limit = createAppProxyRateLimit(
      unreachable,
      queues.prefix,
      { perCustomerPerMinute: 1, perShopPerMinute: 1 },
      { warn: (_fields, message) => warnings.push(message) },
    );
    // When a request is checked, then it is allowed and the failure is logged
    expect(await limit({ shopDomain: store.domain, customerShopifyId: 1n })).toEqual({
      allowed: true,
      retryAfterSeconds: 0,
    });
    expect(warnings).toEqual(["app proxy rate limit not checked"]);
    unreachable.disconnect();
  });
});
