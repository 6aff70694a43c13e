// Performs a run's actions in order from its next step. Each finished step moves next_step on,
// so a retry (the job's backoff) starts at the step that failed, and each action is idempotent
// on its own (automation-actions.server.ts). A wait parks the run and schedules its resume; on
// resume the customer must still match the rule's conditions, else the run stops there.
import { CUSTOMER_FILTER_FROM, customerFilterWhere } from "../customers/customer-filter-sql";
import type { LoyaltyDeps } from "../loyalty/loyalty-service-deps";
import { performAction, type PerformedAction } from "./automation-actions.server";
import { AutomationError } from "./automation-error";
import { requestRunResume } from "./automation-jobs.server";
import { actionSchema, triggerSchema } from "./automation-rule";
import { customerFilterSchema } from "../customers/customer-filter";
import { customerStillMatches, findRunForExecution, updateRun } from "./automation-runs.repository.server";

const DAY_MS = 24 * 3600 * 1000;

export type RunOutcome = "done" | "waiting" | "stopped" | "failed" | "skipped";

export interface ExecuteOptions {
  /** The job's last attempt: a failure now fails the run for good (the run log shows it). */
  lastAttempt?: boolean;
  /** Resuming after the wait at this step. */
  resumeStep?: number;
}

export async function executeRun(deps: LoyaltyDeps, runId: bigint, options: ExecuteOptions = {}): Promise<RunOutcome> {
  const run = await findRunForExecution(deps.db, runId);
  if (!run) return "skipped";
  const resuming = options.resumeStep !== undefined;
  if (resuming ? run.status !== "waiting" || run.nextStep !== options.resumeStep : run.status !== "pending")
    return "skipped";
  const trigger = triggerSchema.safeParse(run.rule.trigger);
  const actions = actionSchema.array().safeParse(run.rule.actions);
  const conditions = customerFilterSchema.safeParse(run.rule.conditions);
  if (!trigger.success || !actions.success || !conditions.success) {
    await updateRun(deps.db, runId, { status: "failed", error: "The rule no longer parses", finished: true });
    return "failed";
  }
  if (run.customer.deletedAt || run.customer.redactedAt || !run.rule.enabled) {
    await updateRun(deps.db, runId, { status: "stopped", error: null, finished: true });
    return "stopped";
  }
  let step = run.nextStep;
  if (resuming) {
    const where = customerFilterWhere(run.shopId, conditions.data, { timeZone: run.shop.ianaTimezone });
    if (!(await customerStillMatches(deps.db, where, CUSTOMER_FILTER_FROM, run.customerId))) {
      await updateRun(deps.db, runId, { status: "stopped", finished: true });
      return "stopped";
    }
    step += 1;
    await updateRun(deps.db, runId, { status: "pending", nextStep: step });
  }
  const ctx = {
    runId,
    shopId: run.shopId,
    shopDomain: run.shop.domain,
    customerId: run.customerId,
    customerShopifyId: run.customer.shopifyId,
    rule: { id: run.ruleId, name: run.rule.name, trigger: trigger.data.type },
  };
  for (; step < actions.data.length; step++) {
    const action = actions.data[step]!;
    if (action.type === "wait") {
      await updateRun(deps.db, runId, { status: "waiting", nextStep: step });
      await requestRunResume(deps.jobs, runId, step, action.days * DAY_MS);
      return "waiting";
    }
    try {
      await performAction(deps, action as PerformedAction, { ...ctx, step });
    } catch (error) {
      const permanent = error instanceof AutomationError && error.permanent;
      const message = `Step ${step + 1} (${action.type}): ${(error as Error).message}`;
      await updateRun(deps.db, runId, {
        ...(permanent || options.lastAttempt ? { status: "failed", finished: true } : {}),
        error: message,
        attempt: true,
      });
      deps.logger.warn({ runId: runId.toString(), ruleId: run.ruleId, step, err: message }, "automation step failed");
      if (permanent) return "failed";
      throw error;
    }
    await updateRun(deps.db, runId, { nextStep: step + 1 });
  }
  await updateRun(deps.db, runId, { status: "done", nextStep: step, error: null, finished: true });
  return "done";
}
