// The builder's draft round-trips every field of CustomerFilter, and what it produces from bad
// input is refused by the schema with errors that land on the right condition's input.
import { describe, expect, it } from "vitest";

import { customerFilterSchema, type CustomerFilter } from "../customers/customer-filter";
import { draftOfFilter, errorsByDraftKey, filterOfDraft, newCondition, newGroup, RULE_FIELDS } from "./rule-draft";
import { fieldErrorsOf, segmentHandleBase, uniqueHandle } from "./segment-form";

const options = { currencyCode: "EUR", tiers: [{ id: 3, name: "Gold" }], clusters: [{ id: 1, name: "Big spenders" }] };

const everyField: CustomerFilter = {
  combinator: "and",
  conditions: [
    { field: "search", op: "contains", value: "ada" },
    { field: "rfmSegment", op: "in", values: ["Champions", "At risk"] },
    { field: "cluster", op: "in", values: [1] },
    { field: "lifecycleStage", op: "in", values: ["at_risk"] },
    { field: "churnRisk", op: "in", values: ["high", "unknown"] },
    { field: "tier", op: "in", values: [3, "none"] },
    { field: "points", op: "between", min: 10, max: 500 },
    { field: "ordersCount", op: "gte", value: 2 },
    { field: "netSpent", op: "lte", value: "12345" },
    {
      combinator: "or",
      conditions: [
        { field: "predictedClv", op: "between", min: "0", max: "99900" },
        { field: "lastOrderAt", op: "withinDays", days: 90 },
        { field: "lastOrderAt", op: "between", from: "2026-01-01", to: "2026-03-31" },
        { field: "lastOrderAt", op: "never" },
        { field: "tags", op: "hasNone", values: ["wholesale", "staff"] },
        { field: "country", op: "in", values: ["FR", "DE"] },
        { field: "emailConsent", op: "in", values: ["SUBSCRIBED"] },
        { field: "smsConsent", op: "in", values: ["NOT_SUBSCRIBED"] },
      ],
    },
  ],
};

describe("rule draft", () => {
  it("round-trips a filter using every field", () => {
    const draft = draftOfFilter(everyField, options);
    const back = customerFilterSchema.parse(filterOfDraft(draft, options));
    expect(back).toEqual(everyField);
    const fields = new Set(JSON.stringify(everyField).match(/"field":"(\w+)"/g));
    expect(fields.size).toBe(Object.keys(RULE_FIELDS).length);
  });

  it("shows amounts in the shop currency and refuses unreadable ones on their own input", () => {
    const condition = { ...newCondition("netSpent"), value: "12.345" };
    const draft = newGroup("and", [newCondition("ordersCount"), condition]);
    const parsed = customerFilterSchema.safeParse(filterOfDraft(draft, options));
    expect(parsed.success).toBe(false);
    const errors = errorsByDraftKey(draft, fieldErrorsOf(parsed.error!, "rule"), "EUR");
    expect(errors[condition.key]).toEqual({ value: "Enter an amount in EUR, like 25.00" });
    expect(errors[draft.children[0]!.key]).toEqual({ value: "Enter a whole number" });
    expect(draftOfFilter(everyField, options).children[8]).toMatchObject({ field: "netSpent", value: "123.45" });
  });

  it("makes handles from names, unique within the shop", () => {
    expect(segmentHandleBase("  VIP — Élite buyers!! ")).toBe("kinship-vip-elite-buyers");
    expect(segmentHandleBase("💎")).toBe("kinship-segment");
    expect(uniqueHandle("kinship-vip", new Set(["kinship-vip", "kinship-vip-2"]))).toBe("kinship-vip-3");
  });
});
