// The page a merchant opens: GET /store/{handle}/apps/{apiKey}{/appPath}. A minimal Shopify
// admin frame around the app, with the iframe URL signed exactly as Shopify admin signs it.
import { createHmac } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

import { ADMIN_HOST_JS } from "./admin-host-script";
import { MESSAGE_SOURCE } from "./app-bridge-stand-in";
import { adminPageUrl, type DoubleState } from "./double-state";
import { escapeHtml, HttpError, readParams, scriptJson, sendJson, sendText } from "./http-utils";
import { storeHandle } from "./ids";
import { mintSessionToken, staffSessionId } from "./session-token";
import type { StoreShop } from "./store-data";

/** base64 of "admin.shopify.com/store/{handle}", the `host` parameter. */
export function hostParam(shopDomain: string): string {
  return Buffer.from(`admin.shopify.com/store/${storeHandle(shopDomain)}`).toString("base64");
}

/** Sorted `key=value` pairs joined with &, as shopify-api's validateHmac rebuilds them. */
export function hmacMessage(params: Record<string, string>): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(params).sort((a, b) => a.localeCompare(b))) {
    if (key !== "hmac" && key !== "signature") query.append(key, params[key]!);
  }
  return query.toString();
}

export function signAdminParams(params: Record<string, string>, apiSecret: string): string {
  return createHmac("sha256", apiSecret).update(hmacMessage(params)).digest("hex");
}

/** The app URL the admin frames: appUrl + appPath + Shopify's signed query. */
export function buildFrameUrl(
  state: DoubleState,
  shopDomain: string,
  appPath: string,
  extraQuery: URLSearchParams = new URLSearchParams(),
  userId = "1",
): string {
  const { apiKey, apiSecret, appUrl } = state.config;
  const params: Record<string, string> = {};
  for (const [key, value] of extraQuery) params[key] = value;
  Object.assign(params, {
    embedded: "1",
    host: hostParam(shopDomain),
    id_token: mintSessionToken({ shop: shopDomain, apiKey, apiSecret, userId }),
    locale: "en",
    session: staffSessionId(shopDomain, userId),
    shop: shopDomain,
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  params.hmac = signAdminParams(params, apiSecret);
  const query = new URLSearchParams();
  for (const key of Object.keys(params).sort((a, b) => a.localeCompare(b))) query.append(key, params[key]!);
  return `${appUrl}${appPath || "/app"}?${query.toString()}`;
}

const STYLES = `
*{box-sizing:border-box}html,body{margin:0;height:100%}
body{font:14px/1.4 -apple-system,BlinkMacSystemFont,"San Francisco","Segoe UI",Roboto,sans-serif;color:#303030;background:#f1f1f1;display:flex;flex-direction:column}
header{height:56px;flex:none;background:#1a1a1a;color:#e3e3e3;display:flex;align-items:center;gap:12px;padding:0 16px}
header .shop{font-weight:650;color:#fff}
header .badge{font-size:12px;padding:2px 8px;border-radius:8px;background:#ffd6a4;color:#4f2f00}
#loading-bar{position:fixed;top:0;left:0;height:3px;width:100%;background:linear-gradient(90deg,#91d0ff,#005bd3,#91d0ff);background-size:200% 100%;animation:slide 1s linear infinite;z-index:10}
@keyframes slide{to{background-position:-200% 0}}
.layout{flex:1;display:flex;min-height:0}
nav{width:240px;flex:none;background:#ebebeb;padding:12px 8px;overflow:auto}
nav .section{font-size:12px;font-weight:650;color:#616161;margin:8px 8px 4px}
nav a{display:block;padding:6px 8px;border-radius:8px;color:#303030;text-decoration:none}
nav a:hover{background:#e3e3e3}nav a[aria-current=page]{background:#fff;font-weight:650}
nav .disabled{display:block;padding:6px 8px;color:#8a8a8a}
nav ul{list-style:none;margin:0;padding:0 0 0 12px}
main{flex:1;display:flex;flex-direction:column;min-width:0}
#app-title{height:40px;flex:none;display:flex;align-items:center;padding:0 16px;font-weight:650;font-size:16px}
#app-title:empty{display:none}
iframe{flex:1;border:0;width:100%;background:#fff}
#toasts{position:fixed;bottom:24px;left:50%;transform:translateX(-50%);display:flex;flex-direction:column;gap:8px;z-index:20}
.toast{background:#1a1a1a;color:#fff;padding:10px 16px;border-radius:10px;box-shadow:0 4px 16px rgba(0,0,0,.25)}
.toast-error{background:#8e1f0b}
`;

export function renderAdminPage(state: DoubleState, shop: StoreShop, appPath: string, query: URLSearchParams): string {
  const { apiKey, appUrl } = state.config;
  const frameSrc = buildFrameUrl(state, shop.domain, appPath, query);
  const config = {
    source: MESSAGE_SOURCE,
    appOrigin: new URL(appUrl).origin,
    shop: shop.domain,
    apiKey,
    adminBase: new URL(adminPageUrl(state.baseUrl, apiKey, shop.domain)).pathname,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(shop.name)} · Local Shopify double</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>${STYLES}</style>
</head>
<body>
<div id="loading-bar" hidden></div>
<header><span class="shop">${escapeHtml(shop.name)}</span><span class="domain">${escapeHtml(shop.domain)}</span><span class="badge">Local Shopify double</span></header>
<div class="layout">
<nav aria-label="Admin">
<span class="disabled">Home</span><span class="disabled">Orders</span><span class="disabled">Products</span><span class="disabled">Customers</span>
<div class="section">Apps</div>
<a id="app-home" href="${escapeHtml(adminPageUrl("", apiKey, shop.domain))}">App</a>
<ul id="app-nav"></ul>
</nav>
<main>
<div id="app-title"></div>
<iframe id="app-frame" title="App" src="${escapeHtml(frameSrc)}"></iframe>
</main>
</div>
<div id="toasts" aria-live="polite"></div>
<script type="application/json" id="double-config">${scriptJson(config)}</script>
<script>${ADMIN_HOST_JS}</script>
</body>
</html>`;
}

function notFoundPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head><body><h1>Not found</h1><p>${escapeHtml(message)}</p></body></html>`;
}

/** GET /store/{handle}/apps/{apiKey}{/appPath} */
export function handleAdminPage(
  state: DoubleState,
  handle: string,
  apiKey: string,
  appPath: string,
  query: URLSearchParams,
  res: ServerResponse,
): void {
  const shop = state.shops.get(`${handle}.myshopify.com`);
  if (!shop) {
    sendText(res, 404, notFoundPage(`The double hosts no store "${handle}".`), "text/html; charset=utf-8");
    return;
  }
  if (apiKey !== state.config.apiKey) {
    sendText(
      res,
      404,
      notFoundPage(`No app with API key "${apiKey}" is installed on ${shop.domain}.`),
      "text/html; charset=utf-8",
    );
    return;
  }
  sendText(res, 200, renderAdminPage(state, shop, appPath, query), "text/html; charset=utf-8", {
    "Cache-Control": "no-store",
  });
}

/**
 * POST /admin-host/session-token {shop}: a fresh id token for the admin page's own script.
 * Same-origin only: no CORS headers, and the Origin header must be this server.
 */
export async function handleSessionTokenRequest(
  state: DoubleState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const origin = req.headers.origin;
  const fetchSite = req.headers["sec-fetch-site"];
  if (origin !== `http://${req.headers.host}` || (fetchSite !== undefined && fetchSite !== "same-origin")) {
    throw new HttpError(403, { errors: "Session tokens are only issued to the double's own admin page" });
  }
  const { shop } = await readParams(req);
  if (typeof shop !== "string" || !state.shops.has(shop)) throw new HttpError(404, { errors: "Unknown shop" });
  const { apiKey, apiSecret } = state.config;
  sendJson(res, 200, { token: mintSessionToken({ shop, apiKey, apiSecret }) }, { "Cache-Control": "no-store" });
}

/** GET /: links to each hosted store's admin page. */
export function renderIndexPage(state: DoubleState): string {
  const items = [...state.shops.values()]
    .map((shop) => {
      const url = adminPageUrl(state.baseUrl, state.config.apiKey, shop.domain);
      return `<li><a href="${escapeHtml(url)}">${escapeHtml(shop.name)}</a> (${escapeHtml(shop.domain)})</li>`;
    })
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local Shopify double</title></head><body><h1>Local Shopify double</h1><p>Open the app in a store's admin:</p><ul>${items}</ul></body></html>`;
}
