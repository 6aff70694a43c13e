// Session tokens (App Bridge id tokens): HS256 JWTs signed with the app's secret, with
// the claims Shopify admin puts in them. Also verifies them, for token exchange.
import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
}

export interface MintSessionTokenArgs {
  shop: string;
  apiKey: string;
  apiSecret: string;
  userId?: string;
  ttlSeconds?: number;
  nowMs?: number;
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");

function sign(input: string, secret: string): Buffer {
  // The library keys HMAC with the secret's char codes; for the ASCII secrets Shopify issues that is UTF-8.
  return createHmac("sha256", Buffer.from(secret, "utf8")).update(input).digest();
}

/** The admin session id of a staff member in a shop: stable, like a logged-in admin session. */
export function staffSessionId(shop: string, userId: string): string {
  return createHash("sha256").update(`admin-session\n${shop}\n${userId}`).digest("hex").slice(0, 32);
}

export function mintSessionToken(args: MintSessionTokenArgs): string {
  const now = Math.floor((args.nowMs ?? Date.now()) / 1000);
  const userId = args.userId ?? "1";
  const claims: SessionTokenClaims = {
    iss: `https://${args.shop}/admin`,
    dest: `https://${args.shop}`,
    aud: args.apiKey,
    sub: userId,
    exp: now + (args.ttlSeconds ?? 60),
    nbf: now,
    iat: now,
    jti: randomUUID(),
    sid: staffSessionId(args.shop, userId),
  };
  const head = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = base64url(JSON.stringify(claims));
  return `${head}.${body}.${base64url(sign(`${head}.${body}`, args.apiSecret))}`;
}

export type VerifyResult = { ok: true; claims: SessionTokenClaims } | { ok: false; reason: string };

/** Checks signature, algorithm, audience, destination shop and time window (no leeway, like Shopify). */
export function verifySessionToken(
  token: string,
  expected: { apiKey: string; apiSecret: string; shop: string; nowMs?: number },
): VerifyResult {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "not a JWT" };
  const [head = "", body = "", signature = ""] = parts;
  let header: unknown;
  let claims: Partial<SessionTokenClaims>;
  try {
    header = JSON.parse(Buffer.from(head, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Partial<SessionTokenClaims>;
  } catch {
    return { ok: false, reason: "malformed JWT" };
  }
  if ((header as { alg?: unknown } | null)?.alg !== "HS256") return { ok: false, reason: "algorithm is not HS256" };
  const expectedSig = sign(`${head}.${body}`, expected.apiSecret);
  const givenSig = Buffer.from(signature, "base64url");
  if (givenSig.length !== expectedSig.length || !timingSafeEqual(givenSig, expectedSig)) {
    return { ok: false, reason: "bad signature" };
  }
  const now = Math.floor((expected.nowMs ?? Date.now()) / 1000);
  if (claims.aud !== expected.apiKey) return { ok: false, reason: "wrong audience" };
  if (claims.dest !== `https://${expected.shop}`) return { ok: false, reason: "wrong destination shop" };
  if (typeof claims.exp !== "number" || claims.exp <= now) return { ok: false, reason: "expired" };
  if (typeof claims.nbf === "number" && claims.nbf > now) return { ok: false, reason: "not yet valid" };
  if (typeof claims.sub !== "string") return { ok: false, reason: "missing sub" };
  return { ok: true, claims: claims as SessionTokenClaims };
}
