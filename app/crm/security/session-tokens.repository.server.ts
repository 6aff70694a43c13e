// Raw session rows for the token key rotation: the only code that reads the stored
// (encrypted) token columns itself; every other reader goes through EncryptedSessionStorage.
import type { PrismaClient } from "../../db.server";

export interface StoredSessionTokens {
  id: string;
  shop: string;
  accessToken: string;
  refreshToken: string | null;
}

export function listSessionTokens(db: PrismaClient, page: { afterId: string | null; limit: number; shop?: string }) {
  return db.session.findMany({
    where: {
      ...(page.afterId === null ? {} : { id: { gt: page.afterId } }),
      ...(page.shop ? { shop: page.shop } : {}),
    },
    orderBy: { id: "asc" },
    take: page.limit,
    select: { id: true, shop: true, accessToken: true, refreshToken: true },
  }) as Promise<StoredSessionTokens[]>;
}

/** Writes the re-encrypted tokens unless the row changed meanwhile (a fresh store wins). */
export async function replaceSessionTokens(
  db: PrismaClient,
  before: StoredSessionTokens,
  after: Pick<StoredSessionTokens, "accessToken" | "refreshToken">,
): Promise<boolean> {
  const { count } = await db.session.updateMany({
    where: { id: before.id, accessToken: before.accessToken, refreshToken: before.refreshToken },
    data: after,
  });
  return count === 1;
}
