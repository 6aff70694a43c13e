import { UnrecoverableError, type Job } from "bullmq";

import { evaluateCustomerEvent, evaluateShop } from "../../app/crm/automations/evaluate-automations.server";
import { executeRun } from "../../app/crm/automations/execute-run.server";
import type { LoyaltyDeps } from "../../app/crm/loyalty/loyalty-service-deps";
import { findRunShopId } from "../../app/crm/automations/automation-runs.repository.server";
import type { JobName, JobPayloads } from "../../app/jobs/queues";
import { createJobScopes } from "./job-shop";

type AutomationsJob = {
  [N in JobName<"automations">]: Job<JobPayloads["automations"][N], unknown, N>;
}[JobName<"automations">];

export function createAutomationsProcessor(automationDeps: LoyaltyDeps) {
  const scopes = createJobScopes(automationDeps);
  // A run job names only its run: the run's shop (automation_runs is outside the wall) scopes it.
  const runDeps = async (runId: string) => {
    const shopId = await findRunShopId(automationDeps.db, BigInt(runId));
    return shopId === null ? null : scopes.byId(shopId);
  };
  return async (job: AutomationsJob) => {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    switch (job.name) {
      case "evaluate-shop":
        return evaluateShop(scopes.byId(job.data.shopId), job.data.shopId);
      case "customer-event":
        // In the shop's scope: the rules are read and the runs recorded in one transaction, the
        // runs' actions performed after it (evaluate-automations.server.ts).
        return evaluateCustomerEvent(scopes.byId(job.data.shopId), {
          shopId: job.data.shopId,
          customerId: BigInt(job.data.customerId),
          kinds: job.data.kinds,
        });
      case "execute-run": {
        const deps = await runDeps(job.data.runId);
        return deps ? executeRun(deps, BigInt(job.data.runId), { lastAttempt }) : "skipped";
      }
      case "resume-run": {
        const deps = await runDeps(job.data.runId);
        return deps ? executeRun(deps, BigInt(job.data.runId), { lastAttempt, resumeStep: job.data.step }) : "skipped";
      }
      default:
        throw new UnrecoverableError(`Unknown automations job ${(job as Job).name}`);
    }
  };
}
