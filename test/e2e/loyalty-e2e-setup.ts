// What the loyalty end-to-end tests share: the Shopify double, the real app (Vite dev server in
// a child process, see loyalty-app-server.ts), a shop with a program, tiers, rewards and two
// customers, a stand-in storefront that renders the theme app extension's block and forwards
// /apps/kinship/* to the app with Shopify's app proxy signature, and headless Chromium.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { mkdirSync } from "node:fs";
import path from "node:path";

import type { Browser, Page } from "playwright-core";

import {
  loyaltyDepsFor,
  createProgram,
  createReward,
  createTier,
  deliver,
  runLoyaltyJobs,
} from "../helpers/loyalty-test-setup";
import { freePort } from "../helpers/free-port";
import { launchChromium } from "../helpers/open-embedded-page";
import { appProxySignature } from "../helpers/signed-app-proxy-request";
import { smallTestStore } from "../helpers/small-test-store";
import { storeOfflineSession } from "../helpers/store-offline-session";
import { ROOT, spawnTsx, type SpawnedProcess } from "../helpers/spawn-tsx";
import { createTestPrisma } from "../helpers/test-database";
import { openTestQueues } from "../helpers/test-queues";
import { accessTokenKey, issueOfflineToken } from "../shopify-double/access-token";
import { startShopifyDouble, type ShopifyDouble } from "../shopify-double/index";
import { customerPayload, orderPayload } from "../shopify-double/rest-payloads";
import { createJobQueues } from "../../app/jobs/job-queues.server";

const SCOPES = "read_customers,write_customers,read_orders,write_orders,read_all_orders,write_discounts,read_products";
const WIDGET = path.join(ROOT, "extensions/loyalty-widget");

export type LoyaltyE2e = Awaited<ReturnType<typeof startLoyaltyE2e>>;

export async function startLoyaltyE2e() {
  const db = createTestPrisma();
  const queues = openTestQueues();
  const jobs = createJobQueues(queues.connection, queues.prefix);
  const store = smallTestStore(`loyal-e2e-${Date.now().toString(36)}.myshopify.com`);
  const [appPort, storefrontPort] = [await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${appPort}`;
  const secret = process.env.SHOPIFY_API_SECRET!;
  const double: ShopifyDouble = await startShopifyDouble({
    apiKey: process.env.SHOPIFY_API_KEY!,
    apiSecret: secret,
    appUrl,
    scopes: SCOPES,
    shops: [store],
  });
  const app: SpawnedProcess = spawnTsx("test/e2e/loyalty-app-server.ts", {
    ...process.env,
    NODE_ENV: "development",
    PORT: String(appPort),
    SHOPIFY_APP_URL: appUrl,
    SHOPIFY_DOUBLE_URL: double.url,
    APP_BRIDGE_URL: `${double.url}/app-bridge.js`,
    SCOPES,
    VITE_CACHE_DIR: path.join("/tmp", `kinship-loyalty-e2e-vite-${process.getuid?.() ?? 0}`),
    LOG_LEVEL: "warn",
  });

  // The shop, its offline session (the app issues reward codes with it), program and members.
  const shop = await db.shop.create({
    data: { domain: store.domain, name: store.name, currencyCode: "EUR", ianaTimezone: "Europe/Berlin" },
  });
  await storeOfflineSession(db, {
    shop: store.domain,
    scope: SCOPES,
    accessToken: issueOfflineToken(accessTokenKey(secret), store.domain),
  });
  await createProgram(db, shop.id, { earn: { pointsPerCurrencyUnit: 10 }, bonuses: { signup: 50, birthday: 20 } });
  await createTier(db, shop.id, { name: "Silver", threshold: 100n, earnMultiplierPermille: 1000, entryBonusPoints: 0 });
  const gold = await createTier(db, shop.id, {
    name: "Gold",
    threshold: 1000n,
    earnMultiplierPermille: 1500,
    entryBonusPoints: 25,
  });
  const reward = { percentage: null, minimumSubtotalMinor: null, tierId: null, amountMinor: null };
  await createReward(db, shop.id, {
    ...reward,
    title: "5 EUR off",
    kind: "fixed_amount",
    pointsCost: 100,
    amountMinor: 500n,
  });
  await createReward(db, shop.id, {
    ...reward,
    title: "Free shipping",
    kind: "free_shipping",
    pointsCost: 150,
    minimumSubtotalMinor: 3000n,
  });
  await createReward(db, shop.id, { ...reward, title: "10% off", kind: "percentage", pointsCost: 400, percentage: 10 });
  await createReward(db, shop.id, {
    ...reward,
    title: "Gold gift: 15 EUR off",
    kind: "fixed_amount",
    pointsCost: 200,
    amountMinor: 1500n,
    tierId: gold.id,
  });
  const deps = loyaltyDepsFor(db, jobs, double.url);
  for (const customer of store.customers)
    await deliver(deps, store.domain, "customers/create", customerPayload(store, customer));
  await deliver(deps, store.domain, "orders/create", orderPayload(store, store.orders[0]!));
  await runLoyaltyJobs(deps);

  const storefront = await startStorefront(storefrontPort, { shop: store.domain, appUrl, secret });
  await app.waitFor(/listening on/, 60_000);
  const browser: Browser = await launchChromium();
  mkdirSync(path.join(ROOT, "test-results"), { recursive: true });

  return {
    db,
    store,
    shop,
    double,
    browser,
    storefrontUrl: `http://127.0.0.1:${storefrontPort}`,
    async close() {
      await browser.close();
      await new Promise((resolve) => storefront.close(resolve));
      app.child.kill("SIGTERM");
      await app.exited;
      await double.close();
      await jobs.close();
      await queues.cleanUp();
      await db.$disconnect();
    },
  };
}

/**
 * The block's Liquid as Shopify would render it for this test (the few tags it uses), plus the
 * assets its schema names: the page a shopper gets with the app embed turned on.
 */
export function renderLauncherBlock(loggedIn: boolean): string {
  const liquid = readFileSync(path.join(WIDGET, "blocks/loyalty-launcher.liquid"), "utf8");
  const schema = JSON.parse(/{% schema %}([\s\S]*){% endschema %}/.exec(liquid)![1]!) as {
    javascript: string;
    stylesheet: string;
    settings: { id: string; default: string | boolean }[];
  };
  const setting = (id: string) => String(schema.settings.find((s) => s.id === id)!.default);
  const routes: Record<string, string> = { account_login_url: "/account/login", search_url: "/search" };
  const markup = liquid
    .replace(/{% schema %}[\s\S]*{% endschema %}/, "")
    .replace(/{% comment %}[\s\S]*?{% endcomment %}/g, "")
    .replace(/{% if customer %}(.*?){% else %}(.*?){% endif %}/g, (_, yes: string, no: string) => (loggedIn ? yes : no))
    .replace(/{{ routes\.(\w+) }}/g, (_, route: string) => routes[route] ?? `{{ routes.${route} }}`)
    .replace(/{{ block\.settings\.(\w+)(?: \| escape)? }}/g, (_, id: string) => setting(id));
  if (/{[{%]/.test(markup)) throw new Error(`The test does not render this Liquid: ${markup}`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Small Test Records</title>
<link rel="stylesheet" href="/assets/${schema.stylesheet}"></head>
<body><main style="padding:40px;font-family:serif"><h1>Small Test Records</h1><p>Jazz on CD and vinyl.</p></main>
${markup}<script src="/assets/${schema.javascript}" defer></script></body></html>`;
}

/** The shop's storefront: the block, its assets, and the app proxy (signed as Shopify signs it). */
function startStorefront(port: number, options: { shop: string; appUrl: string; secret: string }): Promise<Server> {
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url!, `http://127.0.0.1:${port}`);
      const customer = /kinship_test_customer=(\d+)/.exec(request.headers.cookie ?? "")?.[1] ?? "";
      if (url.pathname === "/") {
        const login = url.searchParams.get("customer") ?? "";
        response.writeHead(200, {
          "Content-Type": "text/html; charset=utf-8",
          "Set-Cookie": `kinship_test_customer=${login}; Path=/`,
        });
        return response.end(renderLauncherBlock(login !== ""));
      }
      if (url.pathname.startsWith("/assets/")) {
        const file = path.basename(url.pathname);
        response.writeHead(200, { "Content-Type": file.endsWith(".css") ? "text/css" : "text/javascript" });
        return response.end(readFileSync(path.join(WIDGET, "assets", file)));
      }
      if (url.pathname.startsWith("/apps/kinship/")) {
        const params: Record<string, string> = {
          shop: options.shop,
          logged_in_customer_id: customer,
          path_prefix: "/apps/kinship",
          timestamp: String(Math.floor(Date.now() / 1000)),
        };
        const query = new URLSearchParams({ ...params, signature: appProxySignature(params, options.secret) });
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const proxied = await fetch(`${options.appUrl}/proxy/${url.pathname.slice("/apps/kinship/".length)}?${query}`, {
          method: request.method,
          headers: { "Content-Type": request.headers["content-type"] ?? "application/json" },
          body: request.method === "GET" ? undefined : Buffer.concat(chunks),
        });
        response.writeHead(proxied.status, { "Content-Type": "application/json" });
        return response.end(await proxied.text());
      }
      response.writeHead(url.pathname === "/favicon.ico" ? 204 : 404).end();
    })().catch((error: Error) => {
      response.writeHead(500).end(error.message);
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

/** A picture of the embedded app (it scrolls inside the admin's iframe: the window is made as tall). */
export async function screenshotEmbedded(page: Page, name: string) {
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame())!;
  const height = await frame.evaluate(() => document.documentElement.scrollHeight);
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: viewport.width, height: Math.min(height + 120, 6_000) });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(ROOT, "test-results", name), fullPage: true });
  await page.setViewportSize(viewport);
}
