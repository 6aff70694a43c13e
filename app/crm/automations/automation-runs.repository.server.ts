// automation_runs (one per rule, event and customer), their steps, the run log, and the churn
// band snapshot the churn trigger compares against.
import type { Prisma } from "@prisma/client";

import type { PrismaClient } from "../../db.server";
import { ruleCandidatesSql, type CandidateOptions, type EventWindow } from "./automation-events-sql";
import type { AutomationRuleRecord } from "./automation-rule";

export type RunStatus = "pending" | "waiting" | "done" | "failed" | "stopped";
export const RUN_STATUSES: readonly RunStatus[] = ["pending", "waiting", "done", "failed", "stopped"];

type Tx = Prisma.TransactionClient;

/**
 * Records a run for every customer the rule reaches in the window, once per event: the unique
 * (rule_id, event_key, customer_id) makes a duplicate event or a second evaluation insert
 * nothing. Returns the new runs' ids.
 */
export async function insertRuns(
  db: PrismaClient | Tx,
  rule: AutomationRuleRecord,
  window: EventWindow,
  options: Pick<CandidateOptions, "customerId"> = {},
): Promise<bigint[]> {
  const candidates = ruleCandidatesSql(rule, window, { ruleId: rule.id, capDays: rule.capDays, ...options });
  const rows = await db.$queryRaw<{ id: bigint }[]>`
    INSERT INTO automation_runs (shop_id, rule_id, customer_id, event_key, created_at, updated_at)
    SELECT ${rule.shopId}, ${rule.id}, k.customer_id, k.event_key, ${window.now}, ${window.now}
    FROM (${candidates}) k
    ON CONFLICT (rule_id, event_key, customer_id) DO NOTHING
    RETURNING id`;
  return rows.map((row) => row.id);
}

/**
 * The real-time path for one customer: an advisory lock per (rule, customer) makes two events
 * arriving together respect the frequency cap (the nightly statement is one set, so needs none).
 */
export async function insertCustomerRuns(
  db: PrismaClient,
  rule: AutomationRuleRecord,
  window: EventWindow,
  customerId: bigint,
): Promise<bigint[]> {
  // Without a cap the unique key alone keeps one run per event: no lock, no transaction.
  if (rule.capDays === null) return insertRuns(db, rule, window, { customerId });
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${rule.id}::int, hashtext(${customerId.toString()}))`;
    return insertRuns(tx, rule, window, { customerId });
  });
}

/** How many customers the rule would reach in the window (the dry-run). */
export async function countCandidates(
  db: PrismaClient,
  rule: Pick<AutomationRuleRecord, "trigger" | "conditions" | "capDays"> & { id: number | null },
  window: EventWindow,
): Promise<number> {
  const candidates = ruleCandidatesSql(rule, window, { ruleId: rule.id, capDays: rule.capDays });
  const [row] = await db.$queryRaw<[{ count: bigint }]>`SELECT count(*) AS count FROM (${candidates}) k`;
  return Number(row.count);
}

/** The shop a run belongs to (a run job carries only the run's id); null if the run is gone. */
export async function findRunShopId(db: PrismaClient, runId: bigint): Promise<number | null> {
  const run = await db.automationRun.findUnique({ where: { id: runId }, select: { shopId: true } });
  return run?.shopId ?? null;
}

export function findRunForExecution(db: PrismaClient, runId: bigint) {
  return db.automationRun.findUnique({
    where: { id: runId },
    include: {
      rule: true,
      shop: { select: { domain: true, ianaTimezone: true, currencyCode: true } },
      customer: { select: { shopifyId: true, deletedAt: true, redactedAt: true } },
    },
  });
}

export async function updateRun(
  db: PrismaClient,
  runId: bigint,
  data: { status?: RunStatus; nextStep?: number; error?: string | null; finished?: boolean; attempt?: boolean },
) {
  await db.automationRun.update({
    where: { id: runId },
    data: {
      status: data.status,
      nextStep: data.nextStep,
      error: data.error === undefined ? undefined : (data.error?.slice(0, 1000) ?? null),
      finishedAt: data.finished ? new Date() : undefined,
      attempts: data.attempt ? { increment: 1 } : undefined,
    },
  });
}

/** The redemption a reward step made, or makes one with `create` inside the same transaction. */
export async function stepRedemption(
  db: PrismaClient,
  runId: bigint,
  step: number,
  create: (tx: Tx) => Promise<bigint>,
): Promise<bigint> {
  return db.$transaction(async (tx) => {
    // The row lock serialises two attempts of the same step: the second sees the first's code.
    await tx.$executeRaw`INSERT INTO automation_run_steps (run_id, step) VALUES (${runId}, ${step}) ON CONFLICT DO NOTHING`;
    const [row] = await tx.$queryRaw<[{ redemption_id: bigint | null }]>`
      SELECT redemption_id FROM automation_run_steps WHERE run_id = ${runId} AND step = ${step} FOR UPDATE`;
    if (row.redemption_id !== null) return row.redemption_id;
    const redemptionId = await create(tx);
    await tx.automationRunStep.update({ where: { runId_step: { runId, step } }, data: { redemptionId } });
    return redemptionId;
  });
}

/** Whether the customer still matches the rule's conditions (after a wait). */
export async function customerStillMatches(
  db: PrismaClient,
  where: Prisma.Sql,
  fromSql: Prisma.Sql,
  customerId: bigint,
): Promise<boolean> {
  const rows = await db.$queryRaw<unknown[]>`SELECT 1 ${fromSql} WHERE ${where} AND c.id = ${customerId} LIMIT 1`;
  return rows.length > 0;
}

/** Run counts by rule and status, for the run log. */
export async function runCounts(db: PrismaClient, shopId: number) {
  const rows = await db.automationRun.groupBy({ by: ["ruleId", "status"], where: { shopId }, _count: { _all: true } });
  const counts = new Map<number, Record<RunStatus, number>>();
  for (const row of rows) {
    const entry = counts.get(row.ruleId) ?? { pending: 0, waiting: 0, done: 0, failed: 0, stopped: 0 };
    entry[row.status as RunStatus] = row._count._all;
    counts.set(row.ruleId, entry);
  }
  return counts;
}

export function lastRunErrors(db: PrismaClient, shopId: number, ruleId: number, take = 5) {
  return db.automationRun.findMany({
    where: { shopId, ruleId, error: { not: null } },
    orderBy: { updatedAt: "desc" },
    take,
    select: { id: true, customerId: true, status: true, error: true, updatedAt: true, attempts: true },
  });
}

/** Runs left pending (a lost job): re-enqueued by the nightly evaluation. */
export async function stalePendingRuns(db: PrismaClient, shopId: number, olderThan: Date, take = 10_000) {
  const rows = await db.automationRun.findMany({
    where: { shopId, status: "pending", updatedAt: { lt: olderThan } },
    select: { id: true },
    orderBy: { id: "asc" },
    take,
  });
  return rows.map((row) => row.id);
}

/**
 * Brings the churn band snapshot up to the latest scores (only changed rows are written). Call
 * after evaluating churn rules: the next evaluation compares against these bands.
 */
export async function refreshChurnBands(db: PrismaClient, shopId: number) {
  await db.$executeRaw`
    INSERT INTO automation_churn_bands (customer_id, shop_id, band)
    SELECT customer_id, shop_id, churn_risk FROM customer_scores WHERE shop_id = ${shopId}
    ON CONFLICT (customer_id) DO UPDATE SET band = EXCLUDED.band
      WHERE automation_churn_bands.band IS DISTINCT FROM EXCLUDED.band`;
}

export function findShopForAutomations(db: PrismaClient, shopId: number) {
  return db.shop.findUnique({
    where: { id: shopId },
    select: { id: true, domain: true, ianaTimezone: true, uninstalledAt: true },
  });
}
