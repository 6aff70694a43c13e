// Admin API access tokens. They are stateless (an HMAC of shop and kind under a key
// derived from the app secret) so that tokens the app stored stay valid when the double
// restarts, as they would with Shopify.
import { createHmac, timingSafeEqual } from "node:crypto";

export type AccessTokenGrant = { kind: "offline" } | { kind: "online"; userId: string; expiresAtSeconds: number };

export const ONLINE_TOKEN_TTL_SECONDS = 86399;

export function accessTokenKey(apiSecret: string): Buffer {
  return createHmac("sha256", apiSecret).update("kinship-shopify-double/access-token/v1").digest();
}

function mac(key: Buffer, text: string): string {
  return createHmac("sha256", key).update(text).digest("hex").slice(0, 32);
}

/** "shpat_" + 32 hex, like a real offline token. */
export function issueOfflineToken(key: Buffer, shop: string): string {
  return `shpat_${mac(key, `${shop}\noffline`)}`;
}

/** "shpua_" + 32 hex MAC + the hex of "userId.expiry", so verification needs no state. */
export function issueOnlineToken(key: Buffer, shop: string, userId: string, expiresAtSeconds: number): string {
  const payload = `${userId}.${expiresAtSeconds}`;
  return `shpua_${mac(key, `${shop}\nonline\n${payload}`)}${Buffer.from(payload, "utf8").toString("hex")}`;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The grant behind a token for this shop, or null when it is not one the double issued (or it expired). */
export function verifyAccessToken(
  key: Buffer,
  shop: string,
  token: string,
  nowMs: number = Date.now(),
): AccessTokenGrant | null {
  if (token.startsWith("shpat_")) {
    return same(token, issueOfflineToken(key, shop)) ? { kind: "offline" } : null;
  }
  if (!token.startsWith("shpua_") || token.length < 6 + 32 + 2) return null;
  const given = token.slice(6, 38);
  const hex = token.slice(38);
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return null;
  const payload = Buffer.from(hex, "hex").toString("utf8");
  if (!same(given, mac(key, `${shop}\nonline\n${payload}`))) return null;
  const dot = payload.lastIndexOf(".");
  const expiresAtSeconds = Number(payload.slice(dot + 1));
  if (!Number.isFinite(expiresAtSeconds) || expiresAtSeconds * 1000 <= nowMs) return null;
  return { kind: "online", userId: payload.slice(0, dot), expiresAtSeconds };
}
