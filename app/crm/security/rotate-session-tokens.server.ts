// Re-encrypts every stored session token with the current key (and encrypts rows written
// before encryption existed), so an old key can then be dropped from TOKEN_ENCRYPTION_KEYS.
// Idempotent: rows already under the current key are left alone; safe to run while the app runs.
import type { PrismaClient } from "../../db.server";
import { listSessionTokens, replaceSessionTokens, type StoredSessionTokens } from "./session-tokens.repository.server";
import {
  decryptToken,
  encryptToken,
  isEncryptedToken,
  TokenCipherError,
  tokenKeyId,
  type TokenKeyring,
} from "./token-cipher";

export interface RotationReport {
  reencrypted: number;
  alreadyCurrent: number;
  /** Rows that could not be opened (unknown key, tampered): listed by id, never by token. */
  failed: { sessionId: string; shop: string; code: string }[];
}

export async function rotateSessionTokens(
  db: PrismaClient,
  keyring: TokenKeyring,
  options: { batchSize?: number; shop?: string } = {},
): Promise<RotationReport> {
  const report: RotationReport = { reencrypted: 0, alreadyCurrent: 0, failed: [] };
  let afterId: string | null = null;
  for (;;) {
    const rows = await listSessionTokens(db, { afterId, limit: options.batchSize ?? 500, shop: options.shop });
    if (rows.length === 0) return report;
    afterId = rows.at(-1)!.id;
    for (const row of rows) {
      if (isCurrent(row, keyring)) {
        report.alreadyCurrent += 1;
        continue;
      }
      try {
        const reencrypt = (stored: string) =>
          encryptToken(isEncryptedToken(stored) ? decryptToken(stored, row.shop, keyring) : stored, row.shop, keyring);
        const written = await replaceSessionTokens(db, row, {
          accessToken: row.accessToken ? reencrypt(row.accessToken) : row.accessToken,
          refreshToken: row.refreshToken ? reencrypt(row.refreshToken) : row.refreshToken,
        });
        // Not written: the app stored a fresh session meanwhile, under the current key.
        report[written ? "reencrypted" : "alreadyCurrent"] += 1;
      } catch (error) {
        if (!(error instanceof TokenCipherError)) throw error;
        report.failed.push({ sessionId: row.id, shop: row.shop, code: error.code });
      }
    }
  }
}

function isCurrent(row: StoredSessionTokens, keyring: TokenKeyring): boolean {
  const current = (stored: string | null) => !stored || tokenKeyId(stored) === keyring.currentKeyId;
  return current(row.accessToken) && current(row.refreshToken);
}
