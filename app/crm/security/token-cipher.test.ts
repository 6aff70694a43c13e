import { describe, expect, it } from "vitest";

import {
  decryptToken,
  encryptToken,
  generateTokenKey,
  parseTokenKeyring,
  TokenCipherError,
  tokenKeyId,
} from "./token-cipher";

const SHOP = "cipher-shop.myshopify.com";
const TOKEN = "shpat_0123456789abcdef0123456789abcdef";
const k1 = generateTokenKey("k1");
const k2 = generateTokenKey("k2");

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof TokenCipherError ? error.code : `not a TokenCipherError: ${String(error)}`;
  }
  return undefined;
}

describe("token cipher", () => {
  it("encrypts with the current key and decrypts to the same token", () => {
    // Given a keyring whose current key is k1
    const keyring = parseTokenKeyring(k1);
    // When a token is encrypted twice
    const first = encryptToken(TOKEN, SHOP, keyring);
    const second = encryptToken(TOKEN, SHOP, keyring);
    // Then neither holds the token, each names k1, fresh IVs make them differ, and both open
    expect(first).not.toContain(TOKEN);
    expect(first).not.toContain(TOKEN.slice(6, 20));
    expect(tokenKeyId(first)).toBe("k1");
    expect(first).not.toBe(second);
    expect(decryptToken(first, SHOP, keyring)).toBe(TOKEN);
    expect(decryptToken(second, SHOP, keyring)).toBe(TOKEN);
  });

  it("opens values of an older key after rotation and writes new ones with the new key", () => {
    // Given a token stored under k1, then the keyring rotated to k2 (k1 kept for decryption)
    const stored = encryptToken(TOKEN, SHOP, parseTokenKeyring(k1));
    const rotated = parseTokenKeyring(`${k2},${k1}`);
    // Then the old value opens, and new values name k2
    expect(decryptToken(stored, SHOP, rotated)).toBe(TOKEN);
    expect(tokenKeyId(encryptToken(TOKEN, SHOP, rotated))).toBe("k2");
    // And once k1 is dropped, the old value fails clearly
    expect(codeOf(() => decryptToken(stored, SHOP, parseTokenKeyring(k2)))).toBe("UNKNOWN_KEY");
  });

  it("rejects a value under a wrong key of the same id, altered bytes, or another shop's row", () => {
    const keyring = parseTokenKeyring(k1);
    const stored = encryptToken(TOKEN, SHOP, keyring);
    const otherKeyUnderSameId = parseTokenKeyring(generateTokenKey("k1"));
    expect(codeOf(() => decryptToken(stored, SHOP, otherKeyUnderSameId))).toBe("TAMPERED");
    // (`enc:v1:k1:<iv>.<ciphertext>.<tag>`: flip the first character of the ciphertext)
    const [ivPart, ciphertext, tag] = stored.split(".");
    const flipped = ciphertext!.startsWith("A") ? `B${ciphertext!.slice(1)}` : `A${ciphertext!.slice(1)}`;
    expect(codeOf(() => decryptToken([ivPart, flipped, tag].join("."), SHOP, keyring))).toBe("TAMPERED");
    expect(codeOf(() => decryptToken(stored, "other-shop.myshopify.com", keyring))).toBe("TAMPERED");
    expect(codeOf(() => decryptToken("enc:v1:k1:garbage", SHOP, keyring))).toBe("MALFORMED");
  });

  it("refuses a missing or malformed key list with a message that names the variable", () => {
    expect(codeOf(() => parseTokenKeyring(undefined))).toBe("KEYS_MISSING");
    expect(codeOf(() => parseTokenKeyring(""))).toBe("KEYS_MISSING");
    expect(codeOf(() => parseTokenKeyring("k1:c2hvcnQ="))).toBe("KEYS_MALFORMED");
    expect(codeOf(() => parseTokenKeyring("no-separator"))).toBe("KEYS_MALFORMED");
    expect(codeOf(() => parseTokenKeyring(`${k1},${k1}`))).toBe("KEYS_MALFORMED");
    expect(() => parseTokenKeyring("bad id!:abc")).toThrow(/TOKEN_ENCRYPTION_KEYS entry 1/);
    // The message never repeats the key material
    const secret = k1.split(":")[1]!.slice(0, 40);
    expect(() => parseTokenKeyring(`k1:${secret}`)).toThrow(/must be 32 bytes in base64/);
    try {
      parseTokenKeyring(`k1:${secret}`);
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });
});
