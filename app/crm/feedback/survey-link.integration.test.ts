// The signed survey link through the real app proxy route: Shopify's signature first, then our
// token (forged, expired, another shop's, reused: a page that says so, never a 500), the answer
// stored once, and a detractor's follow-ups: points once, one recovery code, one Flow trigger
// whose payload the double checks against the app's trigger toml.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openFeedbackStore, type FeedbackStore } from "../../../test/helpers/feedback-test-setup";
import { signedAppProxyRequest } from "../../../test/helpers/signed-app-proxy-request";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { discountsOf } from "../../../test/shopify-double/discounts";
import { flowTriggersOf } from "../../../test/shopify-double/flow-triggers";
import { createLoyaltyProcessor } from "../../../workers/processors/loyalty.processor";
import { createShopifyCallsProcessor } from "../../../workers/processors/shopify-calls.processor";
import { createJobQueues } from "../../jobs/job-queues.server";
import type * as ProxyRouteModule from "../../routes/proxy.$";
import { processSurveyResponse } from "./survey-follow-ups.server";
import { SURVEY_FLOW_TRIGGER_HANDLE } from "./survey-flow-trigger";
import { createSurveyToken } from "./survey-token";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
let fx: FeedbackStore;
let other: FeedbackStore;
let route: typeof ProxyRouteModule;

beforeAll(async () => {
  fx = await openFeedbackStore(db, jobs, "survey-link");
  route = await import("../../routes/proxy.$");
  await fx.setSettings({
    surveys: { nps: true, csat: true, likert: false },
    pointsForAnswer: 25,
    recoveryRewardId: fx.rewardId,
  });
});

afterAll(async () => {
  await fx.cleanUp();
  await other?.cleanUp();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

function tokenFor(
  orderShopifyId: bigint,
  options: { kind?: "nps" | "csat" | "likert"; shopId?: number; expiresAt?: Date } = {},
) {
  return createSurveyToken(fx.deps.surveyTokenKey, {
    shopId: options.shopId ?? fx.shop.id,
    orderShopifyId,
    kind: options.kind ?? "nps",
    expiresAt: options.expiresAt ?? new Date(Date.now() + 86_400_000),
  });
}

async function visit(token: string, options: { body?: Record<string, unknown>; shop?: string; secret?: string } = {}) {
  const request = signedAppProxyRequest({
    shop: options.shop ?? fx.shop.domain,
    path: `survey/${token}`,
    method: options.body ? "POST" : "GET",
    body: options.body,
    secret: options.secret,
  });
  const args = { request, params: { "*": `survey/${token}` }, context: {} };
  const response = options.body ? await route.action(args) : await route.loader(args);
  return { status: response.status, type: response.headers.get("Content-Type"), html: await response.text() };
}

const answersOf = (orderShopifyId: bigint) =>
  db.surveyResponse.findMany({ where: { shopId: fx.shop.id, orderShopifyId } });

describe("survey link", () => {
  it("needs Shopify's app proxy signature", async () => {
    const order = await fx.addOrder(fx.ada);
    const page = await visit(tokenFor(order), { secret: "not-the-app-secret" });
    expect(page.status).toBe(401);
    expect(page.html).toContain("invalid_signature");
  });

  it("shows the survey, stores the answer once, and answers a reused link with a clear page", async () => {
    // Given a promoter's link for Grace's order
    const order = await fx.addOrder(fx.grace);
    const token = tokenFor(order);
    // When she opens it
    const form = await visit(token);
    expect(form.status).toBe(200);
    expect(form.type).toBe("text/html; charset=utf-8");
    expect(form.html).toContain("How likely are you to recommend us");
    expect(form.html.match(/type="radio" name="score"/g)).toHaveLength(11);
    // And answers
    const thanks = await visit(token, { body: { score: "9", comment: "Lovely record" } });
    expect(thanks.status).toBe(200);
    expect(thanks.html).toContain("Thank you for your feedback");
    expect(thanks.html).toContain("We added 25 points");
    // Then the answer is stored with her customer, and the link is spent
    expect(await answersOf(order)).toMatchObject([
      { kind: "nps", score: 9, band: "promoter", comment: "Lovely record", channel: "link", customerId: fx.grace.id },
    ]);
    for (const again of [await visit(token), await visit(token, { body: { score: "2" } })]) {
      expect(again.status).toBe(410);
      expect(again.html).toContain("You have already answered");
    }
    expect(await answersOf(order)).toHaveLength(1);
    // A promoter gets no recovery code
    expect((await answersOf(order))[0]!.recoveryRedemptionId).toBeNull();
  });

  it("answers forged, expired, malformed and other shops' tokens with a page, never an error", async () => {
    const order = await fx.addOrder(fx.ada);
    const good = tokenFor(order);
    const forged = `${good.slice(0, -3)}${good.endsWith("AAA") ? "BBB" : "AAA"}`;
    other = await openFeedbackStore(db, jobs, "survey-other");
    const cases = [
      { token: forged, status: 404, text: "isn't valid" },
      { token: "not-a-token", status: 404, text: "isn't valid" },
      { token: tokenFor(order, { expiresAt: new Date(Date.now() - 1000) }), status: 410, text: "has closed" },
      // A real token of this shop, opened through another shop's storefront
      { token: good, shop: other.shop.domain, status: 404, text: "isn't valid" },
      // Another shop's id in a token signed with our key: no order of that shop
      { token: tokenFor(order, { shopId: other.shop.id }), status: 404, text: "isn't valid" },
      // An order that does not exist
      { token: tokenFor(order + 999_999n), status: 404, text: "isn't valid" },
      // A survey the shop does not ask
      { token: tokenFor(order, { kind: "likert" }), status: 404, text: "not available" },
    ];
    for (const { token, shop, status, text } of cases) {
      const page = await visit(token, { shop });
      expect({ token, status: page.status }).toEqual({ token, status });
      expect(page.html).toContain(text);
      const posted = await visit(token, { shop, body: { score: "5" } });
      expect(posted.status).toBe(status);
    }
    expect(await answersOf(order)).toEqual([]);
  });

  it("shows the form again with the error for an answer off the scale, storing nothing", async () => {
    const order = await fx.addOrder(fx.ada);
    const page = await visit(tokenFor(order, { kind: "csat" }), { body: { score: "9", comment: "<b>hm</b>" } });
    expect(page.status).toBe(422);
    expect(page.html).toContain("Choose a number from 1 to 5");
    expect(page.html).toContain("&lt;b&gt;hm&lt;/b&gt;</textarea>");
    expect(await answersOf(order)).toEqual([]);
  });

  it("stores one answer when the same link is submitted twice at once", async () => {
    const order = await fx.addOrder(fx.grace);
    const token = tokenFor(order, { kind: "csat" });
    const pages = await Promise.all([visit(token, { body: { score: "4" } }), visit(token, { body: { score: "5" } })]);
    expect(pages.map((p) => p.status).sort()).toEqual([200, 410]);
    expect(await answersOf(order)).toHaveLength(1);
  });

  it("gives a detractor one recovery code and fires the Flow trigger, once however often the job retries", async () => {
    // Given Ada's link
    const order = await fx.addOrder(fx.ada);
    const flowBefore = flowTriggersOf(fx.shop.domain).length;
    // When she answers 3
    const page = await visit(tokenFor(order), { body: { score: "3", comment: "Arrived late" } });
    // Then the thank-you page shows her recovery code, issued in Shopify for her only
    expect(page.status).toBe(200);
    const code = /class="code">([A-Z0-9-]+)</.exec(page.html)?.[1];
    expect(code).toMatch(/^KIN-/);
    const discounts = discountsOf(fx.shop.domain).filter((d) => d.code === code);
    expect(discounts).toHaveLength(1);
    expect(JSON.stringify(discounts[0]!.input)).toContain(`gid://shopify/Customer/${fx.ada.shopifyId}`);
    // And Flow got the trigger, accepted against the toml's fields
    const fired = flowTriggersOf(fx.shop.domain).slice(flowBefore);
    expect(fired).toMatchObject([
      {
        handle: SURVEY_FLOW_TRIGGER_HANDLE,
        payload: {
          customer_id: Number(fx.ada.shopifyId),
          order_id: Number(order),
          survey: "nps",
          score: 3,
          band: "detractor",
        },
      },
    ]);
    // When the safety-net job runs anyway, twice (a retry), through the loyalty processor
    const [response] = await answersOf(order);
    const process = createLoyaltyProcessor(fx.deps, createShopifyCallsProcessor(fx.deps));
    const job = {
      name: "process-survey-response",
      data: { shopDomain: fx.shop.domain, responseId: String(response!.id) },
      attemptsMade: 0,
      opts: {},
    };
    const otherShopsJob = { ...job, data: { ...job.data, shopDomain: "someone-else.myshopify.com" } };
    expect(await process(otherShopsJob as unknown as Parameters<typeof process>[0])).toBeNull();
    for (let i = 0; i < 2; i++) {
      const outcome = await process(job as unknown as Parameters<typeof process>[0]);
      expect(JSON.parse(JSON.stringify(outcome))).toEqual({
        pointsAwarded: 25,
        recoveryRedemptionId: String(response!.recoveryRedemptionId),
        flowFired: true,
      });
    }
    await processSurveyResponse(fx.deps, response!.id, fx.shop.domain);
    // Then still one code, one trigger, one points entry
    expect(discountsOf(fx.shop.domain).filter((d) => d.code === code)).toHaveLength(1);
    expect(flowTriggersOf(fx.shop.domain).slice(flowBefore)).toHaveLength(1);
    const redemptions = await db.loyaltyRedemption.findMany({ where: { shopId: fx.shop.id, pointsSpent: 0 } });
    expect(redemptions.filter((r) => r.discountCode === code)).toMatchObject([{ status: "issued" }]);
    const ledger = await db.loyaltyLedgerEntry.findMany({
      where: { shopId: fx.shop.id, idempotencyKey: `survey:${response!.id}` },
    });
    expect(ledger).toMatchObject([{ kind: "survey", points: 25 }]);
    const member = await db.loyaltyMember.findUniqueOrThrow({ where: { customerId: fx.ada.id } });
    const total = await db.loyaltyLedgerEntry.aggregate({ where: { memberId: member.id }, _sum: { points: true } });
    expect(member.pointsBalance).toBe(total._sum.points);
  });

  it("stores a guest order's answer without a customer: no points, no code, no trigger", async () => {
    const order = await fx.addOrder(null);
    const flowBefore = flowTriggersOf(fx.shop.domain).length;
    const page = await visit(tokenFor(order), { body: { score: "0" } });
    expect(page.status).toBe(200);
    expect(page.html).not.toContain("points");
    expect(await answersOf(order)).toMatchObject([
      { customerId: null, band: "detractor", pointsAwarded: 0, recoveryRedemptionId: null },
    ]);
    expect(flowTriggersOf(fx.shop.domain).length).toBe(flowBefore);
  });
});
