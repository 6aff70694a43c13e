import type { PrismaClient } from "../../db.server";

export async function findLastSyncRun(db: PrismaClient, shopId: number) {
  return db.syncRun.findFirst({ where: { shopId }, orderBy: { startedAt: "desc" } });
}
