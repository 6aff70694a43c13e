// Access and refresh tokens at rest: AES-256-GCM with a key from TOKEN_ENCRYPTION_KEYS.
// The stored value names its key (`enc:v1:<keyId>:<iv>.<ciphertext>.<tag>`, base64url), so
// after a rotation the old key still opens old rows while every new write uses the current
// one. The shop domain is the additional authenticated data: a token copied into another
// shop's row does not decrypt. Pure (node:crypto only).
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const PREFIX = "enc:v1:";
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type TokenCipherErrorCode = "KEYS_MISSING" | "KEYS_MALFORMED" | "UNKNOWN_KEY" | "TAMPERED" | "MALFORMED";

export class TokenCipherError extends Error {
  constructor(
    readonly code: TokenCipherErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "TokenCipherError";
  }
}

export interface TokenKeyring {
  /** The key every new value is encrypted with (the first in the list). */
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

/**
 * Parses `k2:<base64 32 bytes>,k1:<base64 32 bytes>`: the first key is current, the others
 * only decrypt. Messages name the problem, never a key's bytes.
 */
export function parseTokenKeyring(text: string | undefined): TokenKeyring {
  if (!text || !text.trim()) {
    throw new TokenCipherError(
      "KEYS_MISSING",
      "TOKEN_ENCRYPTION_KEYS is not set: access tokens cannot be encrypted (see README, Environment variables)",
    );
  }
  const keys = new Map<string, Buffer>();
  let currentKeyId: string | undefined;
  for (const [index, entry] of text.split(",").entries()) {
    const separator = entry.indexOf(":");
    const id = entry.slice(0, separator).trim();
    const encoded = entry.slice(separator + 1).trim();
    if (separator < 0 || !KEY_ID.test(id)) {
      throw new TokenCipherError(
        "KEYS_MALFORMED",
        `TOKEN_ENCRYPTION_KEYS entry ${index + 1} must be <keyId>:<base64 key> (key id: letters, digits, _ or -)`,
      );
    }
    const key = Buffer.from(encoded, "base64");
    if (key.length !== 32 || key.toString("base64").replace(/=+$/, "") !== encoded.replace(/=+$/, "")) {
      throw new TokenCipherError("KEYS_MALFORMED", `TOKEN_ENCRYPTION_KEYS key "${id}" must be 32 bytes in base64`);
    }
    if (keys.has(id)) throw new TokenCipherError("KEYS_MALFORMED", `TOKEN_ENCRYPTION_KEYS names "${id}" twice`);
    keys.set(id, key);
    currentKeyId ??= id;
  }
  return { currentKeyId: currentKeyId!, keys };
}

/** A new random key entry for TOKEN_ENCRYPTION_KEYS. */
export function generateTokenKey(id: string): string {
  return `${id}:${randomBytes(32).toString("base64")}`;
}

export function isEncryptedToken(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** The key id a stored value was encrypted with (null: not encrypted). */
export function tokenKeyId(stored: string): string | null {
  if (!isEncryptedToken(stored)) return null;
  return stored.slice(PREFIX.length).split(":")[0] ?? null;
}

export function encryptToken(plaintext: string, shop: string, keyring: TokenKeyring): string {
  const key = keyring.keys.get(keyring.currentKeyId)!;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(shop, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const parts = [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString("base64url"));
  return `${PREFIX}${keyring.currentKeyId}:${parts.join(".")}`;
}

export function decryptToken(stored: string, shop: string, keyring: TokenKeyring): string {
  if (!isEncryptedToken(stored)) throw new TokenCipherError("MALFORMED", "The stored token is not encrypted");
  const [keyId, body] = stored.slice(PREFIX.length).split(":");
  const [iv, ciphertext, tag] = (body ?? "").split(".").map((part) => Buffer.from(part, "base64url"));
  if (!keyId || !iv || !ciphertext || !tag || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new TokenCipherError("MALFORMED", "The stored token is not a valid encrypted value");
  }
  const key = keyring.keys.get(keyId);
  if (!key) {
    throw new TokenCipherError(
      "UNKNOWN_KEY",
      `The stored token was encrypted with key "${keyId}", which TOKEN_ENCRYPTION_KEYS does not hold`,
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(shop, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    // GCM authentication failed: altered bytes, another shop's row, or a different key under this id.
    throw new TokenCipherError("TAMPERED", `The stored token failed authentication with key "${keyId}"`);
  }
}
