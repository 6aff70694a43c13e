// The Feedback page and the survey link's page on the demo, in headless Chromium: answers seeded
// for the demo's customers, the page's scores and comments, a bad setting refused with its field
// error, and the storefront survey page (served through the app proxy route, signed like Shopify
// signs it) answered once. Screenshots go to test-results/.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { parseSurveyAnswer } from "../../app/crm/feedback/survey-answer";
import { insertSurveyResponse } from "../../app/crm/feedback/survey-responses.repository.server";
import { createSurveyToken, surveyTokenKey } from "../../app/crm/feedback/survey-token";
import { createPrismaClient } from "../../app/db.server";
import { dropDatabase } from "../../prisma/migrator";
import { DEMO_API_SECRET, DEMO_SHOP_DOMAIN } from "../../scripts/demo/demo-config";
import { freePort } from "../helpers/free-port";
import { launchChromium, openPage } from "../helpers/open-embedded-page";
import { appFrame } from "../helpers/page-quality";
import { appProxySignature } from "../helpers/signed-app-proxy-request";
import { ROOT, spawnTsx, type SpawnedProcess } from "../helpers/spawn-tsx";

const EXPECTED_OFFLINE_ERRORS = /cdn\.shopify\.com|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED/;
const COMMENTS = [
  "Fast shipping and the record sounds great",
  "Sleeve arrived bent, disappointed",
  "Good selection, a bit pricey",
  "Parcel was late by a week",
  "Lovely packaging, will order again",
];

const databaseUrl = (() => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/kinship_e2e_${randomBytes(4).toString("hex")}`;
  return url.toString();
})();
let demo: SpawnedProcess | undefined;
let browser: Browser | undefined;
let adminUrl = "";
let appUrl = "";

beforeAll(async () => {
  const [appPort, doublePort] = [await freePort(), await freePort()];
  appUrl = `http://127.0.0.1:${appPort}`;
  demo = spawnTsx("scripts/demo.ts", {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DEMO_APP_PORT: String(appPort),
    DEMO_DOUBLE_PORT: String(doublePort),
    QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-feedback`,
    LOG_LEVEL: "warn",
  });
  await demo.waitFor(/Open (http:\/\/\S+)/, 660_000);
  adminUrl = /Open (http:\/\/\S+)/.exec(demo.output())![1]!;
  browser = await launchChromium();
  mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
}, 720_000);

afterAll(async () => {
  await browser?.close();
  if (demo && demo.child.exitCode === null) {
    demo.child.kill("SIGINT");
    const timer = setTimeout(() => demo?.child.kill("SIGKILL"), 20_000);
    await demo.exited;
    clearTimeout(timer);
  }
  await dropDatabase(databaseUrl);
});

/** Answers for the demo's first orders: NPS mostly, some CSAT, over the last months. */
async function seedAnswers() {
  const db = createPrismaClient(databaseUrl);
  try {
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
    const orders = await db.order.findMany({
      where: { shopId: shop.id, customerId: { not: null } },
      orderBy: { id: "asc" },
      take: 120,
      select: { shopifyId: true, customerId: true, customerShopifyId: true },
    });
    const now = Date.now();
    for (const [i, order] of orders.slice(0, 110).entries()) {
      const kind = i % 4 === 3 ? "csat" : "nps";
      const score = kind === "nps" ? [10, 9, 8, 9, 3, 10, 6, 7, 9, 10, 2][i % 11]! : [5, 4, 2, 5, 3][i % 5]!;
      const parsed = parseSurveyAnswer(kind, [], { score, comment: i % 3 === 0 ? COMMENTS[i % COMMENTS.length] : "" });
      if (!parsed.ok) throw new Error("bad seed");
      await insertSurveyResponse(db, {
        shopId: shop.id,
        orderShopifyId: order.shopifyId,
        customerId: order.customerId,
        customerShopifyId: order.customerShopifyId,
        channel: i % 2 ? "link" : "customer_account",
        answer: parsed.answer,
        answeredAt: new Date(now - (i % 7) * 30 * 86_400_000 - i * 3_600_000),
      });
    }
    return { shopId: shop.id, openOrder: orders[115]!, answeringCustomer: orders[0]!.customerShopifyId! };
  } finally {
    await db.$disconnect();
  }
}

describe("Feedback on the demo", () => {
  it("shows NPS, CSAT, trend, breakdowns and comments, and refuses a bad setting", { timeout: 240_000 }, async () => {
    const { shopId, openOrder, answeringCustomer } = await seedAnswers();
    const { page, errors } = await openPage(browser!, `${adminUrl}/app/feedback`);
    const app = page.frameLocator("iframe");
    await app.getByRole("heading", { name: "Feedback", exact: true }).waitFor({ timeout: 60_000 });
    await app.getByText("Net Promoter Score").waitFor();
    await app.getByText(/95% CI/).waitFor();
    await app.getByText("Sleeve arrived bent, disappointed").first().waitFor();
    await screenshotApp(page, "feedback.png");

    // When a comment search runs
    await app.getByLabel("Search comments").fill("late");
    await app.getByRole("button", { name: "Search", exact: true }).click();
    await expect.poll(() => app.getByText("Sleeve arrived bent, disappointed").count(), { timeout: 30_000 }).toBe(0);
    await app.getByText("Parcel was late by a week").first().waitFor({ timeout: 30_000 });
    await screenshotApp(page, "feedback-search.png");

    // When points for answering are too many and the questionnaire has six statements
    await app.getByLabel("Points for answering").fill("20000");
    await app.getByLabel("Questionnaire statements").fill("One\nTwo two\nThree\nFour\nFive\nSix six");
    await app.getByRole("button", { name: "Save survey settings" }).click();
    // Then both fields say why, and nothing is saved
    await app.getByText("Points for answering must be at most 10000").waitFor({ timeout: 30_000 });
    await app.getByText("At most 5 statements, one per line").waitFor();
    await app.getByText("Some fields need attention").waitFor();
    await screenshotApp(page, "feedback-settings-error.png");
    expect(errors.filter((error) => !EXPECTED_OFFLINE_ERRORS.test(error))).toEqual([]);

    // Customer 360 shows the customer's answers and survey links for recent orders
    await page.goto(`${adminUrl}/app/customers/${answeringCustomer}`);
    await app.getByRole("heading", { name: "Feedback", exact: true }).waitFor({ timeout: 60_000 });
    await app.getByText("NPS 10").first().waitFor();
    await app.getByRole("heading", { name: "Survey links" }).waitFor();
    await expect(
      app
        .getByRole("textbox", { name: /^Survey link for / })
        .first()
        .inputValue(),
    ).resolves.toMatch(/^https:\/\/kinship-demo\.myshopify\.com\/apps\/kinship\/survey\//);
    await screenshotApp(page, "feedback-customer-360.png");

    // The storefront page of a survey link (signed by "Shopify" as the proxy would)
    const token = createSurveyToken(surveyTokenKey(DEMO_API_SECRET), {
      shopId,
      orderShopifyId: openOrder.shopifyId,
      kind: "nps",
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const params = {
      shop: DEMO_SHOP_DOMAIN,
      logged_in_customer_id: "",
      path_prefix: "/apps/kinship",
      timestamp: String(Math.floor(Date.now() / 1000)),
    };
    const query = new URLSearchParams({ ...params, signature: appProxySignature(params, DEMO_API_SECRET) });
    const survey = await openPage(browser!, `${appUrl}/proxy/survey/${token}?${query}`);
    await survey.page.getByText("How likely are you to recommend us").waitFor();
    await survey.page.locator("label", { hasText: /^3$/ }).click();
    await survey.page.getByLabel(/Anything you would like to add/).fill("The sleeve was bent");
    await survey.page.setViewportSize({ width: 900, height: 700 });
    await survey.page.screenshot({ path: path.join(ROOT, "test-results", "survey-page.png"), fullPage: true });
    // When the shopper sends it, then opens the link again
    await survey.page.getByRole("button", { name: "Send my answer" }).click();
    await survey.page.getByText("Thank you for your feedback").waitFor({ timeout: 30_000 });
    await survey.page.screenshot({ path: path.join(ROOT, "test-results", "survey-thanks.png"), fullPage: true });
    await survey.page.goto(`${appUrl}/proxy/survey/${token}?${query}`);
    await survey.page.getByText("You have already answered").waitFor();
    expect(survey.errors.filter((error) => !/status of 410/.test(error))).toEqual([]);
  });
});

/** The app scrolls inside the admin's iframe: the window is made as tall as the app for the picture. */
async function screenshotApp(page: Page, name: string) {
  const appHeight = await appFrame(page).evaluate(() => document.documentElement.scrollHeight);
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: viewport.width, height: Math.min(appHeight + 120, 8_000) });
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(ROOT, "test-results", name), fullPage: true });
  await page.setViewportSize(viewport);
}
