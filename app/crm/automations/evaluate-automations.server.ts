// Evaluates rules: nightly for the whole shop (one set-based INSERT … SELECT per rule, after
// the analytics run and the segments recompute), and in real time for one customer after an
// order is applied or a survey answered. Either way a run is recorded once per rule, event and
// customer; its actions run in the run's own job (or inline on the real-time path).
import type { LoyaltyDeps } from "../loyalty/loyalty-service-deps";
import { inShopTransaction } from "../tenancy/shop-transaction.server";
import { LOOKBACK_DAYS, type EventWindow } from "./automation-events-sql";
import { requestRunExecutions } from "./automation-jobs.server";
import { TRIGGERS_OF_EVENT, type AutomationRuleRecord, type CustomerEventKind } from "./automation-rule";
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

interface CustomerEvent {
  shopId: number;
  customerId: bigint;
  kinds: readonly CustomerEventKind[];
}

/**
 * The real-time path: the shop's rules for these event kinds, for one customer, with the new
 * runs' actions performed here (a transient failure hands the run to its own retrying job).
 * `deps.db` is the shop's scoped client: the reads and the run inserts are one transaction in
 * its scope, and the actions (Shopify calls) run after it has committed.
 */
export async function evaluateCustomerEvent(deps: LoyaltyDeps, input: CustomerEvent) {
  const runIdsByRule = await inShopTransaction(deps, (tx) => insertCustomerEventRuns(tx, input));
  // Side by side: the event's latency is its slowest rule, not the sum of them.
  await Promise.all(
    runIdsByRule.map(async (runIds) => {
      for (const runId of runIds) {
        try {
          await executeRun(deps, runId);
        } catch {
          await requestRunExecutions(deps.jobs, [runId]);
        }
      }
    }),
  );
  return { runs: runIdsByRule.reduce((sum, runIds) => sum + runIds.length, 0) };
}

/** The new runs of the event, per rule. */
async function insertCustomerEventRuns(deps: LoyaltyDeps, input: CustomerEvent): Promise<bigint[][]> {
  const shop = await findShopForAutomations(deps.db, input.shopId);
  if (!shop || shop.uninstalledAt) return [];
  const types = input.kinds.flatMap((kind) => TRIGGERS_OF_EVENT[kind]);
  const rules = await enabledRules(deps.db, input.shopId, types);
  const now = deps.now?.() ?? new Date();
  // One rule after another: the transaction is one connection, and a capped rule's insert is a
  // savepoint of it. In rule id order, so two events of one customer take the locks in one order.
  const runIdsByRule: bigint[][] = [];
  for (const rule of rules) {
    runIdsByRule.push(await insertCustomerRuns(deps.db, rule, ruleWindow(rule, shop, now), input.customerId));
  }
  return runIdsByRule;
}
