// `npm run -s tokens:keygen [keyId]`: prints a new TOKEN_ENCRYPTION_KEYS entry.
// `npm run tokens:rotate`: re-encrypts every stored session token with the current (first) key,
// and encrypts rows stored before encryption. Rotation: put the new key first
// (`k2:new,k1:old`), deploy, run this, then drop `k1`.
import { envSchema, parseEnv } from "../app/config/env.server";
import { createPrismaClient } from "../app/db.server";
import { rotateSessionTokens } from "../app/crm/security/rotate-session-tokens.server";
import { generateTokenKey, parseTokenKeyring, TokenCipherError } from "../app/crm/security/token-cipher";
import { exitOnStartupError } from "../app/lib/exit-on-startup-error.server";

const [command, argument] = process.argv.slice(2);

if (command === "keygen") {
  console.log(generateTokenKey(argument ?? `k${new Date().toISOString().slice(0, 10).replaceAll("-", "")}`));
} else if (command === "rotate") {
  const config = await exitOnStartupError(async () =>
    parseEnv(process.env, envSchema.pick({ DATABASE_URL: true, TOKEN_ENCRYPTION_KEYS: true })),
  );
  let keyring;
  try {
    keyring = parseTokenKeyring(config.TOKEN_ENCRYPTION_KEYS);
  } catch (error) {
    if (!(error instanceof TokenCipherError)) throw error;
    process.stderr.write(`kinship: ${error.message}\n`);
    process.exit(1);
  }
  const db = createPrismaClient(config.DATABASE_URL);
  try {
    const report = await rotateSessionTokens(db, keyring);
    console.log(
      `Re-encrypted ${report.reencrypted} session(s) with key "${keyring.currentKeyId}"; ` +
        `${report.alreadyCurrent} already current; ${report.failed.length} could not be opened`,
    );
    for (const failed of report.failed) console.log(`  ${failed.sessionId} (${failed.shop}): ${failed.code}`);
    process.exitCode = report.failed.length ? 1 : 0;
  } finally {
    await db.$disconnect();
  }
} else {
  process.stderr.write("usage: tsx scripts/tokens.ts keygen [keyId] | rotate\n");
  process.exit(2);
}
