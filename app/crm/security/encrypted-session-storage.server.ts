// The library's session storage with access and refresh tokens encrypted at rest: a wrapper
// around any SessionStorage (PrismaSessionStorage in the app), so the library's own storage
// code is used unchanged and every reader of a session (authenticate.admin,
// unauthenticated.admin for the workers' offline clients) gets the plaintext token.
import { Session } from "@shopify/shopify-app-remix/server";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";

import type { PrismaClient } from "../../db.server";
import { decryptToken, encryptToken, isEncryptedToken, parseTokenKeyring, type TokenKeyring } from "./token-cipher";

interface Warner {
  warn(fields: object, message: string): void;
}

export class EncryptedSessionStorage implements SessionStorage {
  constructor(
    private readonly inner: SessionStorage,
    private readonly keyring: TokenKeyring,
    private readonly logger?: Warner,
  ) {}

  storeSession(session: Session): Promise<boolean> {
    return this.inner.storeSession(this.transform(session, (token) => encryptToken(token, session.shop, this.keyring)));
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const stored = await this.inner.loadSession(id);
    return stored && this.open(stored);
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    return (await this.inner.findSessionsByShop(shop)).map((session) => this.open(session));
  }

  private open(stored: Session): Session {
    return this.transform(stored, (token) => {
      if (isEncryptedToken(token)) return decryptToken(token, stored.shop, this.keyring);
      // A row written before encryption: usable until `npm run tokens:rotate` or the next store
      // re-encrypts it, so an upgrade does not log every shop out.
      this.logger?.warn({ shop: stored.shop, sessionId: stored.id }, "session token stored unencrypted");
      return token;
    });
  }

  private transform(session: Session, change: (token: string) => string): Session {
    const copy = new Session(session.toObject());
    if (session.accessToken) copy.accessToken = change(session.accessToken);
    if (session.refreshToken) copy.refreshToken = change(session.refreshToken);
    return copy;
  }
}

/** The app's session storage: Prisma rows with encrypted tokens (`keys`: TOKEN_ENCRYPTION_KEYS). */
export function createEncryptedPrismaSessionStorage(db: PrismaClient, keys: string | undefined, logger?: Warner) {
  return new EncryptedSessionStorage(new PrismaSessionStorage(db), parseTokenKeyring(keys), logger);
}
