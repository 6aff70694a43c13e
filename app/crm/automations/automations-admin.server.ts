// What the admin pages call: the list with run counts and recipes, one-click recipes, saving a
// rule (zod, field errors), switching it on or off, and the dry-run count.
import type { z } from "zod";

import type { LoyaltyDeps } from "../loyalty/loyalty-service-deps";
import { AutomationError } from "./automation-error";
import { automationRuleSchema, type AutomationRuleInput, type AutomationRuleRecord } from "./automation-rule";
import { RECIPES, recipeNamed } from "./automation-recipes";
import {
  createRule,
  findRecipeRule,
  findRule,
  listRules,
  setRuleEnabled,
  updateRule,
} from "./automation-rules.repository.server";
import {
  countCandidates,
  findShopForAutomations,
  lastRunErrors,
  refreshChurnBands,
  runCounts,
} from "./automation-runs.repository.server";
import { requestShopEvaluation } from "./automation-jobs.server";

const DAY_MS = 24 * 3600 * 1000;

export type FieldErrors = Record<string, string>;
export type SaveOutcome = { ok: true; ruleId: number } | { ok: false; errors: FieldErrors };

/** zod issues by dotted path ("trigger.n", "actions.0.percentage"), the first message each. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[issue.path.join(".") || "form"] ??= issue.message;
  return errors;
}

export async function loadAutomationsIndex(deps: LoyaltyDeps, shopId: number) {
  const [rules, counts] = await Promise.all([listRules(deps.db, shopId), runCounts(deps.db, shopId)]);
  const byRecipe = new Map(rules.filter((r) => r.recipe).map((r) => [r.recipe!, r]));
  return {
    rules: rules.map((rule) => ({
      id: rule.id,
      name: rule.name,
      recipe: rule.recipe,
      enabled: rule.enabled,
      trigger: rule.trigger.type,
      counts: counts.get(rule.id) ?? { pending: 0, waiting: 0, done: 0, failed: 0, stopped: 0 },
    })),
    recipes: RECIPES.map((recipe) => ({
      name: recipe.name,
      title: recipe.rule.name,
      description: recipe.description,
      ruleId: byRecipe.get(recipe.name)?.id ?? null,
      enabled: byRecipe.get(recipe.name)?.enabled ?? false,
    })),
  };
}

/** One click: the recipe's rule, created (or the existing one) and switched on. */
export async function turnOnRecipe(deps: LoyaltyDeps, shopId: number, name: string): Promise<AutomationRuleRecord> {
  const recipe = recipeNamed(name);
  if (!recipe) throw new AutomationError("unknown_rule", `No recipe ${name}`);
  const existing = await findRecipeRule(deps.db, shopId, recipe.name);
  const now = deps.now?.() ?? new Date();
  if (existing) {
    await switchRule(deps, shopId, existing.id, true);
    return (await findRule(deps.db, shopId, existing.id))!;
  }
  const rule = await createRule(deps.db, shopId, recipe.rule, { recipe: recipe.name, enabled: true, now });
  await afterSwitchedOn(deps, rule);
  return rule;
}

export async function switchRule(deps: LoyaltyDeps, shopId: number, ruleId: number, enabled: boolean) {
  const now = deps.now?.() ?? new Date();
  const rule = await findRule(deps.db, shopId, ruleId);
  if (!rule) throw new AutomationError("unknown_rule", `No automation ${ruleId}`);
  if ((await setRuleEnabled(deps.db, shopId, ruleId, enabled, now)) && enabled) await afterSwitchedOn(deps, rule);
}

async function afterSwitchedOn(deps: LoyaltyDeps, rule: AutomationRuleRecord) {
  // A churn rule compares against the bands as they are now, not as they were when last seen.
  if (rule.trigger.type === "churn_risk_crossed") await refreshChurnBands(deps.db, rule.shopId);
  // Today's events (a birthday, the segments' latest changes) need not wait for the night.
  await requestShopEvaluation(deps.jobs, rule.shopId, 5_000);
}

export function parseRuleInput(
  raw: unknown,
): { ok: true; rule: AutomationRuleInput } | { ok: false; errors: FieldErrors } {
  const parsed = automationRuleSchema.safeParse(raw);
  return parsed.success ? { ok: true, rule: parsed.data } : { ok: false, errors: fieldErrorsOf(parsed.error) };
}

/** Creates (ruleId null) or updates a rule from the editor's JSON. New rules start switched off. */
export async function saveRule(
  deps: LoyaltyDeps,
  shopId: number,
  ruleId: number | null,
  json: string,
): Promise<SaveOutcome> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, errors: { form: "The form could not be read; reload the page" } };
  }
  const parsed = parseRuleInput(raw);
  if (!parsed.ok) return parsed;
  if (ruleId === null) return { ok: true, ruleId: (await createRule(deps.db, shopId, parsed.rule)).id };
  await updateRule(deps.db, shopId, ruleId, parsed.rule);
  return { ok: true, ruleId };
}

/** How many customers the rule would reach today (events of the last 24 hours), before it is on. */
export async function dryRunCount(
  deps: LoyaltyDeps,
  shopId: number,
  rule: Pick<AutomationRuleInput, "trigger" | "conditions" | "capDays">,
  ruleId: number | null,
) {
  const shop = await findShopForAutomations(deps.db, shopId);
  if (!shop) return 0;
  const now = deps.now?.() ?? new Date();
  return countCandidates(
    deps.db,
    { ...rule, id: ruleId },
    {
      shopId,
      since: new Date(now.getTime() - DAY_MS),
      now,
      timeZone: shop.ianaTimezone,
    },
  );
}

export async function loadRuleDetail(deps: LoyaltyDeps, shopId: number, ruleId: number) {
  const rule = await findRule(deps.db, shopId, ruleId);
  if (!rule) return null;
  const [counts, errors, reach] = await Promise.all([
    runCounts(deps.db, shopId),
    lastRunErrors(deps.db, shopId, ruleId),
    dryRunCount(deps, shopId, rule, ruleId),
  ]);
  return {
    rule,
    counts: counts.get(ruleId) ?? { pending: 0, waiting: 0, done: 0, failed: 0, stopped: 0 },
    lastErrors: errors.map((e) => ({ ...e, id: e.id.toString(), customerId: e.customerId.toString() })),
    reachToday: reach,
  };
}
