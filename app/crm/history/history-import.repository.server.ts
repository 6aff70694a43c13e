// sync_runs rows of kind history_import / reconciliation: the import's progress and its
// resume position (lines_done of the current bulk operation's file).
import type { PrismaClient } from "../../db.server";

export const HISTORY_IMPORT_KIND = "history_import";
export const RECONCILIATION_KIND = "reconciliation";

export async function findShopForHistory(db: PrismaClient, domain: string) {
  return db.shop.findUnique({ where: { domain } });
}

export async function findRunningHistoryImport(db: PrismaClient, shopId: number) {
  return db.syncRun.findFirst({
    where: { shopId, kind: HISTORY_IMPORT_KIND, status: "running" },
    orderBy: { startedAt: "desc" },
  });
}

export async function findSyncRun(db: PrismaClient, runId: number) {
  return db.syncRun.findUnique({ where: { id: runId } });
}

export async function findRunByBulkOperation(db: PrismaClient, shopDomain: string, bulkOperationId: string) {
  return db.syncRun.findFirst({
    where: { bulkOperationId, kind: HISTORY_IMPORT_KIND, shop: { domain: shopDomain } },
    include: { shop: true },
  });
}

export async function createSyncRun(db: PrismaClient, shopId: number, kind: string) {
  return db.syncRun.create({ data: { shopId, kind, status: "running", heartbeatAt: new Date() } });
}

/** A new bulk operation for the run: its file is read from its first line. */
export async function startRunOperation(db: PrismaClient, runId: number, bulkOperationId: string) {
  await db.syncRun.update({
    where: { id: runId },
    data: { bulkOperationId, linesDone: 0n, expectedObjects: null, heartbeatAt: new Date() },
  });
}

export async function recordExpectedObjects(db: PrismaClient, runId: number, expectedObjects: number) {
  await db.syncRun.update({ where: { id: runId }, data: { expectedObjects, heartbeatAt: new Date() } });
}

/** The heartbeat of a run that is alive but has no batch to record (waiting on Shopify). */
export async function touchSyncRun(db: PrismaClient, runId: number) {
  await db.syncRun.updateMany({ where: { id: runId, status: "running" }, data: { heartbeatAt: new Date() } });
}

export async function finishSyncRun(
  db: PrismaClient,
  runId: number,
  outcome: { status: "succeeded" | "failed"; error?: string; counts?: { customers: number; orders: number } },
) {
  await db.syncRun.update({
    where: { id: runId },
    data: {
      status: outcome.status,
      error: outcome.error ?? null,
      finishedAt: new Date(),
      heartbeatAt: new Date(),
      ...(outcome.counts ? { customersCount: outcome.counts.customers, ordersCount: outcome.counts.orders } : {}),
    },
  });
}

export async function lastSucceededRunStart(db: PrismaClient, shopId: number): Promise<Date | null> {
  const run = await db.syncRun.findFirst({
    where: { shopId, status: "succeeded", kind: { in: [HISTORY_IMPORT_KIND, RECONCILIATION_KIND] } },
    orderBy: { startedAt: "desc" },
  });
  return run?.startedAt ?? null;
}

export async function latestHistoryImports(db: PrismaClient, shopId: number) {
  return db.syncRun.findMany({
    where: { shopId, kind: HISTORY_IMPORT_KIND },
    orderBy: { startedAt: "desc" },
    take: 2,
  });
}

export async function countStoredProfiles(db: PrismaClient, shopId: number) {
  const [customers, orders] = await Promise.all([
    db.customer.count({ where: { shopId, deletedAt: null } }),
    db.order.count({ where: { shopId } }),
  ]);
  return { customers, orders };
}
