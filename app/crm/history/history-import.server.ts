// The history import: a Bulk Operation for customers, then one for orders with their line
// items and refunds, each result streamed into the profile tables in batches.
//
// Steps are separate idempotent jobs: `import-history` starts a run; `poll-bulk-operation`
// checks the operation now and then (the fallback when the finish webhook never comes);
// `import-bulk-result` (enqueued by the webhook or by a poll, same job id) streams the file.
// After every committed batch the run records how many lines of the file are done, so a
// job restarted after a crash skips them; a batch written twice changes nothing.
import { UnrecoverableError } from "bullmq";

import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import type { Logger } from "../../lib/logger.server";
import { recomputeCustomerAggregates } from "../profile/customer-aggregates.repository.server";
import type { CustomerRecord, OrderRecord } from "../profile/profile-records";
import {
  analyzeProfileTables,
  upsertCustomerRecords,
  upsertOrderRecords,
} from "../profile/profile-records.repository.server";
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
import { customerRecordOf, orderRecordOf } from "./history-records";
import {
  createSyncRun,
  findRunningHistoryImport,
  findShopForHistory,
  findSyncRun,
  finishSyncRun,
  HISTORY_IMPORT_KIND,
  recordBatchProgress,
  recordExpectedObjects,
  startRunOperation,
} from "./history-import.repository.server";

export interface HistoryImportDeps {
  db: PrismaClient;
  logger: Logger;
  jobs: JobQueues;
  adminFor: AdminClientFactory;
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

export const DEFAULT_HISTORY_BATCH_SIZE = 2_000;
const FIRST_ANALYZE_AT_ROWS = 10_000;
const DEFAULT_POLL_DELAY_MS = 10_000;

// BullMQ refuses custom job ids with colons (they separate its own key parts).
const operationNumber = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);
const importJobId = (job: BulkOperationJob) =>
  `history-${job.shopDomain}-${job.runId}-${operationNumber(job.bulkOperationId)}`;

/** Starts a history import for the shop, or returns the one already running. */
export async function startHistoryImport(deps: HistoryImportDeps, shopDomain: string) {
  const shop = await findShopForHistory(deps.db, shopDomain);
  if (!shop || shop.uninstalledAt) {
    deps.logger.info({ shop: shopDomain }, "history import skipped: shop not installed");
    return null;
  }
  const running = await findRunningHistoryImport(deps.db, shop.id);
  if (running) return running;
  const run = await createSyncRun(deps.db, shop.id, HISTORY_IMPORT_KIND);
  deps.logger.info({ shop: shopDomain, runId: run.id }, "history import started");
  await runBulkPhase(deps, shopDomain, run.id, "customers");
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

async function operationState(deps: HistoryImportDeps, job: BulkOperationJob) {
  const admin = await deps.adminFor(job.shopDomain);
  const data = await admin.request<{ bulkOperation: BulkOperationState | null }>(BULK_OPERATION_QUERY, {
    id: job.bulkOperationId,
  });
  if (!data.bulkOperation) throw new UnrecoverableError(`Bulk operation ${job.bulkOperationId} not found`);
  return data.bulkOperation;
}

const isUnfinished = (op: BulkOperationState) => ["CREATED", "RUNNING", "CANCELING"].includes(op.status);

/** The fallback for a lost finish webhook: checks the operation, polls again or continues. */
export async function pollBulkOperation(deps: HistoryImportDeps, job: BulkOperationJob & { attempt: number }) {
  if (!(await currentRun(deps, job))) return "stale";
  const op = await operationState(deps, job);
  if (isUnfinished(op)) {
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
      { runId: run.id, shopId: shop.id, currencyCode: shop.currencyCode, phase },
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
  await recomputeCustomerAggregates(deps.db, shop.id);
  await finishSyncRun(deps.db, run.id, { status: "succeeded" });
  deps.logger.info({ shop: job.shopDomain, runId: run.id }, "history import succeeded");
  return "succeeded";
}

interface StreamTarget {
  runId: number;
  shopId: number;
  currencyCode: string;
  phase: HistoryPhase;
}

async function streamIntoProfiles(deps: HistoryImportDeps, target: StreamTarget, url: string, linesDone: number) {
  const response = await (deps.fetchResult ?? fetch)(url);
  if (!response.ok || !response.body) throw new Error(`Bulk result download answered ${response.status}`);
  const batchSize = deps.batchSize ?? DEFAULT_HISTORY_BATCH_SIZE;
  let customers: CustomerRecord[] = [];
  let orders: OrderRecord[] = [];
  let linesThrough = linesDone;

  // Parsing the next batch overlaps with writing the previous one (one write in flight),
  // so the import uses both the worker's CPU and PostgreSQL's at once.
  let pending: Promise<void> = Promise.resolve();
  let rowsWritten = 0;
  let analyzeAt = FIRST_ANALYZE_AT_ROWS;
  const write = async (batch: { customers: CustomerRecord[]; orders: OrderRecord[]; linesThrough: number }) => {
    if (batch.customers.length > 0) await upsertCustomerRecords(deps.db, target.shopId, batch.customers);
    if (batch.orders.length > 0) await upsertOrderRecords(deps.db, target.shopId, batch.orders);
    rowsWritten += batch.customers.length + batch.orders.length;
    // Fresh statistics as the tables grow (at 10k, 20k, 40k … rows): PostgreSQL would
    // otherwise keep planning the upserts' joins for the empty tables it last analysed.
    if (rowsWritten >= analyzeAt) {
      await analyzeProfileTables(deps.db);
      analyzeAt *= 2;
    }
    await recordBatchProgress(deps.db, target.runId, {
      linesDone: batch.linesThrough,
      customersAdded: batch.customers.length,
      ordersAdded: batch.orders.length,
    });
    await deps.afterBatch?.({ runId: target.runId, phase: target.phase, linesDone: batch.linesThrough });
  };
  const commit = async () => {
    if (customers.length === 0 && orders.length === 0) return;
    const batch = { customers, orders, linesThrough };
    customers = [];
    orders = [];
    await pending;
    pending = write(batch);
    pending.catch(() => undefined); // awaited (and thrown) at the next commit or at the end
  };

  // (Node's web ReadableStream is async iterable; the DOM typings do not say so.)
  try {
    for await (const group of groupBulkObjects(
      readLines(response.body as unknown as AsyncIterable<Uint8Array>),
      linesDone,
    )) {
      if (target.phase === "customers") customers.push(customerRecordOf(group.root));
      else orders.push(orderRecordOf(group, target.currencyCode));
      linesThrough = group.linesThrough;
      if (customers.length + orders.length >= batchSize) await commit();
    }
    await commit();
    await pending;
  } finally {
    // No write left running behind a failed job; then stop the download.
    await pending.catch(() => undefined);
    await response.body.cancel().catch(() => undefined);
  }
}
