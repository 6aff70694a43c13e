// The README's first command, end to end: `npm run demo` on a database of its own,
// opened in headless Chromium through the printed URL, shows the seeded figures and the
// computed analytics inside the double's admin frame; then the analytics' empty state, the
// merchant's Recalculate through the real workers, and the fallback of a shop with too few
// repeat customers. Screenshots go to test-results/.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";

import type { Browser, FrameLocator, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";

import { buildAnalyticsDashboard } from "../../app/crm/dashboard/analytics-dashboard";
import { recomputeCustomerAggregates } from "../../app/crm/profile/customer-aggregates.repository.server";
import { loadAnalyticsDashboardRows } from "../../app/crm/dashboard/analytics-dashboard.repository.server";
import { loadHomePage } from "../../app/crm/overview/home-page.server";
import { createPrismaClient, type PrismaClient } from "../../app/db.server";
import { dropDatabase } from "../../prisma/migrator";
import { DEMO_SHOP_DOMAIN } from "../../scripts/demo/demo-config";
import { freePort } from "../helpers/free-port";
import { launchChromium, openPage } from "../helpers/open-embedded-page";
import { ROOT, spawnTsx, type SpawnedProcess } from "../helpers/spawn-tsx";

// Offline, only Shopify's own CDN fails; anything else in the console is a defect.
const EXPECTED_OFFLINE_ERRORS = /cdn\.shopify\.com|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED/;

const databaseUrl = (() => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/kinship_e2e_${randomBytes(4).toString("hex")}`;
  return url.toString();
})();
let demo: SpawnedProcess | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  if (demo && demo.child.exitCode === null) {
    // SIGINT lets the demo stop its own children; SIGKILL only if it does not.
    demo.child.kill("SIGINT");
    const timer = setTimeout(() => demo?.child.kill("SIGKILL"), 20_000);
    await demo.exited;
    clearTimeout(timer);
  }
  await dropDatabase(databaseUrl);
});

describe("npm run demo", () => {
  it(
    "serves the embedded home page with the seeded figures and analytics, and stops cleanly",
    { timeout: 480_000 },
    async () => {
      // Given the demo started on its own database and ports
      const [appPort, doublePort] = [await freePort(), await freePort()];
      demo = spawnTsx("scripts/demo.ts", {
        ...process.env,
        DATABASE_URL: databaseUrl,
        DEMO_APP_PORT: String(appPort),
        DEMO_DOUBLE_PORT: String(doublePort),
        QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-demo`,
        LOG_LEVEL: "warn",
      });
      await demo.waitFor(/Open (http:\/\/\S+)/, 180_000);
      const url = /Open (http:\/\/\S+)/.exec(demo.output())![1]!;
      expect(url).toBe(`http://127.0.0.1:${doublePort}/store/kinship-demo/apps/kinship-demo-api-key`);

      // When a merchant opens the printed URL
      browser = await launchChromium();
      const { page, errors } = await openPage(browser, url);
      const app = page.frameLocator("iframe");

      // Then the app's home page shows the figures of the seeded shop
      const db = createPrismaClient(databaseUrl);
      const expected = (await loadHomePage(db, DEMO_SHOP_DOMAIN))!;
      await db.$disconnect();
      expect(Number(expected.figures.customers.replace(/,/g, ""))).toBeGreaterThan(2_000);
      // (The nav menu's "Dashboard" link is hidden, as App Bridge hides it; wait for the page heading.)
      await app.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60_000 });
      for (const value of Object.values(expected.figures)) {
        await expect(app.getByText(value, { exact: true }).first().textContent()).resolves.toBe(value);
      }
      await expectLastSyncFinished(page, app, expected.lastSync!.customers);
      mkdirSync(path.join(ROOT, "test-results"), { recursive: true });

      // And the analytics the demo computed at start, with real figures and when they were computed
      const analyticsDb = createPrismaClient(databaseUrl);
      try {
        await expectAnalyticsShown(analyticsDb, app);
        await screenshotApp(page, "demo-home.png");

        // When the shop's analytics are gone, the empty state offers Recalculate; the workers run it
        await clearShopAnalytics(analyticsDb);
        await page.reload({ waitUntil: "load" });
        await app.getByText("Customer analytics are not computed yet").waitFor({ timeout: 60_000 });
        await screenshotApp(page, "demo-analytics-empty.png");
        await app.getByRole("button", { name: "Recalculate now" }).click();
        await app
          .getByText(/Recalculation queued|Recalculating/)
          .first()
          .waitFor({ timeout: 30_000 });
        await screenshotApp(page, "demo-analytics-progress.png");
        await app.getByRole("heading", { name: "Customer analytics" }).waitFor({ timeout: 120_000 });
        await expectAnalyticsShown(analyticsDb, app);

        // And with too few repeat customers, a recalculation falls back and says so
        await keepTenRepeatCustomers(analyticsDb);
        await app.getByRole("button", { name: "Recalculate", exact: true }).click();
        await app
          .getByText("Not enough repeat customers to fit the lifetime value model yet")
          .waitFor({ timeout: 120_000 });
        await screenshotApp(page, "demo-analytics-fallback.png");
      } finally {
        await analyticsDb.$disconnect();
      }
      expect(errors.filter((error) => !EXPECTED_OFFLINE_ERRORS.test(error))).toEqual([]);

      // And Ctrl-C stops every process with exit code 0
      demo.child.kill("SIGINT");
      expect((await demo.exited).code).toBe(0);
    },
  );
});

/** The app scrolls inside the admin's iframe: the window is made as tall as the app for the picture. */
// The last sync is the demo's seed, or, once the first open's install has started it, the history
// import of the same store from the double (it may still be running when the page first loads).
async function expectLastSyncFinished(page: Page, app: FrameLocator, customers: string) {
  const lastSync = app.getByText(/(Demo store import|History import): .* customers and .* orders, (finished|started)/);
  const deadline = Date.now() + 120_000;
  let text = (await lastSync.textContent()) ?? "";
  while (!text.includes(", finished") && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await page.reload({ waitUntil: "load" });
    text =
      (await lastSync.textContent({ timeout: 60_000 }).catch((error: Error) => whatThePageShows(page, error))) ?? "";
  }
  expect(text).toMatch(/, finished/);
  expect(text).toContain(`${customers} customers`);
}

/** A page without the last sync, pictured, and its text in the error: CI keeps only the output. */
async function whatThePageShows(page: Page, error: Error): Promise<never> {
  mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
  await page.screenshot({ path: path.join(ROOT, "test-results", "demo-home-no-last-sync.png"), fullPage: true });
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
  const shown = await (frame ?? page.mainFrame()).evaluate(() => document.body.innerText).catch(String);
  throw new Error(
    `${error.message}\nThe app showed:\n${shown.slice(0, 2_000)}\nThe demo printed:\n${demo?.output().slice(-3_000)}`,
  );
}

async function screenshotApp(page: Page, name: string) {
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame())!;
  const appHeight = await frame.evaluate(() => document.documentElement.scrollHeight);
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: viewport.width, height: Math.min(appHeight + 120, 8_000) });
  await page.waitForTimeout(800); // the charts redraw for their new size
  await page.screenshot({ path: path.join(ROOT, "test-results", name), fullPage: true });
  await page.setViewportSize(viewport);
}

async function expectAnalyticsShown(db: PrismaClient, app: FrameLocator) {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
  const rows = await loadAnalyticsDashboardRows(db, shop);
  const latest = buildAnalyticsDashboard(rows, {
    currencyCode: shop.currencyCode,
    timeZone: shop.ianaTimezone,
  }).latest!;
  expect(latest, "the demo computed its analytics").toBeTruthy();
  expect(Number(latest.customers.replace(/,/g, ""))).toBeGreaterThan(2_000);
  await app.getByRole("heading", { name: "Customer analytics" }).waitFor({ timeout: 60_000 });
  const text = async (value: string | RegExp) => (await app.getByText(value).first().textContent()) ?? "";
  await expect(text(/^Computed .* by the /)).resolves.toContain(latest.computedAt);
  // KPI cards of the first period, every one with its value
  const kpis = latest.kpis[0]!;
  await expect(text(`Key figures · ${kpis.label}`)).resolves.toBeTruthy();
  for (const card of kpis.cards) {
    const tile = app.getByRole("group", { name: card.label, exact: true });
    await expect(tile.textContent()).resolves.toContain(card.value);
  }
  // RFM tiles, lifecycle, CLV, cohorts and the model
  for (const tile of latest.segments.filter((entry) => entry.customers !== "0").slice(0, 3)) {
    const box = app.getByRole("group", { name: tile.segment, exact: true });
    await expect(box.textContent()).resolves.toContain(
      `${tile.customerShare} of customers · ${tile.revenueShare} of revenue`,
    );
  }
  const top = latest.clv.topCustomers[0]!;
  const topRow = app.getByRole("row", { name: new RegExp(`^${top.name} `) });
  await expect(topRow.first().textContent()).resolves.toContain(top.clv);
  const cohort = latest.cohorts.rows.at(-1)!;
  await expect(app.getByRole("rowheader", { name: cohort.cohort }).count()).resolves.toBe(1);
  if (latest.model.kind === "fitted") {
    await expect(text("BG/NBD (repeat purchases and P(alive))")).resolves.toBeTruthy();
    await expect(text(`Log-likelihood ${latest.model.bgNbd.logLikelihood}`)).resolves.toBeTruthy();
  }
  // The charts render in the browser (polaris-viz), not only their skeletons
  for (const label of ["Customers per lifecycle stage", "Customers per predicted CLV band"]) {
    await app.locator(`[role="figure"][aria-label="${label}"] svg`).first().waitFor({ timeout: 30_000 });
  }
}

async function clearShopAnalytics(db: PrismaClient) {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
  await db.$transaction([
    db.lifecycleTransition.deleteMany({ where: { shopId: shop.id } }),
    db.customerScore.deleteMany({ where: { shopId: shop.id } }),
    db.kpiSnapshot.deleteMany({ where: { shopId: shop.id } }),
    db.cohortRetention.deleteMany({ where: { shopId: shop.id } }),
    db.analyticsRun.deleteMany({ where: { shopId: shop.id } }),
  ]);
}

/** Cancels every repeat order but those of ten customers: below the model's minimum of repeat buyers. */
async function keepTenRepeatCustomers(db: PrismaClient) {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
  await db.$executeRaw`
    UPDATE orders SET cancelled_at = processed_at
    WHERE id IN (
      SELECT id FROM (
        SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY processed_at, id) AS nth,
               dense_rank() OVER (ORDER BY customer_id) AS customer_rank
        FROM orders WHERE shop_id = ${shop.id} AND cancelled_at IS NULL AND customer_id IS NOT NULL
      ) AS ranked
      WHERE nth > 1 AND customer_rank > 10
    )`;
  // So the home page's own figures (from the customers' aggregates) tell the same story.
  await recomputeCustomerAggregates(db, shop.id);
}
