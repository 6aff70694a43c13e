// The admin pages' loaders and actions: shop by session domain, zod on every form, then the
// domain (automations-admin.server.ts). Routes stay thin.
import { z } from "zod";

import type { LoyaltyDeps } from "../loyalty/loyalty-service-deps";
import { ruleOptionsOf } from "../segments/segment-options.repository.server";
import { findShopByDomain } from "../shop/shop.repository.server";
import { AutomationError } from "./automation-error";
import { RECIPE_NAMES } from "./automation-recipes";
import { deleteRule, findRule, segmentChoices } from "./automation-rules.repository.server";
import {
  dryRunCount,
  loadAutomationsIndex,
  loadRuleDetail,
  parseRuleInput,
  saveRule,
  switchRule,
  turnOnRecipe,
  type FieldErrors,
} from "./automations-admin.server";

async function shopOf(deps: LoyaltyDeps, shopDomain: string) {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) throw new Response("Shop not found", { status: 404 });
  return shop;
}

export async function automationsIndexPage(deps: LoyaltyDeps, shopDomain: string) {
  const shop = await shopOf(deps, shopDomain);
  return { timeZone: shop.ianaTimezone, ...(await loadAutomationsIndex(deps, shop.id)) };
}

const indexForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("recipe"), recipe: z.enum(RECIPE_NAMES) }),
  z.object({
    intent: z.literal("switch"),
    ruleId: z.coerce.number().int().positive(),
    enabled: z.enum(["true", "false"]),
  }),
]);

export type PageActionOutcome = { ok: true; message: string } | { ok: false; errors: FieldErrors };

export async function automationsIndexAction(
  deps: LoyaltyDeps,
  shopDomain: string,
  form: Record<string, unknown>,
): Promise<PageActionOutcome> {
  const shop = await shopOf(deps, shopDomain);
  const parsed = indexForm.safeParse(form);
  if (!parsed.success) return { ok: false, errors: { form: "Unknown action" } };
  try {
    if (parsed.data.intent === "recipe") {
      const rule = await turnOnRecipe(deps, shop.id, parsed.data.recipe);
      return { ok: true, message: `${rule.name} is on` };
    }
    await switchRule(deps, shop.id, parsed.data.ruleId, parsed.data.enabled === "true");
    return { ok: true, message: parsed.data.enabled === "true" ? "Automation on" : "Automation off" };
  } catch (error) {
    if (error instanceof AutomationError) return { ok: false, errors: { form: error.message } };
    throw error;
  }
}

const idParam = z.union([z.literal("new"), z.coerce.number().int().positive().max(2_147_483_647)]);

export async function automationEditPage(deps: LoyaltyDeps, shopDomain: string, id: string | undefined) {
  const shop = await shopOf(deps, shopDomain);
  const ruleId = idParam.safeParse(id);
  if (!ruleId.success) throw new Response("Not found", { status: 404 });
  const [options, segments] = await Promise.all([
    ruleOptionsOf(deps.db, shop.id, shop.currencyCode),
    segmentChoices(deps.db, shop.id),
  ]);
  const base = { options, segments, timeZone: shop.ianaTimezone };
  if (ruleId.data === "new") return { ...base, rule: null, detail: null };
  const detail = await loadRuleDetail(deps, shop.id, ruleId.data);
  if (!detail) throw new Response("Not found", { status: 404 });
  const { rule, ...rest } = detail;
  return {
    ...base,
    rule: { id: rule.id, enabled: rule.enabled, recipe: rule.recipe, input: rule },
    detail: { ...rest, lastErrors: rest.lastErrors.map((e) => ({ ...e, updatedAt: e.updatedAt.toISOString() })) },
  };
}

const editForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), rule: z.string().max(200_000) }),
  z.object({ intent: z.literal("dry-run"), rule: z.string().max(200_000) }),
  z.object({ intent: z.literal("switch"), enabled: z.enum(["true", "false"]) }),
  z.object({ intent: z.literal("delete") }),
]);

export type EditActionOutcome =
  | { ok: true; intent: "save"; ruleId: number; created: boolean }
  | { ok: true; intent: "dry-run"; reachToday: number }
  | { ok: true; intent: "switch" | "delete" }
  | { ok: false; errors: FieldErrors };

export async function automationEditAction(
  deps: LoyaltyDeps,
  shopDomain: string,
  id: string | undefined,
  form: Record<string, unknown>,
): Promise<EditActionOutcome> {
  const shop = await shopOf(deps, shopDomain);
  const ruleId = idParam.safeParse(id);
  const parsed = editForm.safeParse(form);
  if (!ruleId.success || !parsed.success) return { ok: false, errors: { form: "Unknown action" } };
  const existing = ruleId.data === "new" ? null : ruleId.data;
  if (existing !== null && !(await findRule(deps.db, shop.id, existing)))
    throw new Response("Not found", { status: 404 });
  switch (parsed.data.intent) {
    case "save": {
      const outcome = await saveRule(deps, shop.id, existing, parsed.data.rule);
      return outcome.ok ? { ok: true, intent: "save", ruleId: outcome.ruleId, created: existing === null } : outcome;
    }
    case "dry-run": {
      let raw: unknown;
      try {
        raw = JSON.parse(parsed.data.rule);
      } catch {
        return { ok: false, errors: { form: "The form could not be read; reload the page" } };
      }
      const rule = parseRuleInput(raw);
      if (!rule.ok) return rule;
      return { ok: true, intent: "dry-run", reachToday: await dryRunCount(deps, shop.id, rule.rule, existing) };
    }
    case "switch":
      if (existing === null) return { ok: false, errors: { form: "Save the automation first" } };
      await switchRule(deps, shop.id, existing, parsed.data.enabled === "true");
      return { ok: true, intent: "switch" };
    case "delete":
      if (existing !== null) await deleteRule(deps.db, shop.id, existing);
      return { ok: true, intent: "delete" };
  }
}
