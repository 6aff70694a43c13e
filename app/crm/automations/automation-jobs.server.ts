// The enqueue side of the automations queue. Job ids are deterministic: a run's execution by run
// id, a shop's evaluation by shop (a request while one waits rides on it).
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import { TRIGGERS_OF_EVENT, type CustomerEventKind } from "./automation-rule";
import { enabledRules } from "./automation-rules.repository.server";

// Finished jobs go at once so the id is free for the next request; failed ones are kept.
const FREE_ID_WHEN_DONE = { removeOnComplete: true } as const;

export async function requestShopEvaluation(jobs: JobQueues, shopId: number, delayMs = 0) {
  await jobs.add(
    "automations",
    "evaluate-shop",
    { shopId },
    {
      jobId: `automations-evaluate-${shopId}`,
      delay: delayMs,
      ...FREE_ID_WHEN_DONE,
    },
  );
}

/**
 * Real-time rules for customers an order (or survey answer) just touched. `key` names the source.
 * A shop with no enabled rule these events can fire gets no job (one read instead of a job per
 * customer on every order webhook); a rule enabled later looks back over past events at night.
 */
export async function requestCustomerEvents(
  { db, jobs }: { db: PrismaClient; jobs: JobQueues },
  shopId: number,
  customerIds: readonly bigint[],
  kinds: CustomerEventKind[],
  key: string,
) {
  if (customerIds.length === 0) return;
  const triggers = kinds.flatMap((kind) => TRIGGERS_OF_EVENT[kind]);
  if ((await enabledRules(db, shopId, triggers)).length === 0) return;
  await jobs.queue("automations").addBulk(
    customerIds.map((customerId) => ({
      name: "customer-event",
      data: { shopId, customerId: customerId.toString(), kinds },
      opts: { jobId: `automations-customer-${customerId}-${key}`, removeOnComplete: { age: 3600 } },
    })),
  );
}

export async function requestRunExecutions(jobs: JobQueues, runIds: readonly bigint[]) {
  for (let i = 0; i < runIds.length; i += 1000) {
    await jobs.queue("automations").addBulk(
      runIds.slice(i, i + 1000).map((runId) => ({
        name: "execute-run",
        data: { runId: runId.toString() },
        // Behind real-time events (jobs without a priority go first): a night's runs can wait.
        opts: { jobId: `automations-run-${runId}`, priority: 10 },
      })),
    );
  }
}

export async function requestRunResume(jobs: JobQueues, runId: bigint, step: number, delayMs: number) {
  await jobs.add(
    "automations",
    "resume-run",
    { runId: runId.toString(), step },
    {
      jobId: `automations-resume-${runId}-${step}`,
      delay: delayMs,
    },
  );
}
