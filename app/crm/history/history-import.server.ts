// The history import: a Bulk Operation for customers, then one for orders with their line
// items and refunds, each result streamed into the profile tables in batches.
//
// Steps are separate idempotent jobs: `import-history` starts a run; `poll-bulk-operation`
// checks the operation now and then (the fallback when the finish webhook never comes);
// `import-bulk-result` (enqueued by the webhook or by a poll, same job id) streams the file.
// Each batch commits together with how many lines of the file are done, so a job restarted
// after a crash skips exactly those; a batch written twice would change nothing anyway.
import { UnrecoverableError } from "bullmq";

import { env } from "../../config/env.server";
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import { requestCustomerListRebuild } from "../customers/customer-list-jobs.server";
import type { Logger } from "../../lib/logger.server";
import { recomputeCustomerAggregates } from "../profile/customer-aggregates.repository.server";
import { analyzeProfileTables } from "../profile/profile-records.repository.server";
import type { AdminClientFactory } from "../shopify-admin/admin-client-for-shop.server";
import { groupBulkObjects, readLines } from "./bulk-jsonl";
import {
  BULK_OPERATION_QUERY,
  BULK_QUERY_OF_PHASE,
  type BulkOperationState,
  type HistoryPhase,
  phaseOfBulkQuery,
  RUN_BULK_QUERY_MUTATION,
} from "./bulk-queries";
import { type HistoryBatch, openHistoryBatchWriter } from "./history-batch-writer.repository.server";
import { customerRecordOf, orderRecordOf } from "./history-records";
import {
  createSyncRun,
  findRunningHistoryImport,
  findShopForHistory,
  findSyncRun,
  finishSyncRun,
  HISTORY_IMPORT_KIND,
  recordExpectedObjects,
  startRunOperation,
  touchSyncRun,
} from "./history-import.repository.server";
import { staleImportReason } from "./stale-history-import";

export interface HistoryImportDeps {
  db: PrismaClient;
  logger: Logger;
  jobs: JobQueues;
  adminFor: AdminClientFactory;
  /** The database the import's COPY connection opens (default: DATABASE_URL). */
  databaseUrl?: string;
  /** Downloads the result file (default: global fetch). */
  fetchResult?: (url: string) => Promise<Response>;
  /** Root objects (customers or orders) per written batch. */
  batchSize?: number;
  /** First poll delay; later polls wait longer, up to a minute. */
  pollDelayMs?: number;
  /** Called after each committed batch (tests use it to simulate a crash). */
  afterBatch?: (progress: { runId: number; phase: HistoryPhase; linesDone: number }) => void | Promise<void>;
}

export interface BulkOperationJob {
  shopDomain: string;
  runId: number;
  bulkOperationId: string;
}

export const DEFAULT_HISTORY_BATCH_SIZE = 5_000;
const FIRST_ANALYZE_AT_ROWS = 10_000;
// Polls back off linearly (2 s, 4 s, … up to a minute): a poll costs one query point.
const DEFAULT_POLL_DELAY_MS = 2_000;

// BullMQ refuses custom job ids with colons (they separate its own key parts).
const operationNumber = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);
const importJobId = (job: BulkOperationJob) =>
  `history-${job.shopDomain}-${job.runId}-${operationNumber(job.bulkOperationId)}`;

/**
 * Starts a history import for the shop, or returns the one already running. A running one
 * that is stale (no heartbeat for a while, or its bulk operation lost) is marked failed with
 * the reason, and a new one starts.
 */
export async function startHistoryImport(deps: HistoryImportDeps, shopDomain: string, now = new Date()) {
  const shop = await findShopForHistory(deps.db, shopDomain);
  if (!shop || shop.uninstalledAt) {
    deps.logger.info({ shop: shopDomain }, "history import skipped: shop not installed");
    return null;
  }
  const running = await findRunningHistoryImport(deps.db, shop.id);
  if (running) {
    const operation = running.bulkOperationId ? await findOperation(deps, shopDomain, running.bulkOperationId) : null;
    const reason = staleImportReason(running, operation, now);
    if (!reason) return running;
    await finishSyncRun(deps.db, running.id, { status: "failed", error: reason });
    deps.logger.warn({ shop: shopDomain, runId: running.id, reason }, "stale history import taken over");
  }
  const run = await createSyncRun(deps.db, shop.id, HISTORY_IMPORT_KIND);
  deps.logger.info({ shop: shopDomain, runId: run.id }, "history import started");
  try {
    await runBulkPhase(deps, shopDomain, run.id, "customers");
  } catch (error) {
    // A run without an operation would only block the job's retry (which starts a new one),
    // e.g. while Shopify still runs a taken-over run's operation.
    await finishSyncRun(deps.db, run.id, { status: "failed", error: (error as Error).message });
    throw error;
  }
  return run;
}

async function runBulkPhase(deps: HistoryImportDeps, shopDomain: string, runId: number, phase: HistoryPhase) {
  const admin = await deps.adminFor(shopDomain);
  const data = await admin.request<{ bulkOperationRunQuery: { bulkOperation: { id: string } | null } }>(
    RUN_BULK_QUERY_MUTATION,
    { query: BULK_QUERY_OF_PHASE[phase] },
  );
  const operation = data.bulkOperationRunQuery.bulkOperation;
  if (!operation) throw new Error("bulkOperationRunQuery returned no operation");
  await startRunOperation(deps.db, runId, operation.id);
  await enqueuePoll(deps, { shopDomain, runId, bulkOperationId: operation.id }, 1);
}

async function enqueuePoll(deps: HistoryImportDeps, job: BulkOperationJob, attempt: number) {
  const delay = Math.min(60_000, (deps.pollDelayMs ?? DEFAULT_POLL_DELAY_MS) * attempt);
  await deps.jobs.add(
    "backfill",
    "poll-bulk-operation",
    { ...job, attempt },
    { jobId: `${importJobId(job)}-poll-${attempt}`, delay },
  );
}

/** Enqueues the streaming of a finished operation (the webhook and the polls share its id). */
export async function enqueueBulkResultImport(jobs: JobQueues, job: BulkOperationJob) {
  await jobs.add("backfill", "import-bulk-result", job, { jobId: importJobId(job) });
}

async function currentRun(deps: HistoryImportDeps, job: BulkOperationJob) {
  const run = await findSyncRun(deps.db, job.runId);
  // A run that moved on (next phase, finished, failed) ignores late jobs of an old operation.
  if (!run || run.status !== "running" || run.bulkOperationId !== job.bulkOperationId) return null;
  return run;
}

async function findOperation(deps: HistoryImportDeps, shopDomain: string, bulkOperationId: string) {
  const admin = await deps.adminFor(shopDomain);
  const data = await admin.request<{ bulkOperation: BulkOperationState | null }>(BULK_OPERATION_QUERY, {
    id: bulkOperationId,
  });
  return data.bulkOperation;
}

async function operationState(deps: HistoryImportDeps, job: BulkOperationJob) {
  const operation = await findOperation(deps, job.shopDomain, job.bulkOperationId);
  if (!operation) throw new UnrecoverableError(`Bulk operation ${job.bulkOperationId} not found`);
  return operation;
}

const isUnfinished = (op: BulkOperationState) => ["CREATED", "RUNNING", "CANCELING"].includes(op.status);

/** The fallback for a lost finish webhook: checks the operation, polls again or continues. */
export async function pollBulkOperation(deps: HistoryImportDeps, job: BulkOperationJob & { attempt: number }) {
  if (!(await currentRun(deps, job))) return "stale";
  const op = await operationState(deps, job);
  if (isUnfinished(op)) {
    // The heartbeat of a run waiting on Shopify: it is alive, not stale.
    await touchSyncRun(deps.db, job.runId);
    await enqueuePoll(deps, job, job.attempt + 1);
    return "waiting";
  }
  await enqueueBulkResultImport(deps.jobs, {
    shopDomain: job.shopDomain,
    runId: job.runId,
    bulkOperationId: job.bulkOperationId,
  });
  return "finished";
}

/** Streams a finished operation's file into the profile tables, then moves the run on. */
export async function importBulkResult(deps: HistoryImportDeps, job: BulkOperationJob) {
  const run = await currentRun(deps, job);
  if (!run) return "stale";
  const shop = await findShopForHistory(deps.db, job.shopDomain);
  if (!shop) throw new UnrecoverableError(`Unknown shop ${job.shopDomain}`);
  const op = await operationState(deps, job);
  if (isUnfinished(op)) {
    await enqueuePoll(deps, job, 1);
    return "waiting";
  }
  if (op.status !== "COMPLETED") {
    await finishSyncRun(deps.db, run.id, {
      status: "failed",
      error: `Bulk operation ${op.status}: ${op.errorCode ?? "no error code"}`,
    });
    deps.logger.warn(
      { shop: job.shopDomain, runId: run.id, status: op.status, errorCode: op.errorCode },
      "history import failed",
    );
    return "failed";
  }
  const phase = phaseOfBulkQuery(op.query);
  if (!phase) throw new UnrecoverableError(`Bulk operation ${op.id} is not a history import query`);
  await recordExpectedObjects(deps.db, run.id, Number(op.objectCount));

  // An operation that found nothing has no file.
  if (op.url) {
    await streamIntoProfiles(
      deps,
      { runId: run.id, shopId: shop.id, bulkOperationId: job.bulkOperationId, currencyCode: shop.currencyCode, phase },
      op.url,
      Number(run.linesDone),
    );
  }
  if (phase === "customers") {
    await runBulkPhase(deps, job.shopDomain, run.id, "orders");
    return "next-phase";
  }
  // Statistics first: the set-based recompute is planned badly on tables it thinks empty.
  await analyzeProfileTables(deps.db);
  // Every customer's figures, with the Customers list table's patches off (a million rows one
  // by one would cost minutes): the rebuild requested below brings the table up to date.
  await deps.db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL kinship.customer_list_patch = 'off'");
      await recomputeCustomerAggregates(tx, shop.id);
    },
    { timeout: 60 * 60_000, maxWait: 10_000 },
  );
  await finishSyncRun(deps.db, run.id, { status: "succeeded" });
  await requestCustomerListRebuild(deps.jobs, shop.id, `history-${run.id}`);
  deps.logger.info({ shop: job.shopDomain, runId: run.id }, "history import succeeded");
  return "succeeded";
}

interface StreamTarget {
  runId: number;
  shopId: number;
  bulkOperationId: string;
  currencyCode: string;
  phase: HistoryPhase;
}

async function streamIntoProfiles(deps: HistoryImportDeps, target: StreamTarget, url: string, linesDone: number) {
  const response = await (deps.fetchResult ?? fetch)(url);
  if (!response.ok || !response.body) throw new Error(`Bulk result download answered ${response.status}`);
  const batchSize = deps.batchSize ?? DEFAULT_HISTORY_BATCH_SIZE;
  const writer = await openHistoryBatchWriter(deps.databaseUrl ?? env().DATABASE_URL);
  let batch: HistoryBatch = { customers: [], orders: [], linesThrough: linesDone };

  // Parsing the next batch overlaps with writing the previous one (one write in flight),
  // so the import uses both the worker's CPU and PostgreSQL's at once.
  let pending: Promise<void> = Promise.resolve();
  let rowsWritten = 0;
  let analyzeAt = FIRST_ANALYZE_AT_ROWS;
  const write = async (written: HistoryBatch) => {
    await writer.write(target, written);
    rowsWritten += written.customers.length + written.orders.length;
    // Fresh statistics as the tables grow (at 10k, 20k, 40k … rows): PostgreSQL would
    // otherwise keep planning the merges' joins for the empty tables it last analysed.
    if (rowsWritten >= analyzeAt) {
      await analyzeProfileTables(deps.db);
      analyzeAt *= 2;
    }
    await deps.afterBatch?.({ runId: target.runId, phase: target.phase, linesDone: written.linesThrough });
  };
  const commit = async () => {
    if (batch.customers.length === 0 && batch.orders.length === 0) return;
    const full = batch;
    batch = { customers: [], orders: [], linesThrough: full.linesThrough };
    await pending;
    pending = write(full);
    pending.catch(() => undefined); // awaited (and thrown) at the next commit or at the end
  };

  // (Node's web ReadableStream is async iterable; the DOM typings do not say so.)
  try {
    for await (const group of groupBulkObjects(
      readLines(response.body as unknown as AsyncIterable<Uint8Array>),
      linesDone,
    )) {
      if (target.phase === "customers") batch.customers.push(customerRecordOf(group.root));
      else batch.orders.push(orderRecordOf(group, target.currencyCode));
      batch.linesThrough = group.linesThrough;
      if (batch.customers.length + batch.orders.length >= batchSize) await commit();
    }
    await commit();
    await pending;
  } finally {
    // No write left running behind a failed job; then stop the download.
    await pending.catch(() => undefined);
    await writer.close();
    await response.body.cancel().catch(() => undefined);
  }
}
