// An installed shop's offline session, stored the way the app stores it: through the
// encrypting session storage, so the row holds ciphertext and the app's readers decrypt it.
import { Session } from "@shopify/shopify-app-remix/server";

import type { PrismaClient } from "../../app/db.server";
import { createEncryptedPrismaSessionStorage } from "../../app/crm/security/encrypted-session-storage.server";

export async function storeOfflineSession(
  db: PrismaClient,
  options: { shop: string; accessToken: string; scope?: string; keys?: string },
): Promise<Session> {
  const session = new Session({
    id: `offline_${options.shop}`,
    shop: options.shop,
    state: "",
    isOnline: false,
    scope: options.scope,
    accessToken: options.accessToken,
  });
  const storage = createEncryptedPrismaSessionStorage(db, options.keys ?? process.env.TOKEN_ENCRYPTION_KEYS);
  await storage.storeSession(session);
  return session;
}
