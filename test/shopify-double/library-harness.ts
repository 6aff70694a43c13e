// Test harness: a running double plus a real @shopify/shopify-api instance whose fetch is
// routed to it, as the app does when SHOPIFY_DOUBLE_URL is set. setAbstractFetchFunc is
// process-global; vitest runs each test file in its own process here.
import "@shopify/shopify-api/adapters/node";

import { ApiVersion, LogSeverity, RequestedTokenType, type Session, shopifyApi } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

import { fixtureShop } from "./fixtures";
import { startShopifyDouble } from "./server";
import type { StoreShop } from "./store-data";
import type { ShopifyDouble } from "./types";

export const API_KEY = "double-test-api-key";
export const API_SECRET = "double-test-api-secret";
export const SCOPES = "read_customers,write_customers,read_orders,read_products";

export function makeApi(secret = API_SECRET) {
  return shopifyApi({
    apiKey: API_KEY,
    apiSecretKey: secret,
    apiVersion: ApiVersion.July26,
    hostName: "127.0.0.1:3456",
    hostScheme: "http",
    isEmbeddedApp: true,
    scopes: SCOPES.split(","),
    logger: { level: LogSeverity.Error },
  });
}

export type Api = ReturnType<typeof makeApi>;

/** Sends the library's https://{shop}/... requests to the double instead. */
export function routeLibraryTo(doubleUrl: string): void {
  const rewrite = (target: string): string => {
    const url = new URL(target);
    return /\.myshopify\.com$/.test(url.hostname)
      ? `${doubleUrl}/shops/${url.hostname}${url.pathname}${url.search}`
      : target;
  };
  setAbstractFetchFunc((input: RequestInfo | URL, init?: RequestInit) =>
    input instanceof Request
      ? fetch(new Request(rewrite(input.url), input), init)
      : fetch(rewrite(input.toString()), init),
  );
}

export async function startHarness(
  opts: { shops?: StoreShop[]; appUrl?: string } = {},
): Promise<{ double: ShopifyDouble; api: Api }> {
  const double = await startShopifyDouble({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: opts.appUrl ?? "http://127.0.0.1:3456",
    scopes: SCOPES,
    shops: opts.shops ?? [fixtureShop()],
  });
  routeLibraryTo(double.url);
  return { double, api: makeApi() };
}

export async function offlineSession(api: Api, double: ShopifyDouble, shop: string): Promise<Session> {
  const { session } = await api.auth.tokenExchange({
    shop,
    sessionToken: double.mintSessionToken(shop),
    requestedTokenType: RequestedTokenType.OfflineAccessToken,
  });
  return session;
}
