// Customer 360's "Picked for this customer" card in headless Chromium through the double's admin
// host: after a mining, Ada (who bought Blue Train) sees the record bought with it first.
// Screenshot in test-results/recommendations-customer-360.png.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { logger } from "../../app/lib/logger.server";
import { mineShopRecommendations } from "../../app/crm/recommendations/mine-recommendations.server";
import { DESKTOP_CHROME_UA } from "../helpers/open-embedded-page";
import { seedCoPurchases } from "../helpers/seed-co-purchases";
import { testDatabaseUrl } from "../helpers/test-database";
import { screenshotEmbedded, startLoyaltyE2e, type LoyaltyE2e } from "./loyalty-e2e-setup";

let e2e: LoyaltyE2e;
const BLUE_TRAIN = 8_000_000_000_001n; // Ada's order in the small test store
const GIANT_STEPS = 8_000_000_000_002n;
const KIND_OF_BLUE = 8_000_000_000_003n;

beforeAll(async () => {
  e2e = await startLoyaltyE2e();
  const { db, shop } = e2e;
  // Guests bought Blue Train with Giant Steps 20 times and Kind of Blue alone 180 times.
  await seedCoPurchases(db, shop.id, {
    pair: [
      { id: BLUE_TRAIN, title: "Blue Train" },
      { id: GIANT_STEPS, title: "Giant Steps" },
    ],
    bestseller: { id: KIND_OF_BLUE, title: "Kind of Blue" },
  });
  await mineShopRecommendations({ db, logger, databaseUrl: testDatabaseUrl() }, shop.id);
}, 240_000);

afterAll(async () => {
  await e2e?.close();
});

describe("recommendations on Customer 360", () => {
  it("shows the products picked for the customer, co-purchases first", async () => {
    const context = await e2e.browser.newContext({
      userAgent: DESKTOP_CHROME_UA,
      viewport: { width: 1400, height: 900 },
    });
    const page = await context.newPage();
    const ada = e2e.store.customers[0]!;
    await page.goto(e2e.double.adminUrl(e2e.store.domain, `/app/customers/${ada.id}`), {
      waitUntil: "domcontentloaded",
      timeout: 180_000,
    });
    const app = page.frameLocator("iframe");
    const heading = app.getByRole("heading", { name: "Picked for this customer" });
    await heading.waitFor({ timeout: 120_000 });
    // Polaris cards carry no stable class: the card's list is the first one after its heading.
    const card = heading.locator("xpath=following::ol[1]");
    const items = await card.getByRole("listitem").allInnerTexts();
    expect(items[0]).toContain("Giant Steps");
    expect(items[0]).toContain("Often bought with their purchases");
    expect(items.join("\n")).toContain("Kind of Blue");
    expect(items.join("\n")).not.toContain("Blue Train ·");
    await screenshotEmbedded(page, "recommendations-customer-360.png");
    await context.close();
  }, 240_000);
});
