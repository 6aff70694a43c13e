// A staff member's path through Kinship in headless Chromium, inside the double's admin (issue 7):
// the dashboard → Customers from the admin's nav → filter on the "At risk" lifecycle stage →
// open one → adjust their points with a reason → back to the filtered list → "Create segment from
// filter" → save it → export its members as CSV. Only the first page is loaded by URL; the rest
// is clicks and typing. Each page is photographed to test-results/staff-path-<n>-<page>.png.
//
// The shop: the loyalty e2e harness (app on Vite's dev server, Shopify double, loyalty program)
// plus 24 members delivered as webhooks with order histories (test/helpers/staff-path-store.ts),
// then a real analytics run: six of them end up at risk.
import path from "node:path";

import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { runShopAnalytics } from "../../app/crm/analytics/run-shop-analytics.server";
import { createJobQueues } from "../../app/jobs/job-queues.server";
import { logger } from "../../app/lib/logger.server";
import { createSegmentsProcessor } from "../../workers/processors/segments.processor";
import { loyaltyDepsFor } from "../helpers/loyalty-test-setup";
import { DESKTOP_CHROME_UA, collectDevServerErrors } from "../helpers/open-embedded-page";
import { ROOT } from "../helpers/spawn-tsx";
import { addStaffPathCustomers, type StaffPathCustomer } from "../helpers/staff-path-store";
import { openTestQueues } from "../helpers/test-queues";
import { screenshotEmbedded, startLoyaltyE2e, type LoyaltyE2e } from "./loyalty-e2e-setup";

// Offline, Shopify's CDN fails; Vite's dev server (HMR off) refuses its own websocket.
const AT_RISK_RULE = { combinator: "and", conditions: [{ field: "lifecycleStage", op: "in", values: ["at_risk"] }] };
const ADJUSTMENT = { points: 120, reason: "Sorry about the late parcel" };

let e2e: LoyaltyE2e;
let customers: StaffPathCustomer[];
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);

beforeAll(async () => {
  e2e = await startLoyaltyE2e();
  const deps = loyaltyDepsFor(e2e.db, jobs, e2e.double.url);
  customers = await addStaffPathCustomers(deps, e2e.double, e2e.store.domain);
  const run = await runShopAnalytics({ db: e2e.db, logger }, e2e.store.domain, "test");
  if (run.status !== "succeeded") throw new Error(`analytics run ${run.status}`);
}, 300_000);

afterAll(async () => {
  await e2e?.close();
  await jobs.close();
  await queues.cleanUp();
});

/** Opens the admin on `appPath` (the one URL load of the path), collecting the app's console errors. */
async function openAdmin(appPath: string) {
  const context = await e2e.browser.newContext({
    userAgent: DESKTOP_CHROME_UA,
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
    // The charts draw without animation, so a screenshot shows them finished.
    reducedMotion: "reduce",
  });
  const page: Page = await context.newPage();
  const errors = collectDevServerErrors(page);
  await page.goto(e2e.double.adminUrl(e2e.store.domain, appPath), { waitUntil: "domcontentloaded", timeout: 180_000 });
  return { page, app: page.frameLocator("iframe"), errors };
}

/** The app's frame: its document, for what a locator cannot ask (URL, hydration). */
function appFrame(page: Page) {
  return page.frames().find((candidate) => candidate !== page.mainFrame())!;
}

/** Waits for React to hydrate the page (before it, a click on a server-rendered control does nothing). */
async function hydrated(page: Page) {
  await appFrame(page).waitForFunction(
    () => {
      const controls = [...document.querySelectorAll("input, button")];
      return (
        controls.length > 0 &&
        controls.every((control) => Object.keys(control).some((key) => key.startsWith("__reactFiber")))
      );
    },
    null,
    { timeout: 90_000 },
  );
}

/** The text of each body row's cell `column` (0 is the selection checkbox) of the app's index table. */
async function columnTexts(app: FrameLocator, column: number): Promise<string[]> {
  const rows = app.locator("table tbody tr");
  const texts: string[] = [];
  for (let i = 0; i < (await rows.count()); i++)
    texts.push((await rows.nth(i).locator("td").nth(column).innerText()).trim());
  return texts;
}

/** RFC 4180 rows (quoted fields may hold commas and doubled quotes). */
function csvRows(text: string): string[][] {
  return text
    .trim()
    .split("\r\n")
    .map((line) =>
      [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map(([, field]) =>
        field!.startsWith('"') ? field!.slice(1, -1).replaceAll('""', '"') : field!,
      ),
    );
}

const pointsOf = (text: string) => Number(/([\d,]+) points/.exec(text)![1]!.replace(/,/g, ""));

describe("a staff member's path", () => {
  it(
    "dashboard → customers at risk → one customer → adjust points → segment from the filter → CSV export",
    { timeout: 420_000 },
    async () => {
      const { db, shop } = e2e;
      const atRisk = customers.filter((customer) => customer.expectedStage === "at_risk");
      const scoredAtRisk = await db.customerScore.findMany({
        where: { shopId: shop.id, lifecycleStage: "at_risk" },
        include: { customer: true },
      });
      // (The analytics put at risk exactly the customers whose last order is 180–365 days old.)
      expect(scoredAtRisk.map((score) => Number(score.customer.shopifyId)).sort()).toEqual(
        atRisk.map((customer) => customer.shopifyId).sort(),
      );

      // 1. Given the dashboard, where the lifecycle card counts the customers at risk
      const { page, app, errors } = await openAdmin("/app");
      // On a failure, the page as it was: test-results/staff-path-failure.png.
      onTestFailed(() =>
        page
          .screenshot({ path: path.join(ROOT, "test-results/staff-path-failure.png"), fullPage: true })
          .then(() => undefined),
      );
      await app.getByRole("heading", { name: "Dashboard", exact: true }).waitFor({ timeout: 180_000 });
      const lifecycleTable = app
        .getByRole("table")
        .filter({ has: app.getByRole("columnheader", { name: "Share", exact: true }) });
      const atRiskStageRow = lifecycleTable
        .getByRole("row")
        .filter({ has: app.getByRole("rowheader", { name: "At risk", exact: true }) });
      await expect(atRiskStageRow.getByRole("cell").first().innerText()).resolves.toBe(String(atRisk.length));
      await hydrated(page);
      // (The charts load after hydration; the lifecycle chart is drawn before the picture.)
      await app
        .getByRole("figure", { name: "Customers per lifecycle stage" })
        .locator("svg")
        .first()
        .waitFor({ timeout: 60_000 });
      await screenshotEmbedded(page, "staff-path-1-dashboard.png");

      // 2. When staff open Customers from the admin's navigation
      await page.locator("#app-nav").getByRole("link", { name: "Customers" }).click();
      const everyone = await db.customer.count({ where: { shopId: shop.id, deletedAt: null } });
      await app.getByText(`${everyone} customers`, { exact: true }).first().waitFor({ timeout: 120_000 });
      await hydrated(page);

      // And filter on the lifecycle stage "At risk"
      await app.getByRole("button", { name: "Search and filter results" }).click();
      await app.getByRole("button", { name: "Add filter" }).click();
      await app.getByRole("menuitem", { name: "Lifecycle stage" }).click();
      // (The box ticks once the list has reloaded for the new URL: the filter state lives in it.)
      await app.getByRole("checkbox", { name: "At risk" }).click();
      await expect
        .poll(() => app.getByRole("checkbox", { name: "At risk" }).isChecked(), { timeout: 60_000 })
        .toBe(true);
      // (A click outside closes the choice list; Escape would also leave the filter bar and hide its pills.)
      await app.getByRole("heading", { name: "Customers", exact: true }).first().click();

      // Then the list narrows to them, and every row says "At risk"
      await app.getByText(`${atRisk.length} customers`, { exact: true }).first().waitFor({ timeout: 60_000 });
      await app.getByText("Lifecycle stage: At risk").first().waitFor();
      await expect.poll(() => app.locator("table tbody tr").count(), { timeout: 30_000 }).toBe(atRisk.length);
      expect(await columnTexts(app, 7)).toEqual(Array(atRisk.length).fill("At risk"));
      expect(new URL(appFrame(page).url()).searchParams.get("stage")).toBe("at_risk");
      const listedNames = (await columnTexts(app, 1)).map((cell) => cell.split("\n")[0]!.trim());
      expect([...listedNames].sort()).toEqual(atRisk.map((customer) => customer.name).sort());
      await screenshotEmbedded(page, "staff-path-2-customers-at-risk.png");

      // 3. When one of them is opened
      const chosen = atRisk.find((customer) => customer.name === listedNames[0])!;
      await app.getByRole("link", { name: chosen.name, exact: true }).click();

      // Then Customer 360 shows that customer, at risk, with their loyalty balance
      await app.getByRole("heading", { name: chosen.name, exact: true }).waitFor({ timeout: 120_000 });
      await app.getByText(chosen.email).first().waitFor();
      await app.getByText("At risk", { exact: true }).first().waitFor();
      await app.getByText("Adjust points", { exact: true }).first().waitFor({ timeout: 60_000 });
      await hydrated(page);
      const balance = app.getByText(/^[\d,]+ points$/).first();
      const before = pointsOf(await balance.innerText());
      const member = await db.loyaltyMember.findFirstOrThrow({
        where: { shopId: shop.id, customer: { shopifyId: BigInt(chosen.shopifyId) } },
      });
      expect(before).toBe(member.pointsBalance);
      const entriesBefore = await db.loyaltyLedgerEntry.count({ where: { memberId: member.id } });

      // 4. When staff add points with a reason
      await app.getByLabel("Points", { exact: true }).fill(String(ADJUSTMENT.points));
      await app.getByLabel("Reason", { exact: true }).fill(ADJUSTMENT.reason);
      await app.getByRole("button", { name: "Adjust points", exact: true }).click();

      // Then the balance moves by exactly the adjustment and the ledger shows the reason
      await expect
        .poll(async () => pointsOf(await balance.innerText()), { timeout: 60_000 })
        .toBe(before + ADJUSTMENT.points);
      const ledgerRow = app.getByRole("row").filter({ hasText: ADJUSTMENT.reason });
      await expect(ledgerRow.first().innerText()).resolves.toContain(`+${ADJUSTMENT.points}`);
      await expect(app.getByLabel("Points", { exact: true }).inputValue()).resolves.toBe("");
      await screenshotEmbedded(page, "staff-path-3-customer-360.png");

      // And the database holds one new ledger entry and one audit entry for it
      const newEntries = await db.loyaltyLedgerEntry.findMany({
        where: { memberId: member.id },
        orderBy: { id: "asc" },
        skip: entriesBefore,
      });
      expect(newEntries.map(({ kind, points, reason }) => ({ kind, points, reason }))).toEqual([
        { kind: "adjust", points: ADJUSTMENT.points, reason: ADJUSTMENT.reason },
      ]);
      const adjustedAudit = await db.staffAuditEntry.findMany({
        where: { shopId: shop.id, action: "points.adjusted" },
      });
      expect(adjustedAudit).toHaveLength(1);
      expect(adjustedAudit[0]!.customerId).toBe(member.customerId);
      expect(adjustedAudit[0]!.details).toMatchObject({ points: ADJUSTMENT.points, reason: ADJUSTMENT.reason });
      await expect(
        db.loyaltyMember.findUniqueOrThrow({ where: { id: member.id } }).then((m) => m.pointsBalance),
      ).resolves.toBe(before + ADJUSTMENT.points);

      // 5. When staff go back to the filtered list (the browser's Back)
      await page.goBack();
      await app.getByText(`${atRisk.length} customers`, { exact: true }).first().waitFor({ timeout: 120_000 });
      await app.getByText("Lifecycle stage: At risk").first().waitFor();
      await hydrated(page);

      // And create a segment from the filter
      await app.getByRole("link", { name: "Create segment from filter" }).click();
      await app.getByRole("heading", { name: "New segment", exact: true }).waitFor({ timeout: 120_000 });

      // Then the builder holds the at-risk rule and counts as many customers as the list showed
      await app.getByText(`${atRisk.length} customers match now`).waitFor({ timeout: 60_000 });
      await expect(app.getByLabel("Field").first().inputValue()).resolves.toBe("lifecycleStage");
      await expect(app.getByRole("checkbox", { name: "At risk" }).isChecked()).resolves.toBe(true);
      await hydrated(page);
      await app.getByLabel("Name").fill("At-risk members");
      await screenshotEmbedded(page, "staff-path-4-segment-builder.png");
      await app.getByRole("button", { name: "Create segment" }).click();

      // And once saved, the segment's page opens; the database has the rule and an audit entry
      await app.getByRole("heading", { name: "At-risk members", exact: true }).waitFor({ timeout: 120_000 });
      const segment = await db.segment.findFirstOrThrow({ where: { shopId: shop.id, name: "At-risk members" } });
      expect(segment.filter).toEqual(AT_RISK_RULE);
      const createdAudit = await db.staffAuditEntry.findMany({ where: { shopId: shop.id, action: "segment.created" } });
      expect(createdAudit.map((entry) => entry.details)).toEqual([expect.objectContaining({ segmentId: segment.id })]);

      // When the worker computes it (its queued job, run here), then the page shows the members
      await runQueuedSegmentJobs();
      await app.getByRole("link", { name: "Segments", exact: true }).first().click();
      await app.getByRole("link", { name: "At-risk members" }).click();
      await app.getByRole("heading", { name: "Member history" }).waitFor({ timeout: 120_000 });
      const memberCount = app
        .getByRole("heading", { name: "Members", exact: true })
        .locator("xpath=following-sibling::p[1]");
      await expect(memberCount.innerText()).resolves.toBe(String(atRisk.length));
      await expect.poll(() => app.getByText("Entered", { exact: true }).count()).toBe(atRisk.length);
      const members = await db.segmentMember.findMany({
        where: { segmentId: segment.id },
        include: { customer: true },
      });
      expect(members.map((m) => Number(m.customer.shopifyId)).sort()).toEqual(
        atRisk.map((customer) => customer.shopifyId).sort(),
      );
      await hydrated(page);
      await screenshotEmbedded(page, "staff-path-5-segment.png");

      // 6. When staff export it
      const download = page.waitForEvent("download", { timeout: 60_000 });
      await app
        .getByRole("button", { name: "Export CSV" })
        .or(app.getByRole("link", { name: "Export CSV" }))
        .click();
      const file = await download;

      // Then a CSV arrives whose rows are exactly the segment's members
      const csv = await new Response((await file.createReadStream()) as unknown as ReadableStream<Uint8Array>).text();
      const [columns, ...lines] = csvRows(csv);
      expect(columns![0]).toBe("shopify_customer_id");
      expect(lines.map((line) => Number(line[0])).sort()).toEqual(atRisk.map((customer) => customer.shopifyId).sort());
      const stageColumn = columns!.indexOf("lifecycle_stage");
      expect(stageColumn).toBeGreaterThan(0);
      expect(lines.map((line) => line[stageColumn])).toEqual(Array(atRisk.length).fill("at_risk"));
      // (The adjusted customer's row carries the new balance.)
      const chosenLine = lines.find((line) => line[0] === String(chosen.shopifyId))!;
      expect(Number(chosenLine[columns!.indexOf("points")])).toBe(before + ADJUSTMENT.points);
      const exportedAudit = await db.staffAuditEntry.findMany({
        where: { shopId: shop.id, action: "segment.exported" },
      });
      expect(exportedAudit.map((entry) => entry.details)).toEqual([{ segmentId: segment.id }]);

      expect(errors).toEqual([]);
    },
  );
});

/** Runs the segments jobs the app queued (the recompute after saving), as the worker would. */
async function runQueuedSegmentJobs() {
  const deps = loyaltyDepsFor(e2e.db, jobs, e2e.double.url);
  const process = createSegmentsProcessor(deps);
  const queue = jobs.queue("segments");
  await expect
    .poll(async () => (await queue.getJobs(["waiting", "prioritized"])).map((job) => job.name), { timeout: 30_000 })
    .toContain("recompute-segments");
  for (const job of await queue.getJobs(["waiting", "prioritized"])) {
    if (job.name !== "recompute-segments") continue;
    await process(job as Parameters<typeof process>[0]);
    await job.remove();
  }
}
