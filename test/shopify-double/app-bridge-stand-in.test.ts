// The admin page and the App Bridge stand-in together in headless Chromium, around a tiny
// fake app that behaves like the Remix app (nav menu, shopify:navigate listener, fetches).
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { launchChromium, DESKTOP_CHROME_UA } from "../helpers/open-embedded-page";
import { FIXTURE_SHOP } from "./fixtures";
import { API_KEY, type Api, startHarness } from "./library-harness";
import type { ShopifyDouble } from "./types";

const CHROMIUM = "/usr/bin/chromium";

let app: Server;
let appUrl: string;
let double: ShopifyDouble;
let api: Api;
let browser: Browser;
let retryCalls = 0;

function appPage(): string {
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="${double.url}/app-bridge.js" data-api-key="${API_KEY}"></script></head>
<body>
<ui-nav-menu><a href="/app" rel="home">Home</a><a href="/app/customers">Customers</a><a href="/app/settings">Settings</a></ui-nav-menu>
<ui-title-bar title="Fake app"></ui-title-bar>
<p id="path"></p>
<script>
  window.navigations = [];
  // What the Remix AppProvider does with the event.
  addEventListener("shopify:navigate", function (event) {
    var href = event.target.getAttribute("href");
    window.navigations.push(href);
    history.pushState(null, "", href);
  });
</script>
</body></html>`;
}

function startApp(): Promise<void> {
  app = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://app.invalid");
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { "Content-Type": "application/json", ...headers }).end(JSON.stringify(body));
    if (url.pathname === "/api/echo") return json(200, { authorization: req.headers.authorization ?? null });
    if (url.pathname === "/api/retry") {
      retryCalls++;
      if (retryCalls === 1) return json(401, {}, { "X-Shopify-Retry-Invalid-Session-Request": "1" });
      return json(200, { authorization: req.headers.authorization ?? null });
    }
    if (url.pathname === "/auth/session-token") {
      // The library's bounce page: just the App Bridge script.
      return res
        .writeHead(200, { "Content-Type": "text/html" })
        .end(
          `<link rel="icon" href="data:,"><script data-api-key="${API_KEY}" src="${double.url}/app-bridge.js"></script>`,
        );
    }
    if (url.pathname.startsWith("/app")) return res.writeHead(200, { "Content-Type": "text/html" }).end(appPage());
    res.writeHead(404).end();
  });
  return new Promise((resolve) => app.listen(0, "127.0.0.1", resolve));
}

async function openAdmin(path?: string): Promise<{ page: Page; frame: Frame; errors: string[] }> {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(double.adminUrl(FIXTURE_SHOP, path));
  const frame = await (await page.locator("#app-frame").elementHandle())!.contentFrame();
  await frame!.waitForFunction(() => "shopify" in window);
  return { page, frame: frame!, errors };
}

describe.skipIf(!existsSync(CHROMIUM))("App Bridge stand-in in the admin page (Chromium)", () => {
  beforeAll(async () => {
    // The fake app must exist before the double, which needs its URL.
    await startApp();
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    ({ double, api } = await startHarness({ appUrl }));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await double?.close();
    await new Promise((resolve) => app.close(resolve));
  });

  it("renders the app's nav menu and title in the admin and navigates the app on click", async () => {
    const { page, frame, errors } = await openAdmin("/app");
    await expect.poll(() => page.locator("#app-nav a").allTextContents()).toEqual(["Customers", "Settings"]);
    await expect.poll(() => page.locator("#app-title").textContent()).toBe("Fake app");

    await page.locator("#app-nav a", { hasText: "Customers" }).click();
    await expect
      .poll(() => frame.evaluate(() => (window as unknown as { navigations: string[] }).navigations))
      .toEqual(["/app/customers"]);
    // The admin's address follows the app's path, like Shopify admin's.
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/store/fixture-shop/apps/${API_KEY}/app/customers`);
    await expect.poll(() => page.locator("#app-nav a[aria-current=page]").textContent()).toBe("Customers");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("gives the app session tokens and adds them to same-origin fetches", async () => {
    const { page, frame, errors } = await openAdmin();
    const token = await frame.evaluate(() =>
      (window as unknown as { shopify: { idToken(): Promise<string> } }).shopify.idToken(),
    );
    expect((await api.session.decodeSessionToken(token)).dest).toBe(`https://${FIXTURE_SHOP}`);

    const echo = await frame.evaluate(() =>
      fetch("/api/echo").then((r) => r.json() as Promise<{ authorization: string }>),
    );
    expect(echo.authorization).toMatch(/^Bearer /);
    await api.session.decodeSessionToken(echo.authorization.slice("Bearer ".length));

    const kept = await frame.evaluate(() =>
      fetch("/api/echo", { headers: { Authorization: "Bearer mine" } }).then(
        (r) => r.json() as Promise<{ authorization: string }>,
      ),
    );
    expect(kept.authorization).toBe("Bearer mine");

    const retried = await frame.evaluate(() => fetch("/api/retry").then((r) => r.status));
    expect(retried).toBe(200);
    expect(retryCalls).toBe(2);
    // Chromium logs the deliberate 401 of /api/retry; nothing else may show up.
    expect(errors.filter((e) => !e.includes("401 (Unauthorized)"))).toEqual([]);
    await page.context().close();
  });

  it("shows the app's toasts", async () => {
    const { page, frame } = await openAdmin();
    await frame.evaluate(() =>
      (window as unknown as { shopify: { toast: { show(m: string, o?: object): string } } }).shopify.toast.show(
        "Saved",
        { isError: true },
      ),
    );
    await expect.poll(() => page.locator(".toast.toast-error").textContent()).toBe("Saved");
    await page.context().close();
  });

  it("brings the session-token bounce page back with a fresh id_token", async () => {
    const { page, frame, errors } = await openAdmin();
    const reload = `${appUrl}/app/bounced?x=1&shop=${FIXTURE_SHOP}`;
    await frame.goto(`${appUrl}/auth/session-token?shop=${FIXTURE_SHOP}&shopify-reload=${encodeURIComponent(reload)}`);
    await frame.waitForURL(/\/app\/bounced\?.*id_token=/);
    const landed = new URL(frame.url());
    expect(landed.searchParams.get("x")).toBe("1");
    await api.session.decodeSessionToken(landed.searchParams.get("id_token")!);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("sends an app opened outside the admin to its admin page", async () => {
    const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA });
    const page = await context.newPage();
    await page.goto(`${appUrl}/app/settings?shop=${FIXTURE_SHOP}&embedded=1`);
    await page.waitForURL(`${double.url}/store/fixture-shop/apps/${API_KEY}/app/settings`);
    const frame = await (await page.locator("#app-frame").elementHandle())!.contentFrame();
    expect(new URL(frame!.url()).pathname).toBe("/app/settings");
    await context.close();
  });
});
