// Settings and the Dashboard on the demo, in headless Chromium through the double's admin host:
// a bad churn threshold is refused with its field error, a good one is saved and appears in the
// staff audit log, the full log opens, and the Dashboard shows sync, data health and the last
// computation. Screenshots go to test-results/.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPrismaClient } from "../../app/db.server";
import { dropDatabase } from "../../prisma/migrator";
import { DEMO_SHOP_DOMAIN } from "../../scripts/demo/demo-config";
import { freePort } from "../helpers/free-port";
import { launchChromium, openPage } from "../helpers/open-embedded-page";
import { appFrame } from "../helpers/page-quality";
import { ROOT, spawnTsx, type SpawnedProcess } from "../helpers/spawn-tsx";

const EXPECTED_OFFLINE_ERRORS = /cdn\.shopify\.com|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED/;

const databaseUrl = (() => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/kinship_e2e_${randomBytes(4).toString("hex")}`;
  return url.toString();
})();
let demo: SpawnedProcess | undefined;
let browser: Browser | undefined;
let adminUrl = "";

beforeAll(async () => {
  const [appPort, doublePort] = [await freePort(), await freePort()];
  demo = spawnTsx("scripts/demo.ts", {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DEMO_APP_PORT: String(appPort),
    DEMO_DOUBLE_PORT: String(doublePort),
    QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-settings`,
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

describe("Settings and Dashboard on the demo", () => {
  it("validates and saves analytics settings, audits the change, and shows the log", { timeout: 240_000 }, async () => {
    // Given the Settings page in the admin
    const { page, errors } = await openPage(browser!, `${adminUrl}/app/settings`);
    const app = page.frameLocator("iframe");
    await app.getByRole("heading", { name: "Settings", exact: true }).waitFor({ timeout: 60_000 });
    await expect(app.getByLabel("Medium risk from").inputValue()).resolves.toBe("0.3");

    // When high risk is set below medium risk and saved
    await app.getByLabel("High risk from").fill("0.2");
    await app.getByRole("button", { name: "Save", exact: true }).click();

    // Then the field says why and nothing is saved
    await app.getByText("High risk must start above medium risk").waitFor({ timeout: 30_000 });
    await screenshotApp(page, "settings-field-error.png");
    const db = createPrismaClient(databaseUrl);
    try {
      const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
      await expect(db.staffAuditEntry.count({ where: { shopId: shop.id } })).resolves.toBe(0);

      // When a valid threshold is saved
      await app.getByLabel("High risk from").fill("0.8");
      await app.getByRole("button", { name: "Save", exact: true }).click();

      // Then it is stored, the audit log shows the change, and Recalculate now is offered
      await app.getByText("Settings saved. They apply from the next analytics run.").waitFor({ timeout: 30_000 });
      await app.getByRole("cell", { name: "Changed settings" }).waitFor({ timeout: 30_000 });
      await expect(app.getByText("High risk from: 0.7 → 0.8, section: analytics").count()).resolves.toBe(1);
      const settings = await db.analyticsSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
      expect(settings.churnHighThreshold).toBe(0.8);
      await screenshotApp(page, "settings.png");
    } finally {
      await db.$disconnect();
    }

    // When the full log is opened
    await app.getByRole("link", { name: "View full log" }).click();
    await app.getByRole("heading", { name: "Staff audit log" }).waitFor({ timeout: 60_000 });
    await app.getByRole("cell", { name: "Changed settings" }).waitFor({ timeout: 30_000 });
    await screenshotApp(page, "settings-audit-log.png");
    expect(errors.filter((error) => !EXPECTED_OFFLINE_ERRORS.test(error))).toEqual([]);
  });

  it(
    "shows the Dashboard with last sync, last update, last computation and data health",
    { timeout: 120_000 },
    async () => {
      const { page, errors } = await openPage(browser!, `${adminUrl}/app`);
      const app = page.frameLocator("iframe");
      await app.getByRole("heading", { name: "Dashboard" }).waitFor({ timeout: 60_000 });
      await app.getByRole("heading", { name: "Sync and computation" }).waitFor({ timeout: 30_000 });
      await expect(
        app
          .getByText(
            /^(Demo store import|History import|Daily reconciliation): .* customers and .* orders, (finished|started)/,
          )
          .count(),
      ).resolves.toBe(1);
      await app.getByText(/^Analytics computed .* by the /).waitFor({ timeout: 60_000 });
      await app.getByRole("heading", { name: "Data health" }).waitFor();
      await screenshotApp(page, "dashboard.png");
      expect(errors.filter((error) => !EXPECTED_OFFLINE_ERRORS.test(error))).toEqual([]);
    },
  );
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
