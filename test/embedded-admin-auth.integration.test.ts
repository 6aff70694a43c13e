// The embedded admin's real auth path against the local Shopify double: session token →
// token exchange → offline session → afterAuth records the shop. Without a valid
// session token a request never reaches data.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ShopifyDouble } from "./shopify-double/index";
import { startTestDouble } from "./helpers/start-test-double";
import { createTestPrisma } from "./helpers/test-database";
import { smallTestStore } from "./helpers/small-test-store";

type Loader = (args: { request: Request; params: object; context: object }) => Promise<unknown>;

const db = createTestPrisma();
const store = smallTestStore(`auth-${Date.now()}.myshopify.com`);
const host = Buffer.from(`admin.shopify.com/store/${store.domain.replace(".myshopify.com", "")}`).toString("base64");
let double: ShopifyDouble;
let homeLoader: Loader;

beforeAll(async () => {
  double = await startTestDouble([store]);
  homeLoader = ((await import("../app/routes/app._index")) as { loader: Loader }).loader;
});

afterAll(async () => {
  await db.session.deleteMany({ where: { shop: store.domain } });
  await db.shop.deleteMany({ where: { domain: store.domain } });
  await db.$disconnect();
  await double.close();
});

function appUrl(params: Record<string, string>) {
  return `${process.env.SHOPIFY_APP_URL}/app?${new URLSearchParams({ embedded: "1", shop: store.domain, host, ...params })}`;
}

async function outcome(request: Request): Promise<{ data?: unknown; response?: Response }> {
  try {
    return { data: await homeLoader({ request, params: {}, context: {} }) };
  } catch (thrown) {
    if (thrown instanceof Response) return { response: thrown };
    throw thrown;
  }
}

describe("embedded admin auth", () => {
  it("sends a document request without a session token to the bounce page, with no data", async () => {
    const { data, response } = await outcome(
      new Request(appUrl({}), { headers: { "User-Agent": "Mozilla/5.0 Chrome/120" } }),
    );
    expect(data).toBeUndefined();
    expect(response?.status).toBe(302);
    expect(response?.headers.get("Location")).toMatch(/^\/auth\/session-token\?.*shopify-reload=/);
    expect(await db.shop.findUnique({ where: { domain: store.domain } })).toBeNull();
  });

  it("refuses a session token signed with another secret", async () => {
    const forged = double.mintSessionToken(store.domain).replace(/\.[^.]+$/, ".c2lnbmF0dXJl");
    const { data, response } = await outcome(
      new Request(`${process.env.SHOPIFY_APP_URL}/app`, {
        headers: { Authorization: `Bearer ${forged}`, "User-Agent": "Mozilla/5.0 Chrome/120" },
      }),
    );
    expect(data).toBeUndefined();
    expect(response?.status).toBe(401);
  });

  it("exchanges a valid session token for an offline session and records the shop", async () => {
    // Given the shop opens the app from its admin, with a fresh session token
    const request = new Request(appUrl({ id_token: double.mintSessionToken(store.domain) }), {
      headers: { "User-Agent": "Mozilla/5.0 Chrome/120" },
    });
    // When the home page loads
    const { data, response } = await outcome(request);
    // Then it renders with the shop's data, the offline token is stored and the shop recorded
    expect(response).toBeUndefined();
    expect(data).toMatchObject({ home: { shopName: store.name } });
    const session = await db.session.findUnique({ where: { id: `offline_${store.domain}` } });
    // (encrypted at rest; the app's session storage opens it)
    expect(session?.accessToken).toMatch(/^enc:v1:/);
    const { sessionStorage } = await import("../app/shopify.server");
    expect((await sessionStorage!.loadSession(`offline_${store.domain}`))?.accessToken).toMatch(/^shpat_/);
    expect(session?.isOnline).toBe(false);
    const shop = await db.shop.findUnique({ where: { domain: store.domain } });
    expect(shop).toMatchObject({
      name: store.name,
      currencyCode: store.currencyCode,
      ianaTimezone: store.ianaTimezone,
      uninstalledAt: null,
    });
    expect(
      double
        .graphqlCalls(store.domain)
        .map((call) => call.query)
        .join(),
    ).toContain("KinshipShopProfile");
  });

  it("serves a client-side data request carrying the session token as a bearer header", async () => {
    const request = new Request(`${process.env.SHOPIFY_APP_URL}/app`, {
      headers: {
        Authorization: `Bearer ${double.mintSessionToken(store.domain)}`,
        "User-Agent": "Mozilla/5.0 Chrome/120",
      },
    });
    const { data } = await outcome(request);
    // (No history import has run in this test, so the shop's figures are zero.)
    expect(data).toMatchObject({ home: { shopName: store.name, figures: { customers: "0", orders: "0" } } });
  });
});
