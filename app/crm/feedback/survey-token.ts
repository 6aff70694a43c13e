// The signed survey link's token: `<shop>.<order>.<kind>.<expiry>.<signature>` (numbers in base
// 36, the signature the first 16 bytes of HMAC-SHA256, base64url). The key is derived from the
// app secret for this one purpose, so a token can never double as another signed value. A token
// carries no personal data; that it answers once is the database's unique (shop, order, kind).
import { createHmac, timingSafeEqual } from "node:crypto";

import { SURVEY_KINDS, type SurveyKind } from "./survey-kinds";

export interface SurveyTokenClaims {
  shopId: number;
  orderShopifyId: bigint;
  kind: SurveyKind;
  expiresAt: Date;
}

export type SurveyTokenCheck =
  { ok: true; claims: SurveyTokenClaims } | { ok: false; reason: "malformed" | "forged" | "expired" };

const KIND_LETTERS: Record<SurveyKind, string> = { nps: "n", csat: "c", likert: "l" };
const SIGNATURE_BYTES = 16;

/** The signing key: HMAC of a fixed label under the app secret. */
export function surveyTokenKey(appSecret: string): Buffer {
  return createHmac("sha256", appSecret).update("kinship/survey-token/v1").digest();
}

function sign(key: Buffer, body: string): Buffer {
  return createHmac("sha256", key).update(body).digest().subarray(0, SIGNATURE_BYTES);
}

export function createSurveyToken(key: Buffer, claims: SurveyTokenClaims): string {
  const body = [
    claims.shopId.toString(36),
    claims.orderShopifyId.toString(36),
    KIND_LETTERS[claims.kind],
    Math.floor(claims.expiresAt.getTime() / 1000).toString(36),
  ].join(".");
  return `${body}.${sign(key, body).toString("base64url")}`;
}

export function verifySurveyToken(key: Buffer, token: string, now: Date): SurveyTokenCheck {
  const parts = token.split(".");
  if (
    parts.length !== 5 ||
    parts.slice(0, 4).some((part) => !/^[0-9a-z]+$/.test(part)) ||
    !/^[0-9a-z_-]+$/i.test(parts[4] ?? "")
  )
    return { ok: false, reason: "malformed" };
  const [shop, order, letter, expiry, signature] = parts as [string, string, string, string, string];
  const given = Buffer.from(signature, "base64url");
  const expected = sign(key, `${shop}.${order}.${letter}.${expiry}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "forged" };
  const kind = SURVEY_KINDS.find((k) => KIND_LETTERS[k] === letter);
  const shopId = parseInt(shop, 36);
  const expiresAt = new Date(parseInt(expiry, 36) * 1000);
  if (!kind || !Number.isSafeInteger(shopId) || Number.isNaN(expiresAt.getTime()))
    return { ok: false, reason: "malformed" };
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, claims: { shopId, orderShopifyId: base36ToBigInt(order), kind, expiresAt } };
}

function base36ToBigInt(text: string): bigint {
  let value = 0n;
  for (const char of text.toLowerCase()) value = value * 36n + BigInt(parseInt(char, 36));
  return value;
}
