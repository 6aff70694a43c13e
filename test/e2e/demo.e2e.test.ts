// The README's first command, end to end: `npm run demo` on a database of its own,
// opened in headless Chromium through the printed URL, shows the seeded figures
// inside the double's admin frame.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";

import type { Browser } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";

import { loadHomePage } from "../../app/crm/overview/home-page.server";
import { createPrismaClient } from "../../app/db.server";
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
  it("serves the embedded home page with the seeded figures, and stops cleanly", { timeout: 240_000 }, async () => {
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
    await expect(
      app.getByText(/Demo store import: .* customers and .* orders, finished/).textContent(),
    ).resolves.toContain(expected.lastSync!.customers);
    mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, "test-results/demo-home.png"), fullPage: true });
    expect(errors.filter((error) => !EXPECTED_OFFLINE_ERRORS.test(error))).toEqual([]);

    // And Ctrl-C stops every process with exit code 0
    demo.child.kill("SIGINT");
    expect((await demo.exited).code).toBe(0);
  });
});
