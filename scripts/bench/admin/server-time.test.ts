import { describe, expect, it } from "vitest";

import { customerFilterSchema } from "../../../app/crm/customers/customer-filter";
import { ISSUE_FILTER_FIELDS, LIST_SORTS, listFilterCases } from "./list-cases";
import { percentileOf, summarise, timeCalls, timingTable } from "./server-time";

describe("server time figures", () => {
  it("takes nearest-rank percentiles of the samples", () => {
    // Given 1..100 ms shuffled
    const samples = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
    // When summarised
    const timing = summarise("case", 200, samples);
    // Then p50 is the 50th value, p95 the 95th, max the largest
    expect(timing).toMatchObject({ samples: 100, p50: 50, p95: 95, max: 100 });
    expect(percentileOf([7], 95)).toBe(7);
    expect(percentileOf([], 50)).toBeNaN();
  });

  it("times only the calls after the warm-up", async () => {
    const calls: number[] = [];
    const durations = await timeCalls(async (i) => void calls.push(i), { warmUp: 2, samples: 5 });
    expect(calls).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(durations).toHaveLength(5);
  });

  it("stops a slow case at its time budget once it has the minimum of samples", async () => {
    const slow = () => new Promise((resolve) => setTimeout(resolve, 20));
    const durations = await timeCalls(slow, { warmUp: 0, samples: 30, budgetMs: 50, minSamples: 4 });
    expect(durations).toHaveLength(4);
  });

  it("marks a p95 at or over the target as MISS", () => {
    const table = timingTable([summarise("fast", 100, [10, 20, 30]), summarise("slow", 100, [90, 100, 110])]);
    expect(table).toMatch(/^fast .* PASS$/m);
    expect(table).toMatch(/^slow .* MISS$/m);
  });
});

describe("Customers list cases", () => {
  it("has one valid single-filter case for every filter of the issue, and every sort", () => {
    const cases = listFilterCases({ goldTierId: 3, knownEmail: "customer1@example.com" });
    for (const { filter } of cases) expect(customerFilterSchema.safeParse(filter).success).toBe(true);
    const fields = new Set(
      cases.flatMap(({ filter }) =>
        filter.conditions.map((condition) => ("field" in condition ? condition.field : "")),
      ),
    );
    for (const field of ISSUE_FILTER_FIELDS) expect(fields, field).toContain(field);
    expect(cases.every(({ filter }) => filter.conditions.length <= 1)).toBe(true);
    expect(new Set(LIST_SORTS)).toEqual(
      new Set([
        "predictedClv:desc",
        "predictedClv:asc",
        "netSpent:desc",
        "netSpent:asc",
        "lastOrderAt:desc",
        "lastOrderAt:asc",
      ]),
    );
  });
});
