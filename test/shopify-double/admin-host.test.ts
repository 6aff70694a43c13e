import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { FIXTURE_SHOP } from "./fixtures";
import { API_KEY, type Api, startHarness } from "./library-harness";
import type { ShopifyDouble } from "./types";

let double: ShopifyDouble;
let api: Api;

beforeAll(async () => {
  ({ double, api } = await startHarness({ appUrl: "http://127.0.0.1:3456" }));
});
afterAll(async () => {
  await double.close();
});

function iframeSrc(html: string): URL {
  const match = /<iframe id="app-frame"[^>]* src="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error("no app iframe in the admin page");
  // Undo the HTML attribute escaping (numeric character references).
  return new URL(match[1].replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))));
}

describe("admin host", () => {
  it("adminUrl points at the store's app page", () => {
    expect(double.adminUrl(FIXTURE_SHOP)).toBe(`${double.url}/store/fixture-shop/apps/${API_KEY}`);
    expect(double.adminUrl(FIXTURE_SHOP, "/app/customers")).toBe(
      `${double.url}/store/fixture-shop/apps/${API_KEY}/app/customers`,
    );
  });

  it("frames the app with Shopify's signed query: valid hmac, host and id_token", async () => {
    const response = await fetch(`${double.adminUrl(FIXTURE_SHOP, "/app/customers")}?tab=vip`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain("Fixture Records");
    expect(html).toContain("Local Shopify double");

    const src = iframeSrc(html);
    expect(`${src.origin}${src.pathname}`).toBe("http://127.0.0.1:3456/app/customers");
    expect([...src.searchParams.keys()]).toEqual([
      "embedded",
      "hmac",
      "host",
      "id_token",
      "locale",
      "session",
      "shop",
      "tab",
      "timestamp",
    ]);
    const query = Object.fromEntries(src.searchParams);
    expect(query).toMatchObject({ embedded: "1", locale: "en", shop: FIXTURE_SHOP, tab: "vip" });
    expect(await api.utils.validateHmac(query)).toBe(true);
    expect(await api.utils.validateHmac({ ...query, shop: "evil.myshopify.com" })).toBe(false);
    expect(api.utils.sanitizeHost(query.host!)).toBe(query.host);
    expect(atob(query.host!)).toBe("admin.shopify.com/store/fixture-shop");
    const token = await api.session.decodeSessionToken(query.id_token!);
    expect(token.dest).toBe(`https://${FIXTURE_SHOP}`);
  });

  it("frames /app by default and 404s unknown stores and apps", async () => {
    expect(iframeSrc(await (await fetch(double.adminUrl(FIXTURE_SHOP))).text()).pathname).toBe("/app");
    expect((await fetch(`${double.url}/store/nowhere/apps/${API_KEY}`)).status).toBe(404);
    expect((await fetch(`${double.url}/store/fixture-shop/apps/another-app`)).status).toBe(404);
  });

  it("serves the App Bridge stand-in as JavaScript", async () => {
    const response = await fetch(`${double.url}/app-bridge.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const script = await response.text();
    expect(() => new Function(script)).not.toThrow();
    expect(script).toContain("shopify:navigate");
  });

  it("issues session tokens to its own page only", async () => {
    const endpoint = `${double.url}/admin-host/session-token`;
    const body = JSON.stringify({ shop: FIXTURE_SHOP });
    const headers = { "Content-Type": "application/json" };
    const sameOrigin = await fetch(endpoint, {
      method: "POST",
      body,
      headers: { ...headers, Origin: double.url, "Sec-Fetch-Site": "same-origin" },
    });
    expect(sameOrigin.status).toBe(200);
    expect(sameOrigin.headers.get("access-control-allow-origin")).toBeNull();
    const { token } = (await sameOrigin.json()) as { token: string };
    expect((await api.session.decodeSessionToken(token)).dest).toBe(`https://${FIXTURE_SHOP}`);

    const crossOrigin = await fetch(endpoint, {
      method: "POST",
      body,
      headers: { ...headers, Origin: "http://127.0.0.1:3456", "Sec-Fetch-Site": "cross-site" },
    });
    expect(crossOrigin.status).toBe(403);
    expect((await fetch(endpoint, { method: "POST", body, headers })).status).toBe(403);
  });

  it("lists the stores on its index page", async () => {
    const html = await (await fetch(`${double.url}/`)).text();
    expect(html).toContain(double.adminUrl(FIXTURE_SHOP));
  });
});
