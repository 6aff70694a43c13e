// Loyalty end to end in headless Chromium against the real app (Vite dev server) and the Shopify
// double: the storefront launcher of the theme app extension through the signed app proxy, and
// every admin loyalty page inside the double's admin frame, bad input included, and the
// launcher's "Picked for you" products once the shop's co-purchases are mined. Screenshots go
// to test-results/loyalty-*.png.
import path from "node:path";

import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { mineShopRecommendations } from "../../app/crm/recommendations/mine-recommendations.server";
import { logger } from "../../app/lib/logger.server";
import { DESKTOP_CHROME_UA, isPreHydrationStyleWarning } from "../helpers/open-embedded-page";
import { seedCoPurchases } from "../helpers/seed-co-purchases";
import { ROOT } from "../helpers/spawn-tsx";
import { testDatabaseUrl } from "../helpers/test-database";
import { discountsOf } from "../shopify-double/discounts";
import { screenshotEmbedded, startLoyaltyE2e, type LoyaltyE2e } from "./loyalty-e2e-setup";

// Offline, only Shopify's own CDN fails.
const EXPECTED_OFFLINE_ERRORS = /cdn\.shopify\.com|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED/;
let e2e: LoyaltyE2e;

beforeAll(async () => {
  e2e = await startLoyaltyE2e();
}, 180_000);

afterAll(async () => {
  await e2e?.close();
});

async function newPage(url: string, prepare?: (page: Page) => Promise<unknown>) {
  const context = await e2e.browser.newContext({
    userAgent: DESKTOP_CHROME_UA,
    viewport: { width: 1280, height: 860 },
  });
  const page = await context.newPage();
  await prepare?.(page);
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error" || EXPECTED_OFFLINE_ERRORS.test(message.text())) return;
    if (!isPreHydrationStyleWarning(message.text())) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  await page.goto(url, { waitUntil: "load" });
  return { page, errors };
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ROOT, "test-results", name) });

describe("storefront launcher (theme app extension)", () => {
  it(
    "shows a logged-in shopper's balance and tier, redeems a reward into a code, and closes on Escape",
    { timeout: 120_000 },
    async () => {
      // Given Ada, logged in, with 309 points (50 sign-up + 259 earned on her order, which is what tiers count): Silver
      const ada = e2e.store.customers[0]!;
      const { page, errors } = await newPage(`${e2e.storefrontUrl}/?customer=${ada.id}`);
      const launcher = page.getByRole("button", { name: "Rewards" });
      await expect(launcher.getAttribute("aria-expanded")).resolves.toBe("false");

      // When she opens the launcher
      await launcher.click();
      const panel = page.getByRole("dialog", { name: "Rewards" });
      await panel.getByText("309", { exact: true }).waitFor({ timeout: 60_000 });
      // Then the panel shows balance, tier, progress to Gold, rewards and her referral link
      await expect(launcher.getAttribute("aria-expanded")).resolves.toBe("true");
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("kl-title");
      await expect(panel.getByText("Tier: Silver").count()).resolves.toBe(1);
      await expect(panel.getByText("741 more points to reach Gold").count()).resolves.toBe(1);
      await expect(panel.getByText("For Gold members").count()).resolves.toBe(1);
      await expect(panel.getByRole("textbox", { name: "Your referral link" }).inputValue()).resolves.toMatch(
        new RegExp(`^https://${e2e.store.domain.replace(/\./g, "\\.")}/\\?kinship_ref=`),
      );
      await shot(page, "loyalty-widget-member.png");

      // When she redeems "5 EUR off"
      await panel
        .getByRole("listitem")
        .filter({ has: page.getByText("5 EUR off", { exact: true }) })
        .getByRole("button", { name: "Redeem" })
        .click();
      // Then her code is shown, exists in Shopify for her only, and her balance is 100 points lower
      const code = panel.getByRole("textbox", { name: "Your discount code" });
      await code.waitFor({ timeout: 30_000 });
      const value = await code.inputValue();
      expect(value).toMatch(/^KIN-[0-9A-Z]+-[A-Z2-9]{2}$/);
      await expect(panel.getByText("209", { exact: true }).count()).resolves.toBe(1);
      const issued = discountsOf(e2e.store.domain).find((discount) => discount.code === value);
      expect(issued?.input).toMatchObject({ context: { customers: { add: [`gid://shopify/Customer/${ada.id}`] } } });
      await shot(page, "loyalty-widget-redeemed.png");

      // When she gives her birthday (1 January: always past this year), the yearly bonus is paid at once
      await panel.getByRole("combobox", { name: "Birthday month" }).selectOption("1");
      await panel.getByRole("spinbutton", { name: "Birthday day" }).fill("1");
      await panel.getByRole("button", { name: "Save" }).click();
      await panel.getByText("Happy birthday! 20 points added.").waitFor({ timeout: 30_000 });
      await expect(panel.getByText("229", { exact: true }).count()).resolves.toBe(1);
      await expect(panel.getByRole("button", { name: "Save" }).count()).resolves.toBe(0);

      // When she presses Escape, the panel closes and focus returns to the launcher
      await page.keyboard.press("Escape");
      await expect(panel.isHidden()).resolves.toBe(true);
      await expect(launcher.getAttribute("aria-expanded")).resolves.toBe("false");
      await expect(page.evaluate(() => document.activeElement?.className)).resolves.toContain("kl-launcher");
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it("tells a logged-out visitor how to join", { timeout: 60_000 }, async () => {
    const { page, errors } = await newPage(`${e2e.storefrontUrl}/`);
    await page.getByRole("button", { name: "Rewards" }).click();
    const panel = page.getByRole("dialog", { name: "Rewards" });
    await panel
      .getByText(/Join our rewards: earn 10 points for every EUR you spend, and 50 points when you sign up/)
      .waitFor({
        timeout: 30_000,
      });
    await expect(panel.getByRole("link", { name: "Sign in or create an account" }).getAttribute("href")).resolves.toBe(
      "/account/login",
    );
    await expect(panel.getByRole("button", { name: "Redeem" }).count()).resolves.toBe(0);
    // Nothing mined yet in this shop: no products to show, so no section
    await expect(page.locator(".kl-picks").isHidden()).resolves.toBe(true);
    await shot(page, "loyalty-widget-logged-out.png");
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe("admin loyalty pages (embedded)", () => {
  async function openAdmin(appPath: string, heading: string) {
    const opened = await newPage(e2e.double.adminUrl(e2e.store.domain, appPath));
    const app = opened.page.frameLocator("iframe");
    await app.getByRole("heading", { name: heading, exact: true }).first().waitFor({ timeout: 90_000 });
    return { ...opened, app };
  }

  async function submitAndExpectError(app: FrameLocator, button: string, message: string) {
    await app.getByRole("button", { name: button }).click();
    await app.getByText(message).first().waitFor({ timeout: 30_000 });
  }

  it("shows the program KPIs with the liability in money, and links to every page", { timeout: 180_000 }, async () => {
    const { page, app, errors } = await openAdmin("/app/loyalty", "Loyalty");
    const kpi = (label: string) => app.getByRole("group", { name: label, exact: true }).textContent();
    await expect(kpi("Members")).resolves.toContain("2");
    // Outstanding points at the best fixed-amount rate of the catalogue (15 EUR per 200 points)
    const members = await e2e.db.loyaltyMember.findMany({ where: { shopId: e2e.shop.id } });
    const outstanding = members.reduce((total, member) => total + member.pointsBalance, 0);
    const liabilityCents = Math.round((outstanding * 1500) / 200);
    await expect(kpi("Outstanding liability")).resolves.toContain(`€${(liabilityCents / 100).toFixed(2)}`);
    await expect(kpi("Outstanding liability")).resolves.toContain(`${outstanding} points unspent`);
    await expect(kpi("Revenue from members")).resolves.toContain("€25.98");
    await expect(app.getByRole("link", { name: "Ada Tester" }).count()).resolves.toBe(1);
    await screenshotEmbedded(page, "loyalty-admin-program.png");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("saves settings and shows a field error for a negative earn rate", { timeout: 120_000 }, async () => {
    const { page, app, errors } = await openAdmin("/app/loyalty/settings", "Loyalty settings");
    await app.getByLabel("Points per 1 EUR").fill("-5");
    await submitAndExpectError(app, "Save", "Points per unit must be at least 0");
    await screenshotEmbedded(page, "loyalty-admin-settings-error.png");
    await app.getByLabel("Points per 1 EUR").fill("12");
    await app.getByRole("button", { name: "Save" }).click();
    await app.getByText("Settings saved").waitFor({ timeout: 30_000 });
    expect((await e2e.db.loyaltyProgram.findUniqueOrThrow({ where: { shopId: e2e.shop.id } })).settings).toMatchObject({
      earn: { pointsPerCurrencyUnit: 12 },
    });
    await screenshotEmbedded(page, "loyalty-admin-settings.png");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("refuses a tier threshold that is not a number, and adds a valid tier", { timeout: 120_000 }, async () => {
    const { page, app, errors } = await openAdmin("/app/loyalty/tiers", "Tiers");
    const form = app.locator("form").filter({ hasText: "Add a tier" });
    await form.getByLabel("Name").fill("Platinum");
    await form.getByLabel("Points to reach").fill("lots");
    await submitAndExpectError(app, "Add tier", "Threshold must be a whole number of points");
    await screenshotEmbedded(page, "loyalty-admin-tiers-error.png");
    await form.getByLabel("Points to reach").fill("5000");
    await app.getByRole("button", { name: "Add tier" }).click();
    await app.getByRole("heading", { name: "Platinum" }).waitFor({ timeout: 30_000 });
    await screenshotEmbedded(page, "loyalty-admin-tiers.png");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("refuses a negative points cost for a reward", { timeout: 120_000 }, async () => {
    const { page, app, errors } = await openAdmin("/app/loyalty/rewards", "Rewards");
    const form = app.locator("form").filter({ hasText: "Add a reward" });
    await form.getByLabel("Title").fill("2 EUR off");
    await form.getByLabel("Points cost").fill("-5");
    await form.getByLabel("Amount off (EUR)").fill("2");
    await submitAndExpectError(app, "Add reward", "Points cost must be at least 1");
    await screenshotEmbedded(page, "loyalty-admin-rewards-error.png");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it(
    "shows a member's ledger and records a staff adjustment, refusing one without a reason",
    { timeout: 120_000 },
    async () => {
      const ada = e2e.store.customers[0]!;
      const { page, app, errors } = await openAdmin(`/app/loyalty/members/${ada.id}`, "Ada Tester");
      await app.getByRole("cell", { name: "Sign-up bonus" }).waitFor();
      await app.getByLabel("Points").fill("15");
      await submitAndExpectError(app, "Adjust", "Say why: the reason is kept in the ledger");
      await screenshotEmbedded(page, "loyalty-admin-member-error.png");
      // A refused form keeps what was typed
      await expect(app.getByLabel("Points").inputValue()).resolves.toBe("15");
      await app.getByLabel("Reason").fill("Parcel arrived late");
      await app.getByRole("button", { name: "Adjust" }).click();
      await app.getByRole("cell", { name: /Parcel arrived late \(by staff\)/ }).waitFor({ timeout: 30_000 });
      const entry = await e2e.db.loyaltyLedgerEntry.findFirstOrThrow({
        where: { shopId: e2e.shop.id, kind: "adjust" },
      });
      expect(entry).toMatchObject({ points: 15, reason: "Parcel arrived late", staffName: "staff", staffUserId: 1n });
      await screenshotEmbedded(page, "loyalty-admin-member.png");
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );
});

// Last in the file: the mined guest orders would otherwise sit under the tests above.
describe("picked for you (storefront launcher)", () => {
  const BLUE_TRAIN = { id: 8000000000001n, title: "Blue Train" };
  const KIND_OF_BLUE = { id: 8000000000002n, title: "Kind of Blue" };
  const LOVE_SUPREME = { id: 8000000000003n, title: "A Love Supreme" };
  const picksOf = (page: Page, heading: string) =>
    page.getByRole("dialog", { name: "Rewards" }).getByRole("region", { name: heading });

  beforeAll(async () => {
    // Given guests who bought Blue Train with Kind of Blue 20 times and A Love Supreme alone 180
    // times, mined (Ada bought Blue Train in the setup's order)
    await seedCoPurchases(e2e.db, e2e.shop.id, { pair: [BLUE_TRAIN, KIND_OF_BLUE], bestseller: LOVE_SUPREME });
    await mineShopRecommendations({ db: e2e.db, logger, databaseUrl: testDatabaseUrl() }, e2e.shop.id);
  }, 60_000);

  it(
    "lists a logged-in shopper's picks with the rest of the panel, each linking to search",
    { timeout: 60_000 },
    async () => {
      const ada = e2e.store.customers[0]!;
      const { page, errors } = await newPage(`${e2e.storefrontUrl}/?customer=${ada.id}`);
      await page.getByRole("button", { name: "Rewards" }).click();
      const panel = page.getByRole("dialog", { name: "Rewards" });
      await panel.locator(".kl-balance").waitFor({ timeout: 30_000 });
      // Drawn in the same pass as her points (no later jump): read at once, without waiting
      const before = await panel.boundingBox();
      const items = picksOf(page, "Picked for you").getByRole("listitem");
      // Then what goes with her purchase comes first, then the popular one she has not bought
      await expect(items.allTextContents()).resolves.toEqual(["Kind of Blue", "A Love Supreme"]);
      await expect(items.first().getByRole("link").getAttribute("href")).resolves.toBe(
        "/search?type=product&q=Kind%20of%20Blue",
      );
      await page.waitForTimeout(500);
      expect(await panel.boundingBox()).toEqual(before);
      await shot(page, "loyalty-widget-picks.png");
      expect(errors).toEqual([]);
      await page.context().close();
    },
  );

  it("shows a logged-out visitor the popular products", { timeout: 60_000 }, async () => {
    const { page, errors } = await newPage(`${e2e.storefrontUrl}/`);
    await page.getByRole("button", { name: "Rewards" }).click();
    const items = picksOf(page, "Popular right now").getByRole("listitem");
    await items.first().waitFor({ timeout: 30_000 });
    await expect(items.allTextContents()).resolves.toEqual(["A Love Supreme", "Blue Train", "Kind of Blue"]);
    await shot(page, "loyalty-widget-picks-logged-out.png");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("hides the section when the recommendations fail, and keeps the rewards", { timeout: 60_000 }, async () => {
    const ada = e2e.store.customers[0]!;
    const { page } = await newPage(`${e2e.storefrontUrl}/?customer=${ada.id}`, (opening) =>
      opening.route("**/apps/kinship/recommendations", (route) =>
        route.fulfill({ status: 500, contentType: "text/html", body: "<h1>Oops</h1>" }),
      ),
    );
    await page.getByRole("button", { name: "Rewards" }).click();
    const panel = page.getByRole("dialog", { name: "Rewards" });
    await panel.locator(".kl-balance").waitFor({ timeout: 30_000 });
    await expect(panel.getByText("Tier: Silver").count()).resolves.toBe(1);
    await expect(page.locator(".kl-picks").isHidden()).resolves.toBe(true);
    await expect(panel.getByText("Oops").count()).resolves.toBe(0);
    await page.context().close();
  });

  it("does not ask for picks when the block's setting turns them off", { timeout: 60_000 }, async () => {
    const ada = e2e.store.customers[0]!;
    const asked: string[] = [];
    let rendered = "";
    const { page, errors } = await newPage(`${e2e.storefrontUrl}/?customer=${ada.id}`, async (opening) => {
      opening.on("request", (request) => asked.push(new URL(request.url()).pathname));
      // The merchant unticked "Show Picked for you" (Liquid renders the checkbox as false)
      await opening.route(/\/\?customer=/, async (route) => {
        const response = await route.fetch();
        rendered = await response.text();
        await route.fulfill({ response, body: rendered.replace('data-picks="true"', 'data-picks="false"') });
      });
    });
    expect(rendered).toContain('data-picks="true"');
    await page.getByRole("button", { name: "Rewards" }).click();
    await page.getByRole("dialog", { name: "Rewards" }).locator(".kl-balance").waitFor({ timeout: 30_000 });
    expect(asked).toContain("/apps/kinship/loyalty");
    expect(asked).not.toContain("/apps/kinship/recommendations");
    await expect(page.locator(".kl-picks").isHidden()).resolves.toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
