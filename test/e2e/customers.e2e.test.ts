// The Customers page in headless Chromium through the double's admin host: the list with its
// scores, a filter and sort in the URL, a bulk "Add tag" on the selection (written to Shopify),
// the CSV export downloaded with fetch, and a bad filter shown as an error banner, not a crash.
// Screenshots go to test-results/.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DESKTOP_CHROME_UA, collectDevServerErrors } from "../helpers/open-embedded-page";
import { startLoyaltyE2e, screenshotEmbedded, type LoyaltyE2e } from "./loyalty-e2e-setup";

// Offline, Shopify's CDN fails; Vite's dev server (HMR off) refuses its own websocket.
let e2e: LoyaltyE2e;

const SEGMENTS = ["Champions", "Loyal", "At risk", "Hibernating", "New", "Potential loyalists"];
const STAGES = ["loyal", "growing", "at_risk", "churned", "new"];
const RISKS = ["low", "medium", "high"];

beforeAll(async () => {
  e2e = await startLoyaltyE2e();
  const { db, shop } = e2e;
  // Thirty more customers (in our database only) with scores, so the list has something to show.
  await db.$executeRaw`INSERT INTO customers (shop_id, shopify_id, first_name, last_name, email, country_code,
      orders_count, net_spent_minor, last_order_at, tags, email_consent, shopify_created_at, shopify_updated_at,
      updated_at)
    SELECT ${shop.id}, 7300000000000 + g,
      (ARRAY['Maya','Jonas','Ines','Theo','Lena','Omar','Sofia','Karl','Amara','Pablo'])[1 + g % 10],
      (ARRAY['Schmidt','Rossi','Dubois','Novak','Jensen','Haddad'])[1 + g % 6],
      'customer' || g || '@demo.test', (ARRAY['DE','FR','IT','AT','NL'])[1 + g % 5],
      1 + g % 9, (g * 3791) % 90000 + 1500, now() - (g * 11) * interval '1 day',
      CASE WHEN g % 4 = 0 THEN ARRAY['vip'] ELSE ARRAY[]::text[] END,
      CASE WHEN g % 3 = 0 THEN 'SUBSCRIBED' ELSE 'NOT_SUBSCRIBED' END, now(), now(), now()
    FROM generate_series(1, 30) g`;
  await db.$executeRaw`INSERT INTO customer_scores (customer_id, shop_id, run_id, recency_days, purchase_days,
      net_spent_minor, r_score, f_score, m_score, rfm_segment, frequency, recency, t, monetary_value, churn_risk,
      clv_minor, cluster, lifecycle_stage, computed_at)
    SELECT c.id, c.shop_id, 0, 1, 1, c.net_spent_minor, 3, 3, 3,
      (${SEGMENTS}::text[])[1 + c.id % 6], 1, 1, 1, 1, (${RISKS}::text[])[1 + c.id % 3],
      c.net_spent_minor * 2 / 3, 0, (${STAGES}::text[])[1 + c.id % 5], now()
    FROM customers c WHERE c.shop_id = ${shop.id}`;
}, 240_000);

afterAll(async () => {
  await e2e?.close();
});

async function openAdmin(appPath: string) {
  const context = await e2e.browser.newContext({
    userAgent: DESKTOP_CHROME_UA,
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  });
  const page: Page = await context.newPage();
  const errors = collectDevServerErrors(page);
  await page.goto(e2e.double.adminUrl(e2e.store.domain, appPath), { waitUntil: "domcontentloaded", timeout: 180_000 });
  const app = page.frameLocator("iframe");
  await app.getByRole("heading", { name: "Customers", exact: true }).first().waitFor({ timeout: 120_000 });
  return { page, app, errors };
}

/** Waits for React to hydrate the app (a screenshot before it would change the server's markup). */
async function hydrated(page: Page) {
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame())!;
  // Hydration attaches React's fiber to every server-rendered node; inputs are the last to matter.
  await frame.waitForFunction(
    () => {
      const inputs = [...document.querySelectorAll("input")];
      return (
        inputs.length > 0 && inputs.every((input) => Object.keys(input).some((key) => key.startsWith("__reactFiber")))
      );
    },
    null,
    { timeout: 60_000 },
  );
  await page.waitForTimeout(500);
}

describe("Customers page", () => {
  it(
    "lists, filters, sorts, tags the selection in Shopify, exports CSV, and reports a bad filter",
    { timeout: 300_000 },
    async () => {
      // Given the list sorted by predicted CLV, highest first
      const { page, app, errors } = await openAdmin("/app/customers?sort=predictedClv:desc");
      await app.getByText("32 customers").first().waitFor({ timeout: 60_000 });
      await hydrated(page);
      await screenshotEmbedded(page, "customers-list.png");

      // When staff filter on high churn risk with a VIP tag
      await page.goto(e2e.double.adminUrl(e2e.store.domain, "/app/customers?risk=high&tags=vip&sort=netSpent:desc"), {
        waitUntil: "domcontentloaded",
      });
      await app.getByText("Churn risk: High").first().waitFor({ timeout: 60_000 });
      const expected = await e2e.db.customer.count({
        where: { shopId: e2e.shop.id, tags: { has: "vip" }, score: { churnRisk: "high" } },
      });
      await app
        .getByText(`${expected} customer${expected === 1 ? "" : "s"}`)
        .first()
        .waitFor();

      // And search for the two Shopify customers, select them and add a tag
      await page.goto(e2e.double.adminUrl(e2e.store.domain, "/app/customers?q=example.com"), {
        waitUntil: "domcontentloaded",
      });
      await app.getByText("2 customers").first().waitFor({ timeout: 60_000 });
      // (Clicked again until hydrated React answers with the selection.)
      await expect
        .poll(
          async () => {
            await app
              .getByRole("checkbox", { name: /Select all/ })
              .first()
              .click();
            return app.getByText("2 selected").first().isVisible();
          },
          { timeout: 60_000, interval: 1_000 },
        )
        .toBe(true);
      await app.getByRole("button", { name: "Add tag" }).click();
      await app.getByLabel("Tag", { exact: true }).fill("Spring VIP");
      await screenshotEmbedded(page, "customers-bulk-tag.png");
      await app.getByRole("button", { name: "Add a tag" }).click();
      await app.getByText(/Tagged 2 customers/).waitFor({ timeout: 60_000 });

      // Then Shopify and our copy carry the tag
      const live = e2e.double.store(e2e.store.domain).customers.map((c) => c.tags);
      expect(live.every((tags) => tags.includes("Spring VIP"))).toBe(true);
      const ours = await e2e.db.customer.findMany({
        where: { shopId: e2e.shop.id, email: { endsWith: "@example.com" } },
      });
      expect(ours.every((c) => c.tags.includes("Spring VIP"))).toBe(true);
      await screenshotEmbedded(page, "customers-after-bulk.png");

      // When the filtered set is exported, then the CSV arrives through fetch with the token
      const download = page.waitForEvent("download");
      await app.getByRole("button", { name: "Export CSV" }).click();
      const file = await download;
      const text = await new Response((await file.createReadStream()) as unknown as ReadableStream<Uint8Array>).text();
      const lines = text.trim().split("\r\n");
      expect(lines[0]).toMatch(/^shopify_customer_id,first_name/);
      expect(lines).toHaveLength(3);

      // And a bad filter in the URL shows an error banner and the unfiltered list
      await page.goto(e2e.double.adminUrl(e2e.store.domain, "/app/customers?orders_min=lots&cursor=bogus"), {
        waitUntil: "domcontentloaded",
      });
      await app.getByText("Some filters could not be applied").waitFor({ timeout: 60_000 });
      await app.getByText("Enter a whole number of orders.").first().waitFor();
      await hydrated(page);
      await screenshotEmbedded(page, "customers-bad-filter.png");

      expect(errors).toEqual([]);
    },
  );
});
