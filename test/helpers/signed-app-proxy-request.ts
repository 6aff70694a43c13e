// A storefront request through the app proxy, signed the way Shopify signs it: the query
// parameters (without `signature`) sorted by name, joined as `key=value` with no separator
// (several values of one key joined by commas), HMAC-SHA256 with the app secret, hex.
import { createHmac } from "node:crypto";

export function appProxySignature(params: Record<string, string | string[]>, secret: string): string {
  const message = Object.keys(params)
    .filter((key) => key !== "signature")
    .sort((a, b) => a.localeCompare(b))
    .map((key) => {
      const value = params[key]!;
      return `${key}=${Array.isArray(value) ? value.join(",") : value}`;
    })
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export interface AppProxyRequestOptions {
  shop: string;
  /** After /apps/kinship/, e.g. "loyalty/redeem". */
  path: string;
  customerId?: string | number | null;
  method?: "GET" | "POST";
  body?: unknown;
  /** Seconds since the epoch (default: now). */
  timestamp?: number;
  secret?: string;
  appUrl?: string;
}

export function signedAppProxyRequest(options: AppProxyRequestOptions): Request {
  const params: Record<string, string> = {
    shop: options.shop,
    logged_in_customer_id: options.customerId == null ? "" : String(options.customerId),
    path_prefix: "/apps/kinship",
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
  };
  const signature = appProxySignature(params, options.secret ?? process.env.SHOPIFY_API_SECRET!);
  const query = new URLSearchParams({ ...params, signature });
  const url = `${options.appUrl ?? process.env.SHOPIFY_APP_URL}/proxy/${options.path}?${query}`;
  return new Request(url, {
    method: options.method ?? "GET",
    headers: options.body === undefined ? {} : { "Content-Type": "application/json" },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}
