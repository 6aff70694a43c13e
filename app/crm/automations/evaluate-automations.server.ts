// Evaluates rules: nightly for the whole shop (one set-based INSERT … SELECT per rule, after
// the analytics run and the segments recompute), and in real time for one customer after an
// order is applied or a survey answered. Either way a run is recorded once per rule, event and
// customer; its actions run in the run's own job (or inline on the real-time path).
import type { LoyaltyDeps } from "../loyalty/loyalty-service-deps";
import { LOOKBACK_DAYS, type EventWindow } from "./automation-events-sql";
import { requestRunExecutions } from "./automation-jobs.server";
import { ORDER_TRIGGERS, SURVEY_TRIGGERS, type AutomationRuleRecord, type TriggerType } from "./automation-rule";
import { enabledRules, markRulesEvaluated } from "./automation-rules.repository.server";
import {
  findShopForAutomations,
  insertCustomerRuns,
  insertRuns,
  refreshChurnBands,
  stalePendingRuns,
} from "./automation-runs.repository.server";
import { executeRun } from "./execute-run.server";

const DAY_MS = 24 * 3600 * 1000;
/** A pending run untouched this long lost its job (a crash between insert and enqueue). */
const STALE_PENDING_MS = 3600 * 1000;

export function ruleWindow(
  rule: Pick<AutomationRuleRecord, "enabledAt">,
  shop: { id: number; ianaTimezone: string },
  now: Date,
): EventWindow {
  const lookback = new Date(now.getTime() - LOOKBACK_DAYS * DAY_MS);
  const since = rule.enabledAt && rule.enabledAt > lookback ? rule.enabledAt : lookback;
  return { shopId: shop.id, since, now, timeZone: shop.ianaTimezone };
}

export interface ShopEvaluation {
  rules: number;
  runs: number;
  byRule: Record<number, number>;
  requeued: number;
}

export async function evaluateShop(deps: LoyaltyDeps, shopId: number): Promise<ShopEvaluation> {
  const shop = await findShopForAutomations(deps.db, shopId);
  const outcome: ShopEvaluation = { rules: 0, runs: 0, byRule: {}, requeued: 0 };
  if (!shop || shop.uninstalledAt) return outcome;
  const now = deps.now?.() ?? new Date();
  const rules = await enabledRules(deps.db, shopId);
  for (const rule of rules) {
    const runIds = await insertRuns(deps.db, rule, ruleWindow(rule, shop, now));
    await requestRunExecutions(deps.jobs, runIds);
    outcome.byRule[rule.id] = runIds.length;
    outcome.runs += runIds.length;
  }
  // After the churn rules compared against it: tonight's bands are the next comparison.
  if (rules.some((rule) => rule.trigger.type === "churn_risk_crossed")) await refreshChurnBands(deps.db, shopId);
  const stale = await stalePendingRuns(deps.db, shopId, new Date(now.getTime() - STALE_PENDING_MS));
  await requestRunExecutions(deps.jobs, stale);
  await markRulesEvaluated(
    deps.db,
    rules.map((rule) => rule.id),
    now,
  );
  deps.logger.info({ shopId, rules: rules.length, runs: outcome.runs }, "automations evaluated");
  return { ...outcome, rules: rules.length, requeued: stale.length };
}

const TRIGGERS_OF_KIND: Record<"order" | "survey", readonly TriggerType[]> = {
  order: ORDER_TRIGGERS,
  survey: SURVEY_TRIGGERS,
};

/**
 * The real-time path: the shop's rules for these event kinds, for one customer, with the new
 * runs' actions performed here (a transient failure hands the run to its own retrying job).
 */
export async function evaluateCustomerEvent(
  deps: LoyaltyDeps,
  input: { shopId: number; customerId: bigint; kinds: readonly ("order" | "survey")[] },
) {
  const shop = await findShopForAutomations(deps.db, input.shopId);
  if (!shop || shop.uninstalledAt) return { runs: 0 };
  const types = input.kinds.flatMap((kind) => TRIGGERS_OF_KIND[kind]);
  const rules = await enabledRules(deps.db, input.shopId, types);
  const now = deps.now?.() ?? new Date();
  // Side by side: the event's latency is its slowest rule, not the sum of them.
  const counts = await Promise.all(
    rules.map(async (rule) => {
      const runIds = await insertCustomerRuns(deps.db, rule, ruleWindow(rule, shop, now), input.customerId);
      for (const runId of runIds) {
        try {
          await executeRun(deps, runId);
        } catch {
          await requestRunExecutions(deps.jobs, [runId]);
        }
      }
      return runIds.length;
    }),
  );
  return { runs: counts.reduce((sum, n) => sum + n, 0) };
}
