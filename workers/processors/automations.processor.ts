import { UnrecoverableError, type Job } from "bullmq";

import { evaluateCustomerEvent, evaluateShop } from "../../app/crm/automations/evaluate-automations.server";
import { executeRun } from "../../app/crm/automations/execute-run.server";
import type { LoyaltyDeps } from "../../app/crm/loyalty/loyalty-service-deps";
import type { JobName, JobPayloads } from "../../app/jobs/queues";

type AutomationsJob = {
  [N in JobName<"automations">]: Job<JobPayloads["automations"][N], unknown, N>;
}[JobName<"automations">];

export function createAutomationsProcessor(deps: LoyaltyDeps) {
  return async (job: AutomationsJob) => {
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    switch (job.name) {
      case "evaluate-shop":
        return evaluateShop(deps, job.data.shopId);
      case "customer-event":
        return evaluateCustomerEvent(deps, {
          shopId: job.data.shopId,
          customerId: BigInt(job.data.customerId),
          kinds: job.data.kinds,
        });
      case "execute-run":
        return executeRun(deps, BigInt(job.data.runId), { lastAttempt });
      case "resume-run":
        return executeRun(deps, BigInt(job.data.runId), { lastAttempt, resumeStep: job.data.step });
      default:
        throw new UnrecoverableError(`Unknown automations job ${(job as Job).name}`);
    }
  };
}
