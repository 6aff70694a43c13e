// Every trigger against real PostgreSQL: one rule per event type, each event written the way its
// source writes it (segment changes, lifecycle transitions, churn bands across runs, a real tier
// change, birthdays in the shop's zone, loyalty events, orders, survey answers, dormancy), and
// each rule's Flow trigger accepted by the double (which checks it against the extension's toml).
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  openAutomationsStore,
  runAutomationJobs,
  writeScore,
  type AutomationsTestStore,
} from "../../../test/helpers/automations-test-store";
import { createTier } from "../../../test/helpers/loyalty-test-setup";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { flowTriggersOf } from "../../../test/shopify-double/flow-triggers";
import { createJobQueues } from "../../jobs/job-queues.server";
import { shopDay } from "../analytics/shop-day";
import { EMPTY_CUSTOMER_FILTER } from "../customers/customer-filter";
import { appendLedgerEntries } from "../loyalty/loyalty-ledger.repository.server";
import { recordLoyaltyEvent } from "../loyalty/loyalty-events.repository.server";
import { findProgram } from "../loyalty/loyalty.repository.server";
import { reevaluateMemberTier } from "../loyalty/member-tier.server";
import { automationFlowHandle, flowFamilyOf } from "./automation-flow-triggers";
import type { AutomationTrigger } from "./automation-rule";
import { createRule } from "./automation-rules.repository.server";
import { switchRule } from "./automations-admin.server";
import { evaluateShop } from "./evaluate-automations.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const HOUR = 3600 * 1000;
const NAMES = ["Ada", "Grace", "Linus", "Barbara", "Edsger", "Alan", "Donald", "Frances", "Niklaus", "Radia", "Ken"];
let t: AutomationsTestStore;
let segmentId: number;

beforeAll(async () => {
  t = await openAutomationsStore({ db, jobs, names: NAMES, ianaTimezone: "Pacific/Auckland" });
  segmentId = (
    await db.segment.create({
      data: { shopId: t.shop.id, name: "Fans", handle: "kinship:fans", filter: EMPTY_CUSTOMER_FILTER },
    })
  ).id;
});

afterAll(async () => {
  await db.shop.delete({ where: { id: t.shop.id } });
  await t.double.close();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

const id = (name: string) => t.customers[name]!.id;

async function ruleFor(trigger: AutomationTrigger) {
  const rule = await createRule(
    db,
    t.shop.id,
    {
      name: `On ${trigger.type}`,
      trigger,
      conditions: EMPTY_CUSTOMER_FILTER,
      actions: [{ type: "flow" }],
      capDays: null,
    },
    { enabled: false },
  );
  // Switched on an hour ago: today's events are after it.
  await switchRule(t.deps, t.shop.id, rule.id, true);
  await db.automationRule.update({ where: { id: rule.id }, data: { enabledAt: new Date(Date.now() - HOUR) } });
  return rule;
}

describe("events", () => {
  it("each trigger reaches exactly the customer its event is about, once", async () => {
    // Given one rule per trigger type and one event each, for a different customer
    const now = new Date();
    const cases: { trigger: AutomationTrigger; who: string; write: () => Promise<unknown>; key: RegExp }[] = [
      {
        trigger: { type: "segment_entered", segmentId: 0 },
        who: "Ada",
        key: /^segment:\d+$/,
        write: () =>
          db.segmentMembershipChange.create({
            data: { shopId: t.shop.id, segmentId, customerId: id("Ada"), change: "entered", at: now },
          }),
      },
      {
        trigger: { type: "segment_left", segmentId: 0 },
        who: "Grace",
        key: /^segment:\d+$/,
        write: () =>
          db.segmentMembershipChange.create({
            data: { shopId: t.shop.id, segmentId, customerId: id("Grace"), change: "left", at: now },
          }),
      },
      {
        trigger: { type: "lifecycle_changed", toStage: "at_risk", fromStage: "loyal" },
        who: "Linus",
        key: /^lifecycle:\d+$/,
        write: async () => {
          await db.lifecycleTransition.create({
            data: { shopId: t.shop.id, customerId: id("Linus"), fromStage: "loyal", toStage: "at_risk", at: now },
          });
          // Another origin stage does not match fromStage
          await db.lifecycleTransition.create({
            data: { shopId: t.shop.id, customerId: id("Ada"), fromStage: "new", toStage: "at_risk", at: now },
          });
        },
      },
      {
        trigger: { type: "churn_risk_crossed", band: "high" },
        who: "Barbara",
        key: /^churn:7:high$/,
        // Medium at the switch-on (the snapshot), high after the next analytics run
        write: () => writeScore(db, t.shop.id, id("Barbara"), { churnRisk: "high", runId: 7 }),
      },
      {
        trigger: { type: "tier_changed", direction: "upgrade", tierId: null },
        who: "Edsger",
        key: /^loyalty-event:\d+$/,
        write: async () => {
          await createTier(db, t.shop.id, {
            name: "Silver",
            threshold: 100n,
            earnMultiplierPermille: 1000,
            entryBonusPoints: 0,
          });
          const memberId = t.customers.Edsger!.memberId;
          await appendLedgerEntries(db, memberId, [{ kind: "earn", points: 150, idempotencyKey: "test:earn:edsger" }]);
          expect(await reevaluateMemberTier(t.deps, (await findProgram(db, t.shop.id))!, memberId)).toBe("upgrade");
        },
      },
      {
        trigger: { type: "birthday" },
        who: "Alan",
        key: new RegExp(`^birthday:${shopDay(now, "Pacific/Auckland").slice(0, 4)}$`),
        write: () => {
          // Today in Auckland, which is often another day than in UTC
          const [, month, day] = shopDay(now, "Pacific/Auckland").split("-").map(Number);
          return db.loyaltyMember.update({
            where: { id: t.customers.Alan!.memberId },
            data: { birthdayMonth: month, birthdayDay: day },
          });
        },
      },
      {
        trigger: { type: "points_expiring" },
        who: "Donald",
        key: /^loyalty-event:\d+$/,
        write: () =>
          recordLoyaltyEvent(db, {
            shopId: t.shop.id,
            memberId: t.customers.Donald!.memberId,
            kind: "points_expiring",
            payload: { points: 40 },
            idempotencyKey: "points_expiring:test",
          }),
      },
      {
        trigger: { type: "first_order" },
        who: "Frances",
        key: /^orders:1$/,
        write: () => db.customer.update({ where: { id: id("Frances") }, data: { ordersCount: 1, lastOrderAt: now } }),
      },
      {
        trigger: { type: "nth_order", n: 3 },
        who: "Niklaus",
        key: /^orders:3$/,
        write: () => db.customer.update({ where: { id: id("Niklaus") }, data: { ordersCount: 3, lastOrderAt: now } }),
      },
      {
        trigger: { type: "survey_answered", survey: "nps", minScore: 0, maxScore: 6 },
        who: "Radia",
        key: /^survey:\d+$/,
        write: async () => {
          const answer = (customer: string, score: number, order: bigint) =>
            db.surveyResponse.create({
              data: {
                shopId: t.shop.id,
                customerId: id(customer),
                orderShopifyId: order,
                kind: "nps",
                score,
                channel: "link",
              },
            });
          await answer("Radia", 3, 1n);
          await answer("Ada", 9, 2n); // a promoter: outside the score range
        },
      },
      {
        trigger: { type: "no_order_for_days", days: 30 },
        who: "Ken",
        key: /^no-order:30:\d+$/,
        write: () =>
          db.customer.update({
            where: { id: id("Ken") },
            data: { ordersCount: 1, lastOrderAt: new Date(now.getTime() - 30 * 24 * HOUR - HOUR / 2) },
          }),
      },
    ];
    await writeScore(db, t.shop.id, id("Barbara"), {
      churnRisk: "medium",
      runId: 6,
      computedAt: new Date(now.getTime() - 2 * HOUR),
    });
    const rules: Awaited<ReturnType<typeof ruleFor>>[] = [];
    for (const c of cases) {
      const trigger = "segmentId" in c.trigger ? { ...c.trigger, segmentId } : c.trigger;
      rules.push(await ruleFor(trigger));
    }
    for (const c of cases) await c.write();

    // When the shop is evaluated twice and the runs' jobs are worked
    const first = await evaluateShop(t.deps, t.shop.id);
    const second = await evaluateShop(t.deps, t.shop.id);
    await runAutomationJobs(t.deps, ["execute-run"]);

    // Then each rule ran once, for its customer, with its event's key, and fired its family's trigger
    for (const [i, c] of cases.entries()) {
      const runs = await db.automationRun.findMany({ where: { ruleId: rules[i]!.id } });
      expect({ type: c.trigger.type, runs: runs.map((r) => [r.customerId, r.status]) }).toEqual({
        type: c.trigger.type,
        runs: [[id(c.who), "done"]],
      });
      expect(runs[0]!.eventKey).toMatch(c.key);
      expect(first.byRule[rules[i]!.id]).toBe(1);
      expect(second.byRule[rules[i]!.id]).toBe(0);
      const fired = flowTriggersOf(t.shop.domain).filter(
        (f) =>
          f.handle === automationFlowHandle(flowFamilyOf(c.trigger.type)) &&
          f.payload["automation id"] === String(rules[i]!.id),
      );
      expect(fired.map((f) => f.payload.customer_id)).toEqual([Number(t.customers[c.who]!.shopifyId)]);
    }
  });
});
