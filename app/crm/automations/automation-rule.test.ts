// The rule's zod shapes (field errors by path), the recipes, the Flow trigger payloads against
// the extensions' tomls, and the birthday source in the shop's zone.
import { readFileSync } from "node:fs";

import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";

import { EMPTY_CUSTOMER_FILTER } from "../customers/customer-filter";
import { eventSourceSql } from "./automation-events-sql";
import {
  AUTOMATION_FLOW_FAMILIES,
  automationFlowHandle,
  automationFlowTrigger,
  flowFamilyOf,
} from "./automation-flow-triggers";
import { RECIPES, RECIPE_NAMES } from "./automation-recipes";
import { TRIGGER_TYPES } from "./automation-rule";
import { parseRuleInput } from "./automations-admin.server";

const valid = {
  name: "Win-back",
  trigger: { type: "nth_order", n: 2 },
  conditions: EMPTY_CUSTOMER_FILTER,
  actions: [{ type: "flow" }],
  capDays: 30,
};

describe("rule input", () => {
  it("accepts a valid rule", () => {
    expect(parseRuleInput(valid)).toMatchObject({ ok: true, rule: { name: "Win-back", capDays: 30 } });
  });

  it("reports errors by field path", () => {
    const outcome = parseRuleInput({
      ...valid,
      name: " ",
      trigger: { type: "nth_order", n: 1 },
      actions: [
        { type: "reward", title: "Gift", kind: "percentage" },
        { type: "wait", days: 0 },
      ],
      capDays: -1,
    });
    expect(outcome.ok).toBe(false);
    const errors = outcome.ok ? {} : outcome.errors;
    expect(Object.keys(errors).sort()).toEqual([
      "actions",
      "actions.0.percentage",
      "actions.1.days",
      "capDays",
      "name",
      "trigger.n",
    ]);
    expect(errors.actions).toBe("A wait must be followed by an action");
    expect(errors.name).toBe("Give the rule a name");
    expect(errors["actions.0.percentage"]).toBe("A percentage reward needs a percentage");
  });

  it("refuses a rule ending on a wait, a reversed score range and an empty action list", () => {
    const waitLast = parseRuleInput({ ...valid, actions: [{ type: "flow" }, { type: "wait", days: 2 }] });
    const reversed = parseRuleInput({
      ...valid,
      trigger: { type: "survey_answered", survey: "nps", minScore: 8, maxScore: 3 },
    });
    const none = parseRuleInput({ ...valid, actions: [] });
    expect([waitLast, reversed, none].map((o) => (o.ok ? null : Object.keys(o.errors)))).toEqual([
      ["actions"],
      ["trigger.maxScore"],
      ["actions"],
    ]);
  });

  it("keeps the app's own metafield namespace out of reach", () => {
    const outcome = parseRuleInput({
      ...valid,
      actions: [{ type: "metafield", namespace: "kinship", key: "points", valueType: "number_integer", value: "1" }],
    });
    expect(outcome.ok ? null : outcome.errors["actions.0.namespace"]).toBe("The kinship namespace belongs to the app");
  });
});

describe("recipes", () => {
  it("has the six one-click recipes, each a valid rule", () => {
    expect(RECIPES.map((r) => r.name)).toEqual([...RECIPE_NAMES]);
    for (const recipe of RECIPES) expect(parseRuleInput(recipe.rule).ok).toBe(true);
  });
});

describe("Flow triggers", () => {
  it("sends exactly the fields each family's extension declares", () => {
    for (const family of AUTOMATION_FLOW_FAMILIES) {
      const toml = parse(
        readFileSync(`extensions/automation-${family}-flow-trigger/shopify.extension.toml`, "utf8"),
      ) as { extensions: { handle: string; type: string }[]; settings: { fields: { type: string; key?: string }[] } };
      expect(toml.extensions[0]).toMatchObject({ handle: automationFlowHandle(family), type: "flow_trigger" });
      const trigger = TRIGGER_TYPES.find((type) => flowFamilyOf(type) === family)!;
      const sent = automationFlowTrigger({ trigger, customerShopifyId: 42n, ruleName: "R", ruleId: 7 });
      const declared = toml.settings.fields.map((f) => (f.type === "customer_reference" ? "customer_id" : f.key));
      expect(Object.keys(sent.payload).sort()).toEqual([...declared].sort());
    }
  });

  it("gives every trigger type a family", () => {
    expect(TRIGGER_TYPES.map(flowFamilyOf).every((f) => AUTOMATION_FLOW_FAMILIES.includes(f))).toBe(true);
  });
});

describe("birthday source", () => {
  const window = (iso: string, timeZone: string) => ({ shopId: 1, since: new Date(iso), now: new Date(iso), timeZone });

  it("uses the shop's calendar day", () => {
    // 23:30 UTC on 31 December is already 1 January in Auckland
    const sql = eventSourceSql({ type: "birthday" }, window("2026-12-31T23:30:00Z", "Pacific/Auckland"));
    expect(sql.values).toEqual(["birthday:2027", 1, 1, 1]);
  });

  it("celebrates 29 February on 28 February outside leap years", () => {
    const sql = eventSourceSql({ type: "birthday" }, window("2027-02-28T12:00:00Z", "UTC"));
    expect(sql.values).toEqual(["birthday:2027", 1, 2, 28, 29]);
  });
});
