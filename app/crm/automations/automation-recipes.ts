// Ready-made rules a merchant turns on in one click. Each is an ordinary rule (the merchant can
// edit it afterwards); the recipe name is kept on the row so the list knows it is on.
import { EMPTY_CUSTOMER_FILTER } from "../customers/customer-filter";
import { automationRuleSchema, type AutomationRuleInput } from "./automation-rule";

export const RECIPE_NAMES = [
  "win_back",
  "vip_welcome",
  "birthday_reward",
  "points_expiry_reminder",
  "second_order_thanks",
  "detractor_recovery",
] as const;
export type RecipeName = (typeof RECIPE_NAMES)[number];

export interface Recipe {
  name: RecipeName;
  description: string;
  rule: AutomationRuleInput;
}

const define = (name: RecipeName, description: string, rule: unknown): Recipe => ({
  name,
  description,
  // Parsed here so a recipe can never hold what the editor would refuse.
  rule: automationRuleSchema.parse(rule),
});

export const RECIPES: readonly Recipe[] = [
  define("win_back", "A customer becomes at risk: a 15% code for them, and a Flow trigger to e-mail it.", {
    name: "Win-back for at-risk customers",
    trigger: { type: "lifecycle_changed", toStage: "at_risk" },
    conditions: EMPTY_CUSTOMER_FILTER,
    actions: [
      { type: "reward", title: "We miss you: 15% off", kind: "percentage", percentage: 15 },
      { type: "tag", op: "add", tag: "kinship-win-back" },
      { type: "flow" },
    ],
    capDays: 30,
  }),
  define("vip_welcome", "A member moves up a tier: a VIP tag and a Flow trigger for the welcome message.", {
    name: "VIP welcome on tier upgrade",
    trigger: { type: "tier_changed", direction: "upgrade" },
    conditions: EMPTY_CUSTOMER_FILTER,
    actions: [{ type: "tag", op: "add", tag: "kinship-vip" }, { type: "flow" }],
    capDays: null,
  }),
  define("birthday_reward", "On a member's birthday (in the shop's time zone): free shipping, once a year.", {
    name: "Birthday reward",
    trigger: { type: "birthday" },
    conditions: EMPTY_CUSTOMER_FILTER,
    actions: [{ type: "reward", title: "Happy birthday: free shipping", kind: "free_shipping" }, { type: "flow" }],
    capDays: 300,
  }),
  define("points_expiry_reminder", "Points are about to expire: a Flow trigger to remind the member.", {
    name: "Points-expiry reminder",
    trigger: { type: "points_expiring" },
    conditions: EMPTY_CUSTOMER_FILTER,
    actions: [{ type: "flow" }],
    capDays: 7,
  }),
  define("second_order_thanks", "Right after a second order: 100 bonus points and a thank-you Flow trigger.", {
    name: "Thank-you after the second order",
    trigger: { type: "nth_order", n: 2 },
    conditions: EMPTY_CUSTOMER_FILTER,
    actions: [{ type: "points", points: 100, reason: "Thank you for your second order" }, { type: "flow" }],
    capDays: null,
  }),
  define(
    "detractor_recovery",
    "An NPS answer of 0 to 6: a recovery code and a Flow trigger for a personal follow-up.",
    {
      name: "Detractor recovery",
      trigger: { type: "survey_answered", survey: "nps", minScore: 0, maxScore: 6 },
      conditions: EMPTY_CUSTOMER_FILTER,
      actions: [
        { type: "reward", title: "Sorry we let you down: 10% off", kind: "percentage", percentage: 10 },
        { type: "tag", op: "add", tag: "kinship-detractor" },
        { type: "flow" },
      ],
      capDays: 90,
    },
  ),
];

export function recipeNamed(name: string): Recipe | undefined {
  return RECIPES.find((recipe) => recipe.name === name);
}
