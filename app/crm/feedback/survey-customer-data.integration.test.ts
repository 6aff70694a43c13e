// Survey answers in a customer's data request and in customers/redact: the comment and the links
// to the person go, the score stays in the shop's figures.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openFeedbackStore, type FeedbackStore } from "../../../test/helpers/feedback-test-setup";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { createJobQueues } from "../../jobs/job-queues.server";
import { scoreCounts } from "./feedback-report.repository.server";
import { parseSurveyAnswer } from "./survey-answer";
import { SURVEY_CUSTOMER_DATA_SECTION } from "./survey-customer-data.repository.server";
import { insertSurveyResponse } from "./survey-responses.repository.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
let fx: FeedbackStore;

beforeAll(async () => {
  fx = await openFeedbackStore(db, jobs, "survey-privacy");
});

afterAll(async () => {
  await fx.cleanUp();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

async function answer(customer: { id: bigint; shopifyId: bigint }, score: number, comment: string) {
  const order = await fx.addOrder(customer);
  const parsed = parseSurveyAnswer("nps", [], { score, comment });
  if (!parsed.ok) throw new Error("bad answer");
  await insertSurveyResponse(db, {
    shopId: fx.shop.id,
    orderShopifyId: order,
    customerId: customer.id,
    customerShopifyId: customer.shopifyId,
    channel: "link",
    answer: parsed.answer,
    answeredAt: new Date(),
  });
  return order;
}

describe("survey answers and privacy", () => {
  it("are in the customer's data request and lose comment and links on redaction, keeping the score", async () => {
    const adaOrder = await answer(fx.ada, 3, "I live next door, the parcel was crushed");
    await answer(fx.grace, 10, "Grace's own words");
    const subject = {
      shopId: fx.shop.id,
      shopDomain: fx.shop.domain,
      currencyCode: "EUR",
      customerShopifyId: fx.ada.shopifyId,
      orderShopifyIds: [adaOrder],
      emails: ["ada@example.com"],
    };
    expect(await SURVEY_CUSTOMER_DATA_SECTION.collect(db, subject)).toEqual([
      expect.objectContaining({
        kind: "nps",
        score: 3,
        comment: "I live next door, the parcel was crushed",
        orderShopifyId: String(adaOrder),
      }),
    ]);

    await SURVEY_CUSTOMER_DATA_SECTION.redact(db, subject, new Date());
    await SURVEY_CUSTOMER_DATA_SECTION.redact(db, subject, new Date());

    const rows = await db.surveyResponse.findMany({ where: { shopId: fx.shop.id }, orderBy: { id: "asc" } });
    expect(rows).toMatchObject([
      { score: 3, comment: null, customerId: null, customerShopifyId: null },
      { score: 10, comment: "Grace's own words", customerId: fx.grace.id },
    ]);
    expect(await scoreCounts(db, fx.shop.id)).toEqual([
      { kind: "nps", score: 3, count: 1 },
      { kind: "nps", score: 10, count: 1 },
    ]);
  });
});
