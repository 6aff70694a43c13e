// automation_rules: the shop's rules, parsed with the rule schema on the way out.
import type { Prisma } from "@prisma/client";

import type { PrismaClient } from "../../db.server";
import { AutomationError } from "./automation-error";
import {
  actionSchema,
  triggerSchema,
  type AutomationRuleInput,
  type AutomationRuleRecord,
  type TriggerType,
} from "./automation-rule";
import { customerFilterSchema } from "../customers/customer-filter";

type RuleRow = Awaited<ReturnType<PrismaClient["automationRule"]["findFirstOrThrow"]>>;

function toRecord(row: RuleRow): AutomationRuleRecord {
  const trigger = triggerSchema.safeParse(row.trigger);
  const conditions = customerFilterSchema.safeParse(row.conditions);
  const actions = actionSchema.array().safeParse(row.actions);
  if (!trigger.success || !conditions.success || !actions.success)
    throw new AutomationError("invalid_rule", `Automation ${row.id} no longer parses`);
  return {
    id: row.id,
    shopId: row.shopId,
    name: row.name,
    recipe: row.recipe,
    enabled: row.enabled,
    enabledAt: row.enabledAt,
    capDays: row.capDays,
    trigger: trigger.data,
    conditions: conditions.data,
    actions: actions.data,
  };
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

export async function listRules(db: PrismaClient, shopId: number): Promise<AutomationRuleRecord[]> {
  const rows = await db.automationRule.findMany({ where: { shopId }, orderBy: { id: "asc" } });
  return rows.map(toRecord);
}

export async function findRule(db: PrismaClient, shopId: number, ruleId: number) {
  const row = await db.automationRule.findFirst({ where: { shopId, id: ruleId } });
  return row ? toRecord(row) : null;
}

/** The shop's switched-on rules, optionally of some trigger types only. */
export async function enabledRules(db: PrismaClient, shopId: number, types?: readonly TriggerType[]) {
  const rows = await db.automationRule.findMany({ where: { shopId, enabled: true }, orderBy: { id: "asc" } });
  return rows.map(toRecord).filter((rule) => !types || types.includes(rule.trigger.type));
}

export async function createRule(
  db: PrismaClient,
  shopId: number,
  input: AutomationRuleInput,
  options: { recipe?: string; enabled?: boolean; now?: Date } = {},
) {
  const row = await db.automationRule.create({
    data: {
      shopId,
      name: input.name,
      recipe: options.recipe ?? null,
      trigger: json(input.trigger),
      conditions: json(input.conditions),
      actions: json(input.actions),
      capDays: input.capDays,
      enabled: options.enabled ?? false,
      enabledAt: options.enabled ? (options.now ?? new Date()) : null,
    },
  });
  return toRecord(row);
}

export async function updateRule(db: PrismaClient, shopId: number, ruleId: number, input: AutomationRuleInput) {
  const updated = await db.automationRule.updateMany({
    where: { shopId, id: ruleId },
    data: {
      name: input.name,
      trigger: json(input.trigger),
      conditions: json(input.conditions),
      actions: json(input.actions),
      capDays: input.capDays,
    },
  });
  if (updated.count === 0) throw new AutomationError("unknown_rule", `No automation ${ruleId}`);
}

/** Switching on stamps enabled_at: events before it never fire the rule. */
export async function setRuleEnabled(db: PrismaClient, shopId: number, ruleId: number, enabled: boolean, now: Date) {
  const updated = await db.automationRule.updateMany({
    where: { shopId, id: ruleId, enabled: !enabled },
    data: { enabled, ...(enabled ? { enabledAt: now } : {}) },
  });
  return updated.count > 0;
}

export async function deleteRule(db: PrismaClient, shopId: number, ruleId: number) {
  await db.automationRule.deleteMany({ where: { shopId, id: ruleId } });
}

export async function findRecipeRule(db: PrismaClient, shopId: number, recipe: string) {
  const row = await db.automationRule.findFirst({ where: { shopId, recipe } });
  return row ? toRecord(row) : null;
}

export async function markRulesEvaluated(db: PrismaClient, ruleIds: number[], at: Date) {
  if (ruleIds.length > 0)
    await db.automationRule.updateMany({ where: { id: { in: ruleIds } }, data: { lastEvaluatedAt: at } });
}

/** The shop's live segments, for the "entered / left a segment" trigger. */
export function segmentChoices(db: PrismaClient, shopId: number) {
  return db.segment.findMany({
    where: { shopId, deletedAt: null },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
    take: 500,
  });
}
