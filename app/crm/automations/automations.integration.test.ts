// Automations against real PostgreSQL, Redis and the Shopify double: the win-back recipe end to
// end (one code, on Customer 360), idempotency under duplicate events, re-evaluation and retried
// jobs, frequency caps, the real-time order path through ingest, and the dry-run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  openAutomationsStore,
  runAutomationJobs,
  type AutomationsTestStore,
} from "../../../test/helpers/automations-test-store";
import { deliver } from "../../../test/helpers/loyalty-test-setup";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { probeWriteScope } from "../../../test/helpers/write-scope-probe";
import { discountsOf } from "../../../test/shopify-double/discounts";
import { flowTriggersOf } from "../../../test/shopify-double/flow-triggers";
import { orderPayload } from "../../../test/shopify-double/rest-payloads";
import { createJobQueues } from "../../jobs/job-queues.server";
import { loadCustomer360 } from "../customer-360/customer-360.server";
import { EMPTY_CUSTOMER_FILTER } from "../customers/customer-filter";
import type { AutomationRuleInput } from "./automation-rule";
import { createRule } from "./automation-rules.repository.server";
import { dryRunCount, turnOnRecipe } from "./automations-admin.server";
import { evaluateShop } from "./evaluate-automations.server";
import { executeRun } from "./execute-run.server";
import { processSurveyResponse } from "../feedback/survey-follow-ups.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
let t: AutomationsTestStore;

beforeAll(async () => {
  t = await openAutomationsStore({ db, jobs, names: ["Ada", "Grace", "Linus", "Barbara", "Edsger"] });
});

afterAll(async () => {
  await db.shop.delete({ where: { id: t.shop.id } });
  await t.double.close();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

const runsOf = (ruleId: number) => db.automationRun.findMany({ where: { ruleId }, orderBy: { id: "asc" } });
const redemptionsOf = (memberId: bigint) => db.loyaltyRedemption.findMany({ where: { memberId } });

async function transition(name: string, toStage: string, fromStage = "growing") {
  return db.lifecycleTransition.create({
    data: { shopId: t.shop.id, customerId: t.customers[name]!.id, fromStage, toStage, at: new Date() },
  });
}

function rule(overrides: Partial<AutomationRuleInput>): AutomationRuleInput {
  return {
    name: "Test rule",
    trigger: { type: "lifecycle_changed", toStage: "churned", fromStage: null },
    conditions: EMPTY_CUSTOMER_FILTER,
    actions: [{ type: "tag", op: "add", tag: "kinship-test" }],
    capDays: null,
    ...overrides,
  };
}

describe("win-back recipe", () => {
  it("issues exactly one code to a customer who crosses into at risk, visible on Customer 360", async () => {
    // Given the win-back recipe turned on in one click, then Ada's stage turning to at risk
    const recipe = await turnOnRecipe(t.deps, t.shop.id, "win_back");
    await transition("Ada", "at_risk");

    // When the nightly evaluation runs, twice, and every run job is worked (one job twice)
    const first = await evaluateShop(t.deps, t.shop.id);
    const second = await evaluateShop(t.deps, t.shop.id);
    const [run] = await runsOf(recipe.id);
    await runAutomationJobs(t.deps, ["execute-run"]);
    expect(await executeRun(t.deps, run!.id)).toBe("skipped");

    // Then one run, done, one redemption and one Shopify code restricted to Ada
    expect(first.byRule[recipe.id]).toBe(1);
    expect(second.byRule[recipe.id]).toBe(0);
    const runs = await runsOf(recipe.id);
    expect(runs.map((r) => [r.customerId, r.status])).toEqual([[t.customers.Ada!.id, "done"]]);
    const redemptions = await redemptionsOf(t.customers.Ada!.memberId);
    expect(redemptions).toHaveLength(1);
    expect(redemptions[0]).toMatchObject({ status: "issued", pointsSpent: 0 });
    const codes = discountsOf(t.shop.domain).filter((d) => d.code === redemptions[0]!.discountCode);
    expect(codes).toHaveLength(1);
    expect(JSON.stringify(codes[0]!.input)).toContain(`gid://shopify/Customer/${t.customers.Ada!.shopifyId}`);
    // The tag and the lifecycle Flow trigger (the double checks the payload against the toml)
    expect(t.double.store(t.shop.domain).customers.find((c) => c.firstName === "Ada")!.tags).toContain(
      "kinship-win-back",
    );
    const fired = flowTriggersOf(t.shop.domain).filter((f) => f.handle === "kinship-automation-lifecycle");
    expect(fired.map((f) => f.payload.customer_id)).toEqual([Number(t.customers.Ada!.shopifyId)]);

    // And Customer 360 lists the code
    const view = await loadCustomer360(db, {
      shopDomain: t.shop.domain,
      customerShopifyId: t.customers.Ada!.shopifyId,
      orders: null,
    });
    expect(view?.loyalty?.redemptions?.map((r) => r.code)).toEqual([redemptions[0]!.discountCode]);
  });
});

describe("idempotency and retries", () => {
  it("retries a step that failed transiently and still makes one code", async () => {
    // Given a reward rule and an Admin client that fails its first request
    const created = await createRule(
      db,
      t.shop.id,
      rule({
        name: "Churned reward",
        actions: [
          {
            type: "reward",
            title: "Come back",
            kind: "fixed_amount",
            amountMinor: "500",
            percentage: null,
            minimumSubtotalMinor: null,
          },
        ],
      }),
      { enabled: true, now: new Date(Date.now() - 1000) },
    );
    await transition("Grace", "churned", "at_risk");
    let failures = 1;
    const flaky = {
      ...t.deps,
      adminFor: async (shop: string) => {
        if (failures-- > 0) throw new Error("connection reset");
        return t.deps.adminFor!(shop);
      },
    };
    await evaluateShop(flaky, t.shop.id);
    const [run] = await runsOf(created.id);

    // When the first attempt fails and the job retries (and a duplicate job runs once more)
    await expect(executeRun(flaky, run!.id)).rejects.toThrow("connection reset");
    const afterFailure = await db.automationRun.findUniqueOrThrow({ where: { id: run!.id } });
    expect(await executeRun(flaky, run!.id)).toBe("done");
    expect(await executeRun(flaky, run!.id)).toBe("skipped");

    // Then the failure was logged on the run, and Grace holds one issued code
    expect(afterFailure).toMatchObject({ status: "pending", attempts: 1 });
    expect(afterFailure.error).toContain("connection reset");
    const redemptions = await redemptionsOf(t.customers.Grace!.memberId);
    expect(redemptions.map((r) => r.status)).toEqual(["issued"]);
    expect(discountsOf(t.shop.domain).filter((d) => d.code === redemptions[0]!.discountCode)).toHaveLength(1);
  });

  it("caps runs per customer: two events within the cap make one run", async () => {
    // Given a capped rule and two events for Linus
    const capped = await createRule(
      db,
      t.shop.id,
      rule({ name: "Capped", trigger: { type: "lifecycle_changed", toStage: "loyal", fromStage: null }, capDays: 30 }),
      { enabled: true, now: new Date(Date.now() - 1000) },
    );
    await transition("Linus", "loyal");
    await evaluateShop(t.deps, t.shop.id);
    await transition("Linus", "loyal", "new");

    // When the evaluation runs again
    const again = await evaluateShop(t.deps, t.shop.id);

    // Then the second event is held back by the cap
    expect(again.byRule[capped.id]).toBe(0);
    expect(await runsOf(capped.id)).toHaveLength(1);
  });
});

describe("real-time order events", () => {
  it("queues no order event while the shop has no enabled rule an order can fire", async () => {
    // Given rules on, but none with an order trigger (the win-back recipe's is a lifecycle change)
    const edsger = t.store.customers.find((c) => c.firstName === "Edsger")!;
    const waitingEvents = async () =>
      (await jobs.queue("automations").getJobs(["waiting", "prioritized", "delayed"])).filter(
        (job) => job.name === "customer-event",
      );
    expect(await db.automationRule.count({ where: { shopId: t.shop.id, enabled: true } })).toBeGreaterThan(0);
    const order = { ...t.store.orders[0]!, id: 5100000000801, name: "#2801", customerId: edsger.id };

    // When Edsger's order is applied through ingest
    await deliver(t.deps, t.shop.domain, "orders/create", orderPayload(t.store, order));

    // Then no customer-event job waits (a job per customer on every order webhook, for nothing)
    expect(await waitingEvents()).toEqual([]);

    // And once an order rule is on, the next order of his queues one
    const rule = await turnOnRecipe(t.deps, t.shop.id, "second_order_thanks");
    await deliver(t.deps, t.shop.domain, "orders/create", orderPayload(t.store, { ...order, id: 5100000000802 }));
    expect((await waitingEvents()).map((job) => job.data)).toEqual([
      { shopId: t.shop.id, customerId: t.customers.Edsger!.id.toString(), kinds: ["order"] },
    ]);
    // (Not run: Edsger stays without runs for the dry-run below; the rule is off again.)
    for (const job of await waitingEvents()) await job.remove();
    await db.automationRule.update({ where: { id: rule.id }, data: { enabled: false } });
  });

  it("runs the second-order recipe right after the order is applied through ingest", async () => {
    // Given the thank-you recipe on, and Barbara with one earlier order
    const recipe = await turnOnRecipe(t.deps, t.shop.id, "second_order_thanks");
    const barbara = t.store.customers.find((c) => c.firstName === "Barbara")!;
    const base = t.store.orders[0]!;
    // Shopify's order times have whole seconds: a second on, so the orders follow the switch-on.
    const now = new Date(Date.now() + 1000).toISOString();
    const order = (id: number, name: string) => ({
      ...base,
      id,
      name,
      customerId: barbara.id,
      email: barbara.email,
      createdAt: now,
      processedAt: now,
      updatedAt: now,
    });

    // When two orders are delivered (the second twice) and the automations jobs run
    const probe = await probeWriteScope(db, "automation_runs", t.shop.id);
    try {
      await deliver(t.deps, t.shop.domain, "orders/create", orderPayload(t.store, order(5100000000001, "#2001")));
      await runAutomationJobs(t.deps, ["customer-event"]);
      const payload = orderPayload(t.store, order(5100000000002, "#2002"));
      await deliver(t.deps, t.shop.domain, "orders/create", payload);
      await deliver(t.deps, t.shop.domain, "orders/create", payload);
      await runAutomationJobs(t.deps, ["customer-event", "execute-run"]);
      // The run was recorded and performed as kinship_app, inside the shop's row-level-security scope
      const { writers, writes } = await probe.writers();
      expect(writers).toEqual([`kinship_app ${t.shop.id}`]);
      expect(writes).toBeGreaterThanOrEqual(2);
    } finally {
      await probe.remove();
    }

    // Then one run for the second order: 100 points under the run's ledger key, one Flow trigger
    const runs = await runsOf(recipe.id);
    expect(runs.map((r) => [r.eventKey, r.status])).toEqual([["orders:2", "done"]]);
    const entries = await db.loyaltyLedgerEntry.findMany({
      where: { memberId: t.customers.Barbara!.memberId, kind: "adjust" },
    });
    expect(entries.map((e) => [e.points, e.idempotencyKey])).toEqual([[100, `automation:${runs[0]!.id}:0`]]);
    const fired = flowTriggersOf(t.shop.domain).filter((f) => f.handle === "kinship-automation-orders");
    expect(fired.map((f) => f.payload.customer_id)).toEqual([barbara.id]);
  });
});

describe("real-time survey events", () => {
  it("runs the detractor recovery recipe right after a survey answer's follow-ups", async () => {
    // Given the detractor recovery recipe on, and Linus answering NPS 3 after it was switched on
    const recipe = await turnOnRecipe(t.deps, t.shop.id, "detractor_recovery");
    const linus = t.customers.Linus!;
    const response = await db.surveyResponse.create({
      data: {
        shopId: t.shop.id,
        customerId: linus.id,
        orderShopifyId: 5100000000901n,
        kind: "nps",
        score: 3,
        band: "detractor",
        channel: "link",
        answeredAt: new Date(Date.now() + 1000),
      },
    });

    // When the answer's follow-ups run twice (inline, then the safety-net job) and the jobs are worked
    await processSurveyResponse(t.deps, response.id, t.shop.domain);
    await processSurveyResponse(t.deps, response.id, t.shop.domain);
    await runAutomationJobs(t.deps, ["customer-event", "execute-run"]);

    // Then one run for Linus, done, without waiting for the nightly evaluation
    const runs = await runsOf(recipe.id);
    expect(runs.map((r) => [r.customerId, r.status])).toEqual([[linus.id, "done"]]);
  });
});

describe("dry-run", () => {
  it("counts the customers a rule would reach today without recording runs", async () => {
    // Given two customers who became churned today, one tagged VIP
    await db.customer.update({ where: { id: t.customers.Edsger!.id }, data: { tags: ["VIP"] } });
    await transition("Edsger", "churned", "at_risk");
    const draft = rule({});
    const onlyVip = rule({
      conditions: { combinator: "and", conditions: [{ field: "tags", op: "hasAny", values: ["VIP"] }] },
    });

    // When the dry-run counts both drafts (not saved)
    const all = await dryRunCount(t.deps, t.shop.id, draft, null);
    const vip = await dryRunCount(t.deps, t.shop.id, onlyVip, null);

    // Then Grace and Edsger, and Edsger alone under the condition; nothing recorded
    expect([all, vip]).toEqual([2, 1]);
    expect(await db.automationRun.count({ where: { customerId: t.customers.Edsger!.id } })).toBe(0);
  });
});
