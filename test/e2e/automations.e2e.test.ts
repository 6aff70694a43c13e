// The Automations pages in headless Chromium through the double's admin host: the win-back
// recipe turned on in one click, Ada crossing into "at risk" and getting exactly one code that
// Customer 360 shows, and the editor refusing a bad rule with field errors, counting its reach
// (dry-run) and saving. Screenshots go to test-results/.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { evaluateShop } from "../../app/crm/automations/evaluate-automations.server";
import { createJobQueues } from "../../app/jobs/job-queues.server";
import { runAutomationJobs } from "../helpers/automations-test-store";
import { loyaltyDepsFor } from "../helpers/loyalty-test-setup";
import { DESKTOP_CHROME_UA, collectDevServerErrors } from "../helpers/open-embedded-page";
import { openTestQueues } from "../helpers/test-queues";
import { screenshotEmbedded, startLoyaltyE2e, type LoyaltyE2e } from "./loyalty-e2e-setup";

// Offline, Shopify's CDN fails; Vite's dev server (HMR off) refuses its own websocket.
let e2e: LoyaltyE2e;
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);

beforeAll(async () => {
  e2e = await startLoyaltyE2e();
}, 240_000);

afterAll(async () => {
  await e2e?.close();
  await jobs.close();
  await queues.cleanUp();
});

async function openAdmin(appPath: string, heading: string | RegExp) {
  const context = await e2e.browser.newContext({
    userAgent: DESKTOP_CHROME_UA,
    viewport: { width: 1280, height: 860 },
  });
  const page: Page = await context.newPage();
  const errors = collectDevServerErrors(page, `${appPath}: `);
  await page.goto(e2e.double.adminUrl(e2e.store.domain, appPath), { waitUntil: "domcontentloaded", timeout: 180_000 });
  const app = page.frameLocator("iframe");
  await app.getByRole("heading", { name: heading, exact: true }).first().waitFor({ timeout: 120_000 });
  return { page, app, errors };
}

describe("Automations pages", () => {
  it(
    "turns on win-back in one click, issues one code visible on Customer 360, and validates the editor",
    { timeout: 300_000 },
    async () => {
      // Given the list, when the win-back recipe is turned on
      const index = await openAdmin("/app/automations", "Automations");
      await index.app.getByRole("button", { name: "Turn on" }).first().click();
      await index.app.getByText("Win-back for at-risk customers is on").waitFor({ timeout: 60_000 });
      await index.app.getByRole("link", { name: "Win-back for at-risk customers" }).first().waitFor();
      await screenshotEmbedded(index.page, "automations-index.png");

      // When Ada crosses into at risk and the night's evaluation and run jobs are worked (twice)
      const ada = await e2e.db.customer.findFirstOrThrow({ where: { shopId: e2e.shop.id, firstName: "Ada" } });
      await e2e.db.lifecycleTransition.create({
        data: { shopId: e2e.shop.id, customerId: ada.id, fromStage: "new", toStage: "at_risk", at: new Date() },
      });
      const deps = loyaltyDepsFor(e2e.db, jobs, e2e.double.url);
      await evaluateShop(deps, e2e.shop.id);
      await evaluateShop(deps, e2e.shop.id);
      await runAutomationJobs(deps, ["execute-run"]);

      // Then exactly one code, and Customer 360 shows it
      const codes = await e2e.db.loyaltyRedemption.findMany({ where: { shopId: e2e.shop.id, pointsSpent: 0 } });
      expect(codes.map((c) => c.status)).toEqual(["issued"]);
      const view = await openAdmin(`/app/customers/${ada.shopifyId}`, /Ada/);
      await view.app.getByText(codes[0]!.discountCode).first().waitFor({ timeout: 60_000 });
      await screenshotEmbedded(view.page, "automations-customer-360.png");

      // When a new rule is saved with an N-th order of 1 and an empty tag
      const editor = await openAdmin("/app/automations/new", "New automation");
      // (Until the page has hydrated, a choice does not reach React: choose until it shows.)
      await expect
        .poll(
          async () => {
            await editor.app.getByLabel("Event").selectOption("nth_order");
            return editor.app.getByLabel("Order number").count();
          },
          { timeout: 60_000, interval: 1_000 },
        )
        .toBe(1);
      await editor.app.getByLabel("Name").fill("Third order thanks");
      await editor.app.getByLabel("Order number").fill("1");
      await editor.app.getByLabel("Action 1").selectOption("tag");
      await editor.app.getByRole("button", { name: "Save" }).first().click();

      // Then each field says what is wrong
      await editor.app.getByText("2 or more (the first order has its own event)").waitFor({ timeout: 30_000 });
      await editor.app.getByText("Enter a tag").waitFor();
      await editor.app.getByText("The automation was not saved").waitFor();
      await screenshotEmbedded(editor.page, "automations-editor-errors.png");

      // When fixed, counted (dry-run) and saved, the rule's page opens, switched off
      await editor.app.getByLabel("Order number").fill("3");
      await editor.app.getByLabel("Tag", { exact: true }).fill("kinship-third-order");
      await editor.app.getByRole("button", { name: "Count customers" }).click();
      await editor.app.getByText(/Would reach \d+ customers? today/).waitFor({ timeout: 30_000 });
      await editor.app.getByRole("button", { name: "Save" }).first().click();
      await editor.app.getByRole("heading", { name: "Third order thanks" }).waitFor({ timeout: 60_000 });
      await editor.app.getByText("Run log").waitFor();
      await screenshotEmbedded(editor.page, "automations-editor.png");
      const saved = await e2e.db.automationRule.findFirstOrThrow({
        where: { shopId: e2e.shop.id, name: "Third order thanks" },
      });
      expect(saved).toMatchObject({ enabled: false, trigger: { type: "nth_order", n: 3 } });
      expect(view.errors).toEqual([]);
      expect([...index.errors, ...editor.errors]).toEqual([]);
    },
  );
});
