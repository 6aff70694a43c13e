// The admin's feedback figures from stored answers: NPS and its interval, CSAT, the monthly trend
// in the shop's time zone, scores by RFM segment / lifecycle stage / tier, comments with search
// and keyset pages, the settings form, and Customer 360's answers and survey links.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openFeedbackStore, type FeedbackStore } from "../../../test/helpers/feedback-test-setup";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { createJobQueues } from "../../jobs/job-queues.server";
import { ensureMember } from "../loyalty/loyalty.repository.server";
import {
  COMMENTS_PER_PAGE,
  customerFeedback,
  loadFeedbackPage,
  saveFeedbackSettingsForm,
} from "./feedback-admin.server";
import { parseSurveyAnswer } from "./survey-answer";
import type { SurveyKind } from "./survey-kinds";
import { insertSurveyResponse } from "./survey-responses.repository.server";
import { verifySurveyToken } from "./survey-token";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const now = new Date("2026-11-20T12:00:00Z");
let fx: FeedbackStore;

async function answer(
  customer: { id: bigint; shopifyId: bigint } | null,
  kind: SurveyKind,
  score: number,
  answeredAt: string,
  comment?: string,
) {
  const order = await fx.addOrder(customer);
  const parsed = parseSurveyAnswer(kind, [], { score, comment });
  if (!parsed.ok) throw new Error("bad answer");
  await insertSurveyResponse(db, {
    shopId: fx.shop.id,
    orderShopifyId: order,
    customerId: customer?.id ?? null,
    customerShopifyId: customer?.shopifyId ?? null,
    channel: "link",
    answer: parsed.answer,
    answeredAt: new Date(answeredAt),
  });
}

beforeAll(async () => {
  fx = await openFeedbackStore(db, jobs, "feedback-admin");
  // Ada: a Champion in the Gold tier; Grace: At risk, no tier.
  const run = await db.analyticsRun.create({ data: { shopId: fx.shop.id, trigger: "merchant", status: "succeeded" } });
  for (const [customer, rfmSegment, lifecycleStage] of [
    [fx.ada, "Champions", "loyal"],
    [fx.grace, "At risk", "at_risk"],
  ] as const) {
    await db.customerScore.create({
      data: {
        customerId: customer.id,
        shopId: fx.shop.id,
        runId: run.id,
        recencyDays: 3,
        purchaseDays: 4,
        netSpentMinor: 10_000n,
        rScore: 5,
        fScore: 5,
        mScore: 5,
        rfmSegment,
        frequency: 3,
        recency: 100,
        T: 200,
        monetaryValue: 2500,
        churnRisk: "low",
        lifecycleStage,
        computedAt: now,
      },
    });
  }
  const gold = await db.loyaltyTier.create({ data: { shopId: fx.shop.id, name: "Gold", threshold: 100n } });
  const { member } = await ensureMember(db, fx.shop.id, fx.ada.id);
  await db.loyaltyMember.update({ where: { id: member.id }, data: { tierId: gold.id } });

  // Ada: three promoters; Grace: one passive, two detractors (one on 31 Oct 23:30 UTC = 1 Nov in Berlin); CSAT 5, 4, 1.
  await answer(fx.ada, "nps", 10, "2026-09-10T10:00:00Z", "Fast shipping, great sound");
  await answer(fx.ada, "nps", 9, "2026-10-05T10:00:00Z");
  await answer(fx.ada, "nps", 9, "2026-11-02T10:00:00Z", "Love the 100% vinyl selection");
  await answer(fx.grace, "nps", 7, "2026-10-10T10:00:00Z");
  await answer(fx.grace, "nps", 2, "2026-10-31T23:30:00Z", "Parcel arrived late and dented");
  await answer(null, "nps", 0, "2026-11-03T10:00:00Z", "Never arrived");
  await answer(fx.ada, "csat", 5, "2026-11-04T10:00:00Z");
  await answer(fx.grace, "csat", 4, "2026-11-04T10:00:00Z");
  await answer(fx.grace, "csat", 1, "2026-11-05T10:00:00Z", "Late again");
});

afterAll(async () => {
  await fx.cleanUp();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

describe("feedback page", () => {
  it("computes NPS with its interval, the distributions and the CSAT average", async () => {
    const page = (await loadFeedbackPage(db, fx.shop.domain, { search: "", before: null }, now))!;
    const { nps } = page.summary;
    // 3 promoters, 1 passive, 2 detractors of 6: NPS = 50% − 33.3% = 16.7
    expect(nps).toMatchObject({ promoters: 3, passives: 1, detractors: 2, responses: 6 });
    expect(nps.nps).toBeCloseTo(100 / 6, 8);
    const variance = (3 / 6 + 2 / 6 - (1 / 6) ** 2) / 6;
    expect(nps.high! - nps.nps!).toBeCloseTo(100 * 1.96 * Math.sqrt(variance), 1);
    expect(page.summary.npsDistribution).toEqual([1, 0, 1, 0, 0, 0, 0, 1, 0, 2, 1]);
    expect(page.summary.csatDistribution).toEqual([1, 0, 0, 1, 1]);
    expect(page.summary.csatAverage).toBeCloseTo(10 / 3, 8);
    expect(page.summary.responses).toBe(9);
  });

  it("trends by month of the shop's time zone", async () => {
    const page = (await loadFeedbackPage(db, fx.shop.domain, { search: "", before: null }, now))!;
    expect(page.trend).toHaveLength(12);
    expect(page.trend.at(-1)!.group).toBe("2026-11");
    const month = (m: string) => page.trend.find((row) => row.group === m)!;
    // 31 Oct 23:30 UTC is 1 Nov in Berlin: November holds that detractor, the 9 and the guest's 0.
    expect(month("2026-11").nps).toMatchObject({ promoters: 1, passives: 0, detractors: 2 });
    expect(month("2026-10").nps).toMatchObject({ promoters: 1, passives: 1, detractors: 0, nps: 50 });
    expect(month("2026-09").nps).toMatchObject({ promoters: 1, nps: 100 });
    expect(month("2026-08").nps.nps).toBeNull();
    expect(month("2026-11").csatAverage).toBeCloseTo(10 / 3, 8);
  });

  it("breaks scores down by RFM segment, lifecycle stage and tier", async () => {
    const { breakdowns } = (await loadFeedbackPage(db, fx.shop.domain, { search: "", before: null }, now))!;
    const by = (rows: typeof breakdowns.rfm) => Object.fromEntries(rows.map((row) => [row.group, row.nps.nps]));
    // Grace (At risk): a 7 and a 2 = −50; the guest's 0 has no segment.
    expect(by(breakdowns.rfm)).toEqual({ Champions: 100, "At risk": -50, None: -100 });
    expect(by(breakdowns.lifecycle)).toEqual({ loyal: 100, at_risk: -50, None: -100 });
    expect(by(breakdowns.tier)).toMatchObject({ Gold: 100 });
    expect(breakdowns.tier.find((row) => row.group === "None")!.nps.responses).toBe(3);
    expect(breakdowns.rfm.find((row) => row.group === "At risk")!.csatAverage).toBeCloseTo(2.5, 8);
  });

  it("searches comments (LIKE characters taken literally) and pages them by id", async () => {
    const search = async (q: string) =>
      (await loadFeedbackPage(db, fx.shop.domain, { search: q, before: null }, now))!.comments.map((c) => c.comment);
    expect(await search("late")).toEqual(["Late again", "Parcel arrived late and dented"]);
    expect(await search("100%")).toEqual(["Love the 100% vinyl selection"]);
    expect(await search("_")).toEqual([]);
    const first = (await loadFeedbackPage(db, fx.shop.domain, { search: "", before: null }, now))!;
    expect(first.comments).toHaveLength(5);
    expect(first.nextCursor).toBeNull();
    expect(first.comments[0]).toMatchObject({ comment: "Late again", customerShopifyId: String(fx.grace.shopifyId) });
    expect(first.comments.find((c) => c.comment === "Never arrived")).toMatchObject({ customerShopifyId: null });

    for (let i = 0; i < COMMENTS_PER_PAGE; i++)
      await answer(fx.grace, "csat", 3, "2026-11-10T10:00:00Z", `Filler ${i}`);
    const page1 = (await loadFeedbackPage(db, fx.shop.domain, { search: "", before: null }, now))!;
    expect(page1.comments).toHaveLength(COMMENTS_PER_PAGE);
    expect(page1.nextCursor).toBe(page1.comments.at(-1)!.id);
    const page2 = (await loadFeedbackPage(db, fx.shop.domain, { search: "", before: page1.nextCursor }, now))!;
    expect(page2.comments.map((c) => c.comment)).toEqual([
      "Late again",
      "Never arrived",
      "Parcel arrived late and dented",
      "Love the 100% vinyl selection",
      "Fast shipping, great sound",
    ]);
    expect(page2.nextCursor).toBeNull();
  });
});

describe("survey settings form", () => {
  const staff = { userId: 42n, name: "Staff Tester" };
  it("names the bad fields and keeps the stored settings", async () => {
    const outcome = await saveFeedbackSettingsForm(db, {
      shopDomain: fx.shop.domain,
      staff,
      values: { nps: "on", likertStatements: "", pointsForAnswer: "abc", askAfterDays: "7", linkValidDays: "400" },
    });
    expect(outcome).toEqual({
      ok: false,
      errors: {
        pointsForAnswer: "Points for answering must be a whole number",
        linkValidDays: "Link validity must be at most 365",
      },
    });
    expect(await db.feedbackSettings.findUnique({ where: { shopId: fx.shop.id } })).toBeNull();
  });

  it("saves valid settings with an audit entry; the page shows them and the program's rewards", async () => {
    const outcome = await saveFeedbackSettingsForm(db, {
      shopDomain: fx.shop.domain,
      staff,
      values: {
        nps: "on",
        csat: "on",
        likertStatements: "Quick delivery",
        pointsForAnswer: "10",
        askAfterDays: "5",
        linkValidDays: "30",
        recoveryRewardId: String(fx.rewardId),
      },
    });
    expect(outcome).toEqual({ ok: true, message: "Survey settings saved" });
    const page = (await loadFeedbackPage(db, fx.shop.domain, { search: "", before: null }, now))!;
    expect(page.settings).toMatchObject({
      surveys: { nps: true, csat: true, likert: false },
      pointsForAnswer: 10,
      recoveryRewardId: fx.rewardId,
    });
    expect(page.rewards).toEqual([{ id: fx.rewardId, title: "5 EUR off, with our apologies" }]);
    const audit = await db.staffAuditEntry.findMany({ where: { shopId: fx.shop.id } });
    expect(audit).toMatchObject([{ action: "settings.updated", details: { area: "feedback" } }]);
  });
});

describe("Customer 360 feedback", () => {
  it("lists the customer's answers and signed links for the surveys still open on recent orders", async () => {
    const feedback = (await customerFeedback(fx.deps, fx.shop.domain, fx.ada.shopifyId))!;
    expect(feedback.answers.map((a) => [a.kind, a.score])).toEqual([
      ["csat", 5],
      ["nps", 9],
      ["nps", 9],
      ["nps", 10],
    ]);
    expect(feedback.links.length).toBeGreaterThan(0);
    for (const link of feedback.links) {
      expect(link.url).toMatch(new RegExp(`^https://${fx.shop.domain}/apps/kinship/survey/`));
      const check = verifySurveyToken(fx.deps.surveyTokenKey, link.url.split("/").at(-1)!, new Date());
      expect(check).toMatchObject({ ok: true, claims: { shopId: fx.shop.id, kind: link.kind } });
    }
    expect(await customerFeedback(fx.deps, fx.shop.domain, 123n)).toBeNull();
  });
});
