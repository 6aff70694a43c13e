// Tenant isolation on the storefront side: the app proxy (signed by Shopify for shop A, naming
// B's customer in logged_in_customer_id, B's rewards and referral codes in the body, B's survey
// links in the path) and the customer account APIs (a token whose `dest` is A and whose `sub` is
// B's customer, B's order). Each answers exactly what an id that exists nowhere gets; nothing of
// B appears; B's rows are unchanged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createSurveyToken, surveyTokenKey } from "../../app/crm/feedback/survey-token";
import { signedAppProxyRequest } from "../helpers/signed-app-proxy-request";
import { tenantSnapshot } from "../helpers/seed-tenant";
import { createTestPrisma } from "../helpers/test-database";
import { openTestQueues } from "../helpers/test-queues";
import { mintSessionToken } from "../shopify-double/session-token";
import {
  closeTenantPair,
  fingerprints,
  openTenantPair,
  runRoute,
  type RouteOutcome,
  type TenantPair,
} from "./tenant-harness";

const db = createTestPrisma();
const queues = openTestQueues();
const UNKNOWN = 9_000_000_000_000_000_001n;
let pair: TenantPair;
let bBefore: Awaited<ReturnType<typeof tenantSnapshot>>;

beforeAll(async () => {
  pair = await openTenantPair(db);
  bBefore = await tenantSnapshot(db, pair.b.shopId);
});

afterAll(async () => {
  await closeTenantPair(db, pair);
  await queues.cleanUp();
  await db.$disconnect();
});

function proxy(path: string, customerId: bigint | null, body?: unknown) {
  const request = signedAppProxyRequest({
    shop: pair.a.domain,
    path,
    customerId: customerId?.toString() ?? null,
    method: body === undefined ? "GET" : "POST",
    body,
  });
  return runRoute("proxy.$.tsx", request, { "*": path });
}

function customerAccount(file: string, url: string, customer: bigint, body?: unknown) {
  const token = mintSessionToken({
    shop: pair.a.domain,
    apiKey: process.env.SHOPIFY_API_KEY!,
    apiSecret: process.env.SHOPIFY_API_SECRET!,
    userId: `gid://shopify/Customer/${customer}`,
  });
  const request = new Request(`${process.env.SHOPIFY_APP_URL}${url}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      Origin: "https://extensions.shopifycdn.com",
      "User-Agent": "Mozilla/5.0 Chrome/131",
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return runRoute(file, request);
}

/** `echo`: the attacked and the unknown id, where the answer repeats the caller's own input. */
function expectIndistinguishable(attack: RouteOutcome, unknown: RouteOutcome, echo?: [string, string]) {
  const label = `${attack.status} ${attack.body.slice(0, 300)}`;
  expect(attack.status, label).toBeLessThan(500);
  for (const fingerprint of fingerprints(pair.b)) expect(attack.body, label).not.toContain(fingerprint);
  expect(attack.status, label).toBe(unknown.status);
  const unecho = (body: string, id: string | undefined) => (id ? body.replaceAll(id, "<id>") : body);
  expect(unecho(attack.body, echo?.[0]), label).toBe(unecho(unknown.body, echo?.[1]));
}

describe("app proxy signed for shop A", () => {
  it("shows B's customer (logged_in_customer_id) nothing but the join page", async () => {
    expectIndistinguishable(await proxy("loyalty", pair.b.customerShopifyId), await proxy("loyalty", UNKNOWN));
  });

  it.each(["loyalty/redeem", "loyalty/birthday", "loyalty/referral"])(
    "does not act for B's customer on POST %s",
    async (path) => {
      const body = { rewardId: pair.b.rewardId, month: 5, day: 4, code: `REF${pair.a.marker}`.toUpperCase() };
      expectIndistinguishable(await proxy(path, pair.b.customerShopifyId, body), await proxy(path, UNKNOWN, body));
    },
  );

  it("does not redeem B's reward for A's own member", async () => {
    expectIndistinguishable(
      await proxy("loyalty/redeem", pair.a.customerShopifyId, { rewardId: pair.b.rewardId }),
      await proxy("loyalty/redeem", pair.a.customerShopifyId, { rewardId: 2_147_483_000 }),
      [`reward ${pair.b.rewardId}`, "reward 2147483000"],
    );
  });

  it("does not accept B's referral code for A's member", async () => {
    expectIndistinguishable(
      await proxy("loyalty/referral", pair.a.customerShopifyId, { code: `REF${pair.b.marker}`.toUpperCase() }),
      await proxy("loyalty/referral", pair.a.customerShopifyId, { code: "REFNOBODY1" }),
    );
  });

  it("treats B's valid survey link as a forged one", async () => {
    const key = surveyTokenKey(process.env.SHOPIFY_API_SECRET!);
    const expiresAt = new Date(Date.now() + 86_400_000);
    const token = (shopId: number) =>
      createSurveyToken(key, { shopId, orderShopifyId: pair.b.orderShopifyId, kind: "nps", expiresAt });
    expectIndistinguishable(
      await proxy(`survey/${token(pair.b.shopId)}`, null),
      await proxy(`survey/${token(2_147_483_000)}`, null),
    );
  });
});

describe("customer account APIs with a token for shop A", () => {
  it("gives B's customer (sub) only what an unknown customer gets", async () => {
    const url = "/api/customer-account/loyalty";
    expectIndistinguishable(
      await customerAccount("api.customer-account.loyalty.tsx", url, pair.b.customerShopifyId),
      await customerAccount("api.customer-account.loyalty.tsx", url, UNKNOWN),
    );
  });

  it("lists and answers no survey for B's order", async () => {
    const file = "api.customer-account.survey.tsx";
    const order = (id: bigint) => `gid://shopify/Order/${id}`;
    const listUrl = (id: bigint) => `/api/customer-account/survey?order=${encodeURIComponent(order(id))}`;
    for (const customer of [pair.a.customerShopifyId, pair.b.customerShopifyId]) {
      expectIndistinguishable(
        await customerAccount(file, listUrl(pair.b.orderShopifyId), customer),
        await customerAccount(file, listUrl(UNKNOWN), customer),
      );
      const answer = (id: bigint) => ({ order: order(id), kind: "nps", score: 10, comment: "planted by A" });
      expectIndistinguishable(
        await customerAccount(file, "/api/customer-account/survey", customer, answer(pair.b.orderShopifyId)),
        await customerAccount(file, "/api/customer-account/survey", customer, answer(UNKNOWN)),
      );
    }
  });
});

describe("shop B afterwards", () => {
  it("has exactly the rows it had before", async () => {
    expect(await tenantSnapshot(db, pair.b.shopId)).toEqual(bBefore);
  });
});
