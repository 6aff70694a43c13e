// The Segments pages in headless Chromium through the double's admin host: the builder opened
// from a Customers filter (?filter=), its live count, a field error from the server's zod check,
// saving, and the detail page with the member history. Screenshots go to test-results/.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { recomputeShopSegments } from "../../app/crm/segments/recompute-segments.server";
import { DESKTOP_CHROME_UA, collectDevServerErrors } from "../helpers/open-embedded-page";
import { loyaltyDepsFor } from "../helpers/loyalty-test-setup";
import { startLoyaltyE2e, screenshotEmbedded, type LoyaltyE2e } from "./loyalty-e2e-setup";
import { createJobQueues } from "../../app/jobs/job-queues.server";
import { openTestQueues } from "../helpers/test-queues";

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

async function openAdmin(appPath: string, heading: string) {
  const context = await e2e.browser.newContext({
    userAgent: DESKTOP_CHROME_UA,
    viewport: { width: 1280, height: 860 },
  });
  const page: Page = await context.newPage();
  const errors = collectDevServerErrors(page);
  await page.goto(e2e.double.adminUrl(e2e.store.domain, appPath), { waitUntil: "domcontentloaded", timeout: 180_000 });
  const app = page.frameLocator("iframe");
  await app.getByRole("heading", { name: heading, exact: true }).first().waitFor({ timeout: 120_000 });
  return { page, app, errors };
}

describe("Segments pages", () => {
  it(
    "builds a segment from a filter with a live count, refuses a bad amount, saves, and shows its history",
    {
      timeout: 300_000,
    },
    async () => {
      // Given the builder opened from a Customers filter: subscribed to e-mail, one order or more
      const filter = {
        combinator: "and",
        conditions: [
          { field: "emailConsent", op: "in", values: ["SUBSCRIBED"] },
          { field: "ordersCount", op: "gte", value: 1 },
        ],
      };
      const { page, app, errors } = await openAdmin(
        `/app/segments/new?filter=${encodeURIComponent(JSON.stringify(filter))}`,
        "New segment",
      );

      // Then the live count answers for the prefilled rule (Ada has the one order)
      await app.getByText("1 customer match now").waitFor({ timeout: 60_000 });

      // When an OR group with a bad amount is added and the form is saved
      await app.getByLabel("Name").fill("Engaged subscribers");
      await app.getByRole("button", { name: "Add group" }).click();
      await app.getByLabel("Field").last().selectOption("netSpent");
      await app.getByLabel("Amount").fill("12.345");
      await app.getByRole("button", { name: "Create segment" }).click();

      // Then the amount's own field says what is wrong
      await app.getByText("Enter an amount in EUR, like 25.00").waitFor({ timeout: 30_000 });
      await screenshotEmbedded(page, "segments-builder.png");

      // When the amount is fixed and saved, the detail page opens
      await app.getByLabel("Amount").fill("5");
      await app.getByRole("button", { name: "Create segment" }).click();
      await app.getByRole("heading", { name: "Engaged subscribers" }).waitFor({ timeout: 60_000 });
      const segment = await e2e.db.segment.findFirstOrThrow({
        where: { shopId: e2e.shop.id, name: "Engaged subscribers" },
      });
      expect(segment.handle).toBe("kinship-engaged-subscribers");

      // And once computed (the worker's job, run here), the history shows who entered
      const deps = loyaltyDepsFor(e2e.db, jobs, e2e.double.url);
      await recomputeShopSegments(deps, e2e.shop.id);
      await page.reload({ waitUntil: "load" });
      await app.getByRole("heading", { name: "Member history" }).waitFor({ timeout: 60_000 });
      await app.getByText("Entered").first().waitFor({ timeout: 30_000 });
      // (A fetch with the session token, not a link: see test/e2e/staff-path.e2e.test.ts for the download.)
      await app.getByRole("button", { name: "Export CSV" }).waitFor();
      await screenshotEmbedded(page, "segments-detail.png");

      // And the index lists it
      const index = await openAdmin("/app/segments", "Segments");
      await index.app.getByRole("link", { name: "Engaged subscribers" }).waitFor({ timeout: 30_000 });
      await screenshotEmbedded(index.page, "segments-index.png");
      expect([...errors, ...index.errors]).toEqual([]);
    },
  );
});
