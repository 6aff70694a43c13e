// The customer account block's API (app/routes/api.customer-account.loyalty.tsx) through the real
// route: the library validates the session token the extension sends (HS256 with the app secret,
// `sub` the customer's gid, `dest` the shop), and the answer is the storefront proxy's own GET.
import { createHmac, randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createProgram, createReward, deliver, loyaltyDepsFor } from "../../../test/helpers/loyalty-test-setup";
import { signedAppProxyRequest } from "../../../test/helpers/signed-app-proxy-request";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import { startTestDouble } from "../../../test/helpers/start-test-double";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import type { ShopifyDouble } from "../../../test/shopify-double/index";
import { customerPayload } from "../../../test/shopify-double/rest-payloads";
import { mintSessionToken } from "../../../test/shopify-double/session-token";
import { createJobQueues } from "../../jobs/job-queues.server";
import type * as CustomerAccountRoute from "../../routes/api.customer-account.loyalty";
import type * as ProxyRoute from "../../routes/proxy.$";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const store = smallTestStore(`account-${randomUUID().slice(0, 8)}.myshopify.com`);
const ada = store.customers[0]!;
let double: ShopifyDouble;
let route: typeof CustomerAccountRoute;
let proxy: typeof ProxyRoute;

beforeAll(async () => {
  double = await startTestDouble([store]);
  route = await import("../../routes/api.customer-account.loyalty");
  proxy = await import("../../routes/proxy.$");
  const shop = await db.shop.create({
    data: { domain: store.domain, name: store.name, currencyCode: "EUR", ianaTimezone: "UTC" },
  });
  await createProgram(db, shop.id, { bonuses: { signup: 120 } });
  await createReward(db, shop.id, {
    title: "5 EUR off",
    kind: "fixed_amount",
    pointsCost: 100,
    amountMinor: 500n,
    percentage: null,
    minimumSubtotalMinor: null,
    tierId: null,
  });
  await deliver(loyaltyDepsFor(db, jobs, double.url), store.domain, "customers/create", customerPayload(store, ada));
});

afterAll(async () => {
  await double.close();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

/** A customer account session token, as Shopify issues it to the extension. */
function customerToken(options: { sub?: string; secret?: string; dest?: string } = {}) {
  const token = mintSessionToken({
    shop: store.domain,
    apiKey: process.env.SHOPIFY_API_KEY!,
    apiSecret: options.secret ?? process.env.SHOPIFY_API_SECRET!,
    userId: options.sub ?? `gid://shopify/Customer/${ada.id}`,
  });
  if (!options.dest) return token;
  // Re-sign with another `dest` (customer account tokens carry the bare domain).
  const [head, body] = token.split(".");
  const claims = { ...JSON.parse(Buffer.from(body!, "base64url").toString()), dest: options.dest };
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = createHmac("sha256", options.secret ?? process.env.SHOPIFY_API_SECRET!)
    .update(`${head}.${payload}`)
    .digest("base64url");
  return `${head}.${payload}.${signature}`;
}

async function call(token: string | null, method = "GET") {
  const request = new Request(`${process.env.SHOPIFY_APP_URL}/api/customer-account/loyalty`, {
    method,
    headers: {
      Origin: "https://extensions.shopifycdn.com",
      "User-Agent": "Mozilla/5.0 Chrome/131",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
  });
  try {
    return await route.loader({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("customer account loyalty API", () => {
  it("answers the customer of a valid token exactly as the storefront proxy does", async () => {
    const response = await call(customerToken());
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const body = (await response.json()) as Record<string, unknown>;
    const proxied = await proxy.loader({
      request: signedAppProxyRequest({ shop: store.domain, path: "loyalty", customerId: ada.id }),
      params: { "*": "loyalty" },
      context: {},
    });
    expect(body).toEqual(await proxied.json());
    expect(body).toMatchObject({ member: true, balance: 120, rewards: [{ title: "5 EUR off", affordable: true }] });
  });

  it("accepts the bare shop domain as `dest`", async () => {
    const response = await call(customerToken({ dest: store.domain }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ member: true, balance: 120 });
  });

  it("refuses a missing or forged token with 401, and a token that names no customer with 403", async () => {
    expect((await call(null)).status).toBe(401);
    expect((await call(customerToken({ secret: "not-the-app-secret" }))).status).toBe(401);
    expect((await call(customerToken({ sub: "1" }))).status).toBe(403);
  });
});
