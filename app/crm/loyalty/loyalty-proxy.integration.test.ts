// The app proxy API through the real route: Shopify's signature checked by the library,
// the customer taken only from logged_in_customer_id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestPrisma } from "../../../test/helpers/test-database";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import { startTestDouble } from "../../../test/helpers/start-test-double";
import { signedAppProxyRequest } from "../../../test/helpers/signed-app-proxy-request";
import { createProgram, createReward, deliver, loyaltyDepsFor } from "../../../test/helpers/loyalty-test-setup";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { storeOfflineSession } from "../../../test/helpers/store-offline-session";
import { accessTokenKey, issueOfflineToken } from "../../../test/shopify-double/access-token";
import { customerPayload } from "../../../test/shopify-double/rest-payloads";
import type { ShopifyDouble } from "../../../test/shopify-double/index";
import { createJobQueues } from "../../jobs/job-queues.server";
import type * as ProxyRouteModule from "../../routes/proxy.$";

type ProxyRoute = typeof ProxyRouteModule;

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const store = smallTestStore(`proxy-${Date.now().toString(36)}.myshopify.com`);
const ada = store.customers[0]!;
let double: ShopifyDouble;
let route: ProxyRoute;
let rewardId: number;

beforeAll(async () => {
  double = await startTestDouble([store]);
  route = await import("../../routes/proxy.$");
  const shop = await db.shop.create({
    data: { domain: store.domain, name: store.name, currencyCode: "EUR", ianaTimezone: "UTC" },
  });
  await storeOfflineSession(db, {
    shop: store.domain,
    scope: process.env.SCOPES ?? "read_customers,write_discounts",
    accessToken: issueOfflineToken(accessTokenKey(process.env.SHOPIFY_API_SECRET!), store.domain),
  });
  await createProgram(db, shop.id, { bonuses: { signup: 120 } });
  rewardId = (
    await createReward(db, shop.id, {
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
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("app proxy loyalty API", () => {
  it("answers a signed request for the logged-in customer with balance, rewards and referral link", async () => {
    const { status, body } = await call(
      signedAppProxyRequest({ shop: store.domain, path: "loyalty", customerId: ada.id }),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      member: true,
      balance: 120,
      rewards: [{ id: rewardId, affordable: true, pointsCost: 100 }],
    });
    expect(body.referral).toMatchObject({ link: expect.stringContaining(`https://${store.domain}/?kinship_ref=`) });
  });

  it("refuses a tampered request (another customer's id after signing) with 401", async () => {
    const request = signedAppProxyRequest({ shop: store.domain, path: "loyalty", customerId: ada.id });
    const url = new URL(request.url);
    url.searchParams.set("logged_in_customer_id", String(store.customers[1]!.id));
    expect((await call(new Request(url))).status).toBe(401);
    url.searchParams.delete("signature");
    expect((await call(new Request(url))).status).toBe(401);
  });

  it("refuses a replayed request whose timestamp is stale with 401", async () => {
    const stale = signedAppProxyRequest({
      shop: store.domain,
      path: "loyalty",
      customerId: ada.id,
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect((await call(stale)).status).toBe(401);
  });

  it("shows a logged-out visitor how to join", async () => {
    const { status, body } = await call(
      signedAppProxyRequest({ shop: store.domain, path: "loyalty", customerId: null }),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ member: false, howToJoin: { signupBonus: 120, rewards: [{ id: rewardId }] } });
    expect(
      (
        await call(
          signedAppProxyRequest({ shop: store.domain, path: "loyalty/redeem", method: "POST", body: { rewardId } }),
        )
      ).status,
    ).toBe(401);
  });

  it("redeems a reward into a discount code, then refuses when the balance is short; takes a birthday once", async () => {
    const redeem = () =>
      call(
        signedAppProxyRequest({
          shop: store.domain,
          path: "loyalty/redeem",
          method: "POST",
          customerId: ada.id,
          body: { rewardId },
        }),
      );
    const first = await redeem();
    expect(first).toMatchObject({
      status: 200,
      body: { status: "issued", code: expect.stringMatching(/^KIN-/), pointsSpent: 100 },
    });
    expect(await redeem()).toMatchObject({ status: 409, body: { error: "insufficient_points" } });
    const birthday = (month: number) =>
      call(
        signedAppProxyRequest({
          shop: store.domain,
          path: "loyalty/birthday",
          method: "POST",
          customerId: ada.id,
          body: { month, day: 3 },
        }),
      );
    expect((await birthday(2)).status).toBe(200);
    expect(await birthday(4)).toMatchObject({ status: 409, body: { error: "birthday_already_set" } });
  });
});
