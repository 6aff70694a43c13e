import { HttpResponseError, RequestedTokenType } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { FIXTURE_SHOP, fixtureShop } from "./fixtures";
import {
  API_KEY,
  API_SECRET,
  type Api,
  makeApi,
  offlineSession,
  routeLibraryTo,
  SCOPES,
  startHarness,
} from "./library-harness";
import { mintSessionToken } from "./session-token";
import { startShopifyDouble } from "./server";
import { ID_TOKEN_TYPE, OFFLINE_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from "./token-exchange";
import type { ShopifyDouble } from "./types";

let double: ShopifyDouble;
let api: Api;

beforeAll(async () => {
  ({ double, api } = await startHarness());
});
afterAll(async () => {
  await double.close();
});

function exchangeBody(overrides: Record<string, string>): string {
  return JSON.stringify({
    client_id: API_KEY,
    client_secret: API_SECRET,
    grant_type: TOKEN_EXCHANGE_GRANT,
    subject_token: double.mintSessionToken(FIXTURE_SHOP),
    subject_token_type: ID_TOKEN_TYPE,
    requested_token_type: OFFLINE_TOKEN_TYPE,
    expiring: "0",
    ...overrides,
  });
}

async function postExchange(body: string, shop = FIXTURE_SHOP): Promise<Response> {
  return fetch(`${double.url}/shops/${shop}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body,
  });
}

describe("session tokens", () => {
  it("are accepted by the library's decodeSessionToken with Shopify's claims", async () => {
    const token = double.mintSessionToken(FIXTURE_SHOP, { userId: "42", ttlSeconds: 120 });
    const payload = await api.session.decodeSessionToken(token);
    expect(payload).toMatchObject({
      iss: `https://${FIXTURE_SHOP}/admin`,
      dest: `https://${FIXTURE_SHOP}`,
      aud: API_KEY,
      sub: "42",
    });
    expect(payload.exp - payload.iat).toBe(120);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.sid).toMatch(/^[0-9a-f]{32}$/);
  });

  it("are rejected by a library configured with another secret", async () => {
    await expect(
      makeApi("other-secret").session.decodeSessionToken(double.mintSessionToken(FIXTURE_SHOP)),
    ).rejects.toThrow();
  });
});

describe("token exchange", () => {
  it("gives the library an offline session with the granted scopes", async () => {
    const session = await offlineSession(api, double, FIXTURE_SHOP);
    expect(session.id).toBe(`offline_${FIXTURE_SHOP}`);
    expect(session.isOnline).toBe(false);
    expect(session.accessToken).toMatch(/^shpat_[0-9a-f]{32}$/);
    expect(session.scope).toBe(SCOPES);
  });

  it("gives an online session with the staff member behind the session token", async () => {
    const { session } = await api.auth.tokenExchange({
      shop: FIXTURE_SHOP,
      sessionToken: double.mintSessionToken(FIXTURE_SHOP, { userId: "7" }),
      requestedTokenType: RequestedTokenType.OnlineAccessToken,
    });
    expect(session.isOnline).toBe(true);
    expect(session.accessToken).toMatch(/^shpua_/);
    expect(session.onlineAccessInfo?.associated_user.id).toBe(7);
    expect(session.onlineAccessInfo?.associated_user_scope).toBe(SCOPES);
    expect(session.expires!.getTime()).toBeGreaterThan(Date.now() + 86000_000);
  });

  it("answers a wrong client secret with 401, which the library throws", async () => {
    const wrong = makeApi("not-the-secret");
    // The library checks the session token first, so sign it with the wrong secret too.
    const sessionToken = mintSessionToken({ shop: FIXTURE_SHOP, apiKey: API_KEY, apiSecret: "not-the-secret" });
    const error = await wrong.auth
      .tokenExchange({ shop: FIXTURE_SHOP, sessionToken, requestedTokenType: RequestedTokenType.OfflineAccessToken })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpResponseError);
    expect((error as HttpResponseError).response.code).toBe(401);
    expect((error as HttpResponseError).response.body).toMatchObject({ error: "invalid_client" });
  });

  it("rejects expired, foreign-shop and forged subject tokens with invalid_subject_token", async () => {
    const expired = mintSessionToken({
      shop: FIXTURE_SHOP,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      nowMs: Date.now() - 120_000,
    });
    const otherShop = mintSessionToken({ shop: "other.myshopify.com", apiKey: API_KEY, apiSecret: API_SECRET });
    const forged = mintSessionToken({ shop: FIXTURE_SHOP, apiKey: API_KEY, apiSecret: "forger" });
    const wrongAudience = mintSessionToken({ shop: FIXTURE_SHOP, apiKey: "another-app", apiSecret: API_SECRET });
    for (const subject_token of [expired, otherShop, forged, wrongAudience, "not-a-jwt"]) {
      const response = await postExchange(exchangeBody({ subject_token }));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "invalid_subject_token" });
    }
  });

  it("answers an unknown shop with 404", async () => {
    const response = await postExchange(exchangeBody({}), "nowhere.myshopify.com");
    expect(response.status).toBe(404);
  });

  it("issues tokens that stay valid when the double restarts", async () => {
    const session = await offlineSession(api, double, FIXTURE_SHOP);
    const restarted = await startShopifyDouble({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      appUrl: "http://127.0.0.1:3456",
      scopes: SCOPES,
      shops: [fixtureShop()],
    });
    try {
      routeLibraryTo(restarted.url);
      const client = new api.clients.Graphql({ session });
      const response = await client.request("{ shop { name } }");
      expect(response.data).toEqual({ shop: { name: "Fixture Records" } });
    } finally {
      routeLibraryTo(double.url);
      await restarted.close();
    }
  });
});
