// Response headers of an embedded app. Pure.
// - Every response: no MIME sniffing, no path or query (the admin's `id_token`, `host`) in the
//   Referer sent to other origins, and HSTS when the app is served over HTTPS.
// - Documents: only the shop's own admin may frame the app (CSP frame-ancestors); a document
//   asked for without a valid shop may not be framed at all.

export function baseSecurityHeaders(options: { https: boolean }): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    ...(options.https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

const SHOPIFY_ADMIN = "https://admin.shopify.com";

/**
 * The document's Content-Security-Policy from the library's: the library has already checked
 * the `shop` parameter and named it first (`frame-ancestors https://<shop> …`), but also lets
 * Shopify's internal admins (spin.dev, myshopify.io, shop.dev) frame every app. Those stay only
 * when `keepShopifyStaffAdmins` (SHOP_CUSTOM_DOMAIN set: a Shopify staff environment).
 */
export function documentFramePolicy(
  libraryPolicy: string | null,
  options: { extraOrigins?: readonly string[]; keepShopifyStaffAdmins?: boolean } = {},
): string {
  const sources =
    /frame-ancestors ([^;]*)/
      .exec(libraryPolicy ?? "")?.[1]
      ?.trim()
      .split(/\s+/) ?? [];
  const shop = sources[0];
  if (!shop || !/^https:\/\/[a-z0-9.-]+$/i.test(shop)) return "frame-ancestors 'none';";
  const allowed = options.keepShopifyStaffAdmins ? sources : [shop, SHOPIFY_ADMIN];
  return `frame-ancestors ${[...new Set([...allowed, ...(options.extraOrigins ?? [])])].join(" ")};`;
}
