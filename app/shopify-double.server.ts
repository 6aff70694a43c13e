// Offline development and tests: route every call the Shopify library makes to a shop
// (`https://{shop}.myshopify.com/...`: token exchange, Admin GraphQL) to the local
// Shopify double instead. Installed only when SHOPIFY_DOUBLE_URL is configured.
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

const SHOP_HOST = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i;

export function rewriteToShopifyDouble(target: string, doubleUrl: string): string {
  const url = new URL(target);
  if (url.protocol !== "https:" || !SHOP_HOST.test(url.hostname)) return target;
  return `${doubleUrl.replace(/\/$/, "")}/shops/${url.hostname}${url.pathname}${url.search}`;
}

let installedFor: string | undefined;

export function installShopifyDoubleFetch(doubleUrl: string): void {
  if (installedFor === doubleUrl) return;
  installedFor = doubleUrl;
  const realFetch = globalThis.fetch;
  setAbstractFetchFunc((input: RequestInfo | URL, init?: RequestInit) => {
    if (input instanceof Request) {
      return realFetch(new Request(rewriteToShopifyDouble(input.url, doubleUrl), input), init);
    }
    return realFetch(rewriteToShopifyDouble(input.toString(), doubleUrl), init);
  });
}
