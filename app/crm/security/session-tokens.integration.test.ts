// Access tokens at rest: the Session table holds ciphertext only; the app's readers (the
// library's storage, the workers' offline Admin client) get the token; rotation re-encrypts.
import { Session } from "@shopify/shopify-app-remix/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestDouble } from "../../../test/helpers/start-test-double";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import { storeOfflineSession } from "../../../test/helpers/store-offline-session";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { accessTokenKey, issueOfflineToken } from "../../../test/shopify-double/access-token";
import type { ShopifyDouble } from "../../../test/shopify-double/index";
import { createEncryptedPrismaSessionStorage } from "./encrypted-session-storage.server";
import { rotateSessionTokens } from "./rotate-session-tokens.server";
import { generateTokenKey, parseTokenKeyring, TokenCipherError } from "./token-cipher";

const db = createTestPrisma();
const queues = openTestQueues();
const store = smallTestStore(`tokens-${Date.now().toString(36)}.myshopify.com`);
const k1 = generateTokenKey("k1");
const k2 = generateTokenKey("k2");
let double: ShopifyDouble;
const shopsUsed: string[] = [store.domain];

function newShop(): string {
  const domain = `tokens-${Math.random().toString(36).slice(2, 10)}.myshopify.com`;
  shopsUsed.push(domain);
  return domain;
}

function onlineSession(shop: string, token: string, refreshToken: string) {
  return new Session({
    id: `${shop}_42`,
    shop,
    state: "",
    isOnline: true,
    accessToken: token,
    refreshToken,
    expires: new Date(Date.now() + 3600_000),
    onlineAccessInfo: {
      expires_in: 3600,
      associated_user_scope: "read_customers",
      associated_user: {
        id: 42,
        first_name: "Ada",
        last_name: "L",
        email: "ada@example.com",
        email_verified: true,
        account_owner: true,
        locale: "en",
        collaborator: false,
      },
    },
  });
}

const rawRow = (id: string) => db.session.findUniqueOrThrow({ where: { id } });

beforeAll(async () => {
  double = await startTestDouble([store]);
});

afterAll(async () => {
  await db.session.deleteMany({ where: { shop: { in: shopsUsed } } });
  await double.close();
  await queues.cleanUp();
  await db.$disconnect();
});

describe("session tokens at rest", () => {
  it("stores offline and online tokens encrypted and loads them in the clear", async () => {
    // Given the app's storage with key k1
    const storage = createEncryptedPrismaSessionStorage(db, k1);
    const shop = newShop();
    const offline = await storeOfflineSession(db, { shop, accessToken: "shpat_offline_secret_1234", keys: k1 });
    await storage.storeSession(onlineSession(shop, "shpua_online_secret_5678", "shprt_refresh_secret_9"));
    // Then no column of either row holds a token
    for (const id of [offline.id, `${shop}_42`]) {
      const text = JSON.stringify(await rawRow(id), (_, v: unknown) => (typeof v === "bigint" ? String(v) : v));
      expect(text).not.toMatch(/secret/);
      expect((await rawRow(id)).accessToken).toMatch(/^enc:v1:k1:/);
    }
    expect((await rawRow(`${shop}_42`)).refreshToken).toMatch(/^enc:v1:k1:/);
    // And the storage gives back the tokens and the rest of the session unchanged
    const loaded = await storage.loadSession(`${shop}_42`);
    expect(loaded?.accessToken).toBe("shpua_online_secret_5678");
    expect(loaded?.refreshToken).toBe("shprt_refresh_secret_9");
    expect(loaded?.onlineAccessInfo?.associated_user.id).toBe(42);
    const byShop = await storage.findSessionsByShop(shop);
    expect(byShop.map((s) => s.accessToken).sort()).toEqual(["shpat_offline_secret_1234", "shpua_online_secret_5678"]);
  });

  it("gives the workers' offline Admin client the decrypted token", async () => {
    // Given the shop's offline session stored by the app's own storage (the test file's key)
    await storeOfflineSession(db, {
      shop: store.domain,
      accessToken: issueOfflineToken(accessTokenKey(process.env.SHOPIFY_API_SECRET!), store.domain),
    });
    expect((await rawRow(`offline_${store.domain}`)).accessToken).toMatch(/^enc:v1:/);
    // When a job's Admin client calls the double, which accepts only the real token
    const { createOfflineAdminClientFactory } = await import("../shopify-admin/admin-client-for-shop.server");
    const admin = await createOfflineAdminClientFactory(queues.connection, queues.prefix)(store.domain);
    const data = await admin.request<{ shop: { name: string } }>("query { shop { name } }");
    // Then the call succeeds
    expect(data.shop.name).toBe(store.name);
  });

  it("fails clearly when the key is missing, unknown or the ciphertext was altered", async () => {
    const shop = newShop();
    const session = await storeOfflineSession(db, { shop, accessToken: "shpat_x_secret", keys: k1 });
    // A missing key refuses to build the storage at all
    expect(() => createEncryptedPrismaSessionStorage(db, undefined)).toThrow(/TOKEN_ENCRYPTION_KEYS is not set/);
    // A keyring without k1 names the key it lacks
    await expect(createEncryptedPrismaSessionStorage(db, k2).loadSession(session.id)).rejects.toThrow(
      /encrypted with key "k1", which TOKEN_ENCRYPTION_KEYS does not hold/,
    );
    // Altered bytes fail GCM authentication
    const { accessToken } = await rawRow(session.id);
    const tampered = accessToken.replace(/\.(.)/, (_, c: string) => `.${c === "A" ? "B" : "A"}`);
    await db.session.update({ where: { id: session.id }, data: { accessToken: tampered } });
    const error = await createEncryptedPrismaSessionStorage(db, k1)
      .loadSession(session.id)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenCipherError);
    expect((error as TokenCipherError).code).toBe("TAMPERED");
    expect((error as Error).message).not.toContain("shpat_x_secret");
  });

  it("rotates: old rows open with the old key, the rotation re-encrypts them, then the old key can go", async () => {
    // Given a session under k1, and one stored before encryption existed (plaintext)
    const shop = newShop();
    const old = await storeOfflineSession(db, { shop, accessToken: "shpat_rotate_secret", keys: k1 });
    const online = onlineSession(shop, "shpua_legacy_secret", "shprt_legacy_secret");
    await db.session.create({
      data: {
        id: online.id,
        shop,
        state: "",
        isOnline: true,
        accessToken: online.accessToken!,
        refreshToken: online.refreshToken!,
      },
    });
    // When the keys are rotated to k2 (k1 kept) the old row still opens
    const rotated = `${k2},${k1}`;
    expect((await createEncryptedPrismaSessionStorage(db, rotated).loadSession(old.id))?.accessToken).toBe(
      "shpat_rotate_secret",
    );
    // And the rotation re-encrypts both rows under k2 (a second run has nothing to do)
    const report = await rotateSessionTokens(db, parseTokenKeyring(rotated), { shop });
    expect(report).toEqual({ reencrypted: 2, alreadyCurrent: 0, failed: [] });
    expect(await rotateSessionTokens(db, parseTokenKeyring(rotated), { shop })).toEqual({
      reencrypted: 0,
      alreadyCurrent: 2,
      failed: [],
    });
    expect((await rawRow(old.id)).accessToken).toMatch(/^enc:v1:k2:/);
    expect((await rawRow(online.id)).refreshToken).toMatch(/^enc:v1:k2:/);
    expect(JSON.stringify(await db.session.findMany({ where: { shop } }))).not.toMatch(/secret/);
    // Then with k1 dropped, every row still opens
    const k2Only = createEncryptedPrismaSessionStorage(db, k2);
    expect((await k2Only.loadSession(old.id))?.accessToken).toBe("shpat_rotate_secret");
    expect((await k2Only.loadSession(online.id))?.refreshToken).toBe("shprt_legacy_secret");
    // And a rotation without the key that a row needs reports it instead of guessing
    const stray = await storeOfflineSession(db, { shop: newShop(), accessToken: "shpat_stray", keys: k1 });
    const failed = await rotateSessionTokens(db, parseTokenKeyring(k2), { shop: stray.shop });
    expect(failed.failed).toEqual([{ sessionId: stray.id, shop: stray.shop, code: "UNKNOWN_KEY" }]);
  });
});
