// Actions against real PostgreSQL, Redis and the Shopify double: points both ways (ledger keys
// per run step), tag add and remove, a customer metafield, a refused reward, waiting then
// re-checking the conditions, and the run log's counts and last errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openAutomationsStore, type AutomationsTestStore } from "../../../test/helpers/automations-test-store";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { customerMetafieldsOf, refuseDiscountCodes } from "../../../test/shopify-double/discounts";
import { createJobQueues } from "../../jobs/job-queues.server";
import type { CustomerFilter } from "../customers/customer-filter";
import { EMPTY_CUSTOMER_FILTER } from "../customers/customer-filter";
import type { AutomationAction } from "./automation-rule";
import { createRule } from "./automation-rules.repository.server";
import { loadAutomationsIndex, loadRuleDetail } from "./automations-admin.server";
import { evaluateShop } from "./evaluate-automations.server";
import { executeRun } from "./execute-run.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
let t: AutomationsTestStore;

beforeAll(async () => {
  t = await openAutomationsStore({ db, jobs, names: ["Ada", "Grace", "Linus", "Barbara", "Edsger", "Frances"] });
});

afterAll(async () => {
  await db.shop.delete({ where: { id: t.shop.id } });
  await t.double.close();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

let stageCounter = 0;
/** A rule on its own event (a transition to a stage no other test uses), its one run for `name`. */
async function runFor(name: string, actions: AutomationAction[], conditions: CustomerFilter = EMPTY_CUSTOMER_FILTER) {
  const fromStage = (["new", "growing", "loyal", "churned", "at_risk"] as const)[stageCounter++ % 5]!;
  const rule = await createRule(
    db,
    t.shop.id,
    {
      name: `Actions ${stageCounter}`,
      trigger: { type: "lifecycle_changed", toStage: "new", fromStage },
      conditions,
      actions,
      capDays: null,
    },
    { enabled: true, now: new Date(Date.now() - 1000) },
  );
  await db.lifecycleTransition.create({
    data: { shopId: t.shop.id, customerId: t.customers[name]!.id, fromStage, toStage: "new", at: new Date() },
  });
  await evaluateShop(t.deps, t.shop.id);
  // The rule's run for this customer (an earlier test's transition may fall in the rule's window too).
  const run = await db.automationRun.findFirstOrThrow({
    where: { ruleId: rule.id, customerId: t.customers[name]!.id },
  });
  return { rule, runId: run.id };
}

const liveCustomer = (name: string) => t.double.store(t.shop.domain).customers.find((c) => c.firstName === name)!;
const balanceOf = async (name: string) =>
  (await db.loyaltyMember.findUniqueOrThrow({ where: { id: t.customers[name]!.memberId } })).pointsBalance;

describe("actions", () => {
  it("adds and removes points under one ledger key per step, and refuses to overdraw", async () => {
    // Given a rule adding 50 then removing 20 points, and one removing 1,000 from Grace's 30
    const { runId } = await runFor("Ada", [
      { type: "points", points: 50, reason: "Welcome back" },
      { type: "points", points: -20, reason: "Correction" },
    ]);
    // When it runs, then a retried (duplicate) job runs it again
    expect(await executeRun(t.deps, runId)).toBe("done");
    await db.automationRun.update({ where: { id: runId }, data: { status: "pending", nextStep: 0 } });
    expect(await executeRun(t.deps, runId)).toBe("done");
    // Then Ada holds 30 points, booked once each
    expect(await balanceOf("Ada")).toBe(30);
    const keys = await db.loyaltyLedgerEntry.findMany({
      where: { memberId: t.customers.Ada!.memberId },
      select: { idempotencyKey: true },
    });
    expect(keys.map((k) => k.idempotencyKey).sort()).toEqual([`automation:${runId}:0`, `automation:${runId}:1`]);

    // And a removal past the balance fails the run for good, with the reason in the run log
    const overdraw = await runFor("Grace", [{ type: "points", points: -1000, reason: "Too much" }]);
    expect(await executeRun(t.deps, overdraw.runId)).toBe("failed");
    const detail = await loadRuleDetail(t.deps, t.shop.id, overdraw.rule.id);
    expect(detail?.counts).toMatchObject({ failed: 1, done: 0 });
    expect(detail?.lastErrors[0]?.error).toMatch(/Step 1 \(points\).*exceeds the balance/);
  });

  it("adds and removes a customer tag and writes a customer metafield", async () => {
    // Given Linus tagged "old-tag" in Shopify
    liveCustomer("Linus").tags.push("old-tag");
    const { runId } = await runFor("Linus", [
      { type: "tag", op: "add", tag: "kinship-new-tag" },
      { type: "tag", op: "remove", tag: "old-tag" },
      { type: "metafield", namespace: "custom", key: "win_back", valueType: "single_line_text_field", value: "sent" },
    ]);
    // When the run executes
    expect(await executeRun(t.deps, runId)).toBe("done");
    // Then the tags and the metafield are in Shopify
    expect(liveCustomer("Linus").tags).toEqual(["kinship-new-tag"]);
    const gid = `gid://shopify/Customer/${t.customers.Linus!.shopifyId}`;
    expect(customerMetafieldsOf(t.shop.domain).get(`${gid}|custom.win_back`)).toBe("sent");
  });

  it("fails a run whose reward Shopify refuses, without a second code on retry", async () => {
    // Given Shopify refusing the next discount code
    refuseDiscountCodes(t.shop.domain, 1);
    const { runId } = await runFor("Barbara", [
      {
        type: "reward",
        title: "10 off",
        kind: "fixed_amount",
        amountMinor: "1000",
        percentage: null,
        minimumSubtotalMinor: null,
      },
    ]);
    // When the run executes, and once more
    expect(await executeRun(t.deps, runId)).toBe("failed");
    expect(await executeRun(t.deps, runId)).toBe("skipped");
    // Then the one redemption is failed and no points moved
    const redemptions = await db.loyaltyRedemption.findMany({ where: { memberId: t.customers.Barbara!.memberId } });
    expect(redemptions.map((r) => r.status)).toEqual(["failed"]);
    expect(await balanceOf("Barbara")).toBe(0);
  });

  it("waits, then goes on only if the customer still matches the conditions", async () => {
    // Given a rule for VIP customers: wait 3 days, then tag; Edsger and Ada both VIP at first
    const vip: CustomerFilter = { combinator: "and", conditions: [{ field: "tags", op: "hasAny", values: ["VIP"] }] };
    await db.customer.updateMany({
      where: { id: { in: [t.customers.Edsger!.id, t.customers.Ada!.id] } },
      data: { tags: ["VIP"] },
    });
    const edsger = await runFor(
      "Edsger",
      [
        { type: "wait", days: 3 },
        { type: "tag", op: "add", tag: "kinship-after-wait" },
      ],
      vip,
    );
    const ada = await runFor(
      "Ada",
      [
        { type: "wait", days: 3 },
        { type: "tag", op: "add", tag: "kinship-after-wait" },
      ],
      vip,
    );

    // When both runs start (and park), Ada stops being VIP, and both resume jobs run
    expect(await executeRun(t.deps, edsger.runId)).toBe("waiting");
    expect(await executeRun(t.deps, ada.runId)).toBe("waiting");
    const resume = (await queues.jobs("automations")).filter((j) => j.name === "resume-run");
    expect(resume.map((j) => [j.opts.delay, j.data.step])).toEqual([
      [3 * 24 * 3600 * 1000, 0],
      [3 * 24 * 3600 * 1000, 0],
    ]);
    await db.customer.update({ where: { id: t.customers.Ada!.id }, data: { tags: [] } });
    expect(await executeRun(t.deps, edsger.runId, { resumeStep: 0 })).toBe("done");
    expect(await executeRun(t.deps, ada.runId, { resumeStep: 0 })).toBe("stopped");
    expect(await executeRun(t.deps, edsger.runId, { resumeStep: 0 })).toBe("skipped");

    // Then only Edsger got the tag, and the list's run log counts both outcomes
    expect(liveCustomer("Edsger").tags).toContain("kinship-after-wait");
    expect(liveCustomer("Ada").tags).not.toContain("kinship-after-wait");
    const index = await loadAutomationsIndex(t.deps, t.shop.id);
    expect(index.rules.find((r) => r.id === edsger.rule.id)?.counts).toMatchObject({ done: 1 });
    expect(index.rules.find((r) => r.id === ada.rule.id)?.counts).toMatchObject({ stopped: 1 });
  });

  it("enrols a customer who is not a loyalty member before issuing a reward", async () => {
    // Given Frances outside the loyalty program
    await db.loyaltyMember.delete({ where: { id: t.customers.Frances!.memberId } });
    const { runId } = await runFor("Frances", [
      {
        type: "reward",
        title: "Welcome back: 5 off",
        kind: "fixed_amount",
        amountMinor: "500",
        percentage: null,
        minimumSubtotalMinor: null,
      },
    ]);
    // When the run executes, and once more
    expect(await executeRun(t.deps, runId)).toBe("done");
    expect(await executeRun(t.deps, runId)).toBe("skipped");
    // Then Frances is a member again with one issued code
    const member = await db.loyaltyMember.findUniqueOrThrow({ where: { customerId: t.customers.Frances!.id } });
    const redemptions = await db.loyaltyRedemption.findMany({ where: { memberId: member.id } });
    expect(redemptions.map((r) => [r.status, r.shopifyDiscountId !== null])).toEqual([["issued", true]]);
  });
});
