// The double's HTTP server: routing only; each concern lives in its own module.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { accessTokenKey } from "./access-token";
import { bulkOperationResolvers, handleBulkResultDownload } from "./bulk-operations";
import { customerMetafieldResolvers } from "./customer-metafields";
import { discountResolvers } from "./discounts";
import { flowTriggerResolvers } from "./flow-triggers";
import { handleAdminGraphql } from "./admin-graphql";
import { handleAdminPage, handleSessionTokenRequest, renderIndexPage } from "./admin-host";
import { APP_BRIDGE_STAND_IN_JS } from "./app-bridge-stand-in";
import { adminPageUrl, type DoubleState } from "./double-state";
import { coreRootResolvers } from "./graphql-resolvers";
import { mergeRootResolvers } from "./graphql-types";
import { HttpError, sendJson, sendText } from "./http-utils";
import { mintSessionToken } from "./session-token";
import type { StoreShop } from "./store-data";
import { ThrottleRegistry } from "./throttle";
import { handleTokenExchange } from "./token-exchange";
import type { ShopifyDouble, ShopifyDoubleOptions } from "./types";
import { handleWebhookRequest, sendWebhook } from "./webhook-sender";

type Handler = (
  state: DoubleState,
  match: RegExpExecArray,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) => unknown;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

const SHOP = "([a-zA-Z0-9][a-zA-Z0-9-]*\\.myshopify\\.com)";

function shopOr404(state: DoubleState, domain: string | undefined): StoreShop {
  const shop = domain === undefined ? undefined : state.shops.get(domain);
  if (!shop) throw new HttpError(404, { errors: "Not Found" });
  return shop;
}

/** More routes (e.g. bulk operation result downloads) can be added to this table. */
export const routes: Route[] = [
  {
    method: "POST",
    pattern: new RegExp(`^/shops/${SHOP}/admin/oauth/access_token$`),
    handler: (state, m, req, res) => handleTokenExchange(state, shopOr404(state, m[1]), req, res),
  },
  {
    method: "POST",
    pattern: new RegExp(`^/shops/${SHOP}/admin/api/(\\d{4}-\\d{2}|unstable)/graphql\\.json$`),
    handler: (state, m, req, res) => handleAdminGraphql(state, shopOr404(state, m[1]), req, res),
  },
  {
    method: "GET",
    pattern: /^\/store\/([^/]+)\/apps\/([^/]+)(\/.*)?$/,
    handler: (state, m, _req, res, url) =>
      handleAdminPage(state, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), m[3] ?? "", url.searchParams, res),
  },
  {
    method: "POST",
    pattern: /^\/admin-host\/session-token$/,
    handler: (state, _m, req, res) => handleSessionTokenRequest(state, req, res),
  },
  {
    method: "GET",
    pattern: /^\/app-bridge\.js$/,
    handler: (_state, _m, _req, res) =>
      sendText(res, 200, APP_BRIDGE_STAND_IN_JS, "text/javascript; charset=utf-8", {
        // The app's pages (another origin) load it with a plain <script src>.
        "Cross-Origin-Resource-Policy": "cross-origin",
        "Cache-Control": "no-cache",
      }),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/_double/bulk-operations/${SHOP}/(\\d+)\\.jsonl$`),
    handler: (state, m, req, res) => handleBulkResultDownload(state, m[1]!, m[2]!, req, res),
  },
  {
    method: "POST",
    pattern: /^\/_double\/webhooks$/,
    handler: (state, _m, req, res) => handleWebhookRequest(state, req, res),
  },
  {
    method: "GET",
    pattern: /^\/_double\/health$/,
    handler: (state, _m, _req, res) => sendJson(res, 200, { ok: true, shops: [...state.shops.keys()] }),
  },
  {
    // Browsers ask for it; an empty answer keeps a 404 out of their consoles.
    method: "GET",
    pattern: /^\/favicon\.ico$/,
    handler: (_state, _m, _req, res) => res.writeHead(204).end(),
  },
  {
    method: "GET",
    pattern: /^\/$/,
    handler: (state, _m, _req, res) => sendText(res, 200, renderIndexPage(state), "text/html; charset=utf-8"),
  },
];

async function dispatch(state: DoubleState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://double.invalid");
  const candidates = routes.filter((route) => route.pattern.test(url.pathname));
  const route = candidates.find((r) => r.method === req.method);
  if (!route) {
    if (candidates.length > 0)
      sendJson(res, 405, { errors: "Method Not Allowed" }, { Allow: candidates.map((r) => r.method).join(", ") });
    else sendJson(res, 404, { errors: "Not Found" });
    return;
  }
  await route.handler(state, route.pattern.exec(url.pathname)!, req, res, url);
}

export async function startShopifyDouble(options: ShopifyDoubleOptions): Promise<ShopifyDouble> {
  const state: DoubleState = {
    config: {
      apiKey: options.apiKey,
      apiSecret: options.apiSecret,
      appUrl: options.appUrl.replace(/\/+$/, ""),
      scopes: options.scopes
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    },
    baseUrl: "",
    // A copy, so that tests sharing fixtures do not see each other's changes.
    shops: new Map(options.shops.map((shop) => [shop.domain, structuredClone(shop)])),
    tokenKey: accessTokenKey(options.apiSecret),
    throttle: new ThrottleRegistry(),
    calls: new Map(),
    shopState: new Map(),
    resolvers: coreRootResolvers(),
  };
  state.resolvers = mergeRootResolvers(state.resolvers, bulkOperationResolvers(state, state.resolvers));
  state.resolvers = mergeRootResolvers(state.resolvers, discountResolvers());
  state.resolvers = mergeRootResolvers(state.resolvers, flowTriggerResolvers());
  state.resolvers = mergeRootResolvers(state.resolvers, customerMetafieldResolvers(state.resolvers));

  const server = createServer((req, res) => {
    dispatch(state, req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
      } else if (error instanceof HttpError) {
        sendJson(res, error.status, error.body);
      } else {
        console.error("[shopify-double]", error);
        sendJson(res, 500, { errors: "Internal Server Error" });
      }
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  const knownShop = (domain: string): StoreShop => {
    const shop = state.shops.get(domain);
    if (!shop) throw new Error(`The Shopify double does not host ${domain}`);
    return shop;
  };

  return {
    url: state.baseUrl,
    adminUrl: (shopDomain, appPath) =>
      adminPageUrl(state.baseUrl, state.config.apiKey, knownShop(shopDomain).domain, appPath),
    mintSessionToken: (shopDomain, opts = {}) =>
      mintSessionToken({
        shop: shopDomain,
        apiKey: state.config.apiKey,
        apiSecret: state.config.apiSecret,
        userId: opts.userId,
        ttlSeconds: opts.ttlSeconds,
      }),
    sendWebhook: (args) => sendWebhook(state, args),
    throttle: {
      set: (shopDomain, available) => state.throttle.bucket(knownShop(shopDomain).domain).set(available),
      failNext: (shopDomain, status, times = 1) => state.throttle.failNext(knownShop(shopDomain).domain, status, times),
      slowNext: (shopDomain, delayMs, times = 1) =>
        state.throttle.slowNext(knownShop(shopDomain).domain, delayMs, times),
    },
    graphqlCalls: (shopDomain) => [...(state.calls.get(shopDomain) ?? [])],
    store: knownShop,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // fetch keeps connections alive; without this close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}
