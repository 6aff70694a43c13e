// Headless Debian Chromium through playwright-core. The library answers bot user agents
// (HeadlessChrome included) with 410, so the browser presents a normal desktop Chrome.
import { chromium, type Browser, type ConsoleMessage, type Page } from "playwright-core";

export const DESKTOP_CHROME_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * React's development-only warning that a server-rendered form control carried a `style`
 * attribute the client's render lacks. It comes and goes between runs on Polaris checkboxes
 * and text fields (something sets `style` on the input before hydration; the app's own code
 * never does) and is never logged by a production build, so the e2e runs on the dev server do
 * not count it as the page's error. Any other hydration mismatch still does.
 */
export function isPreHydrationStyleWarning(text: string): boolean {
  return text.startsWith("Warning: Extra attributes from the server: %s%s style");
}

/** Opens `url` and collects console errors and uncaught page errors from every frame. */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message: ConsoleMessage) => {
    if (message.type() === "error" && !isPreHydrationStyleWarning(message.text()))
      errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  await page.goto(url, { waitUntil: "load" });
  return { page, errors };
}

/** What the Vite dev server and the offline sandbox log on their own: Shopify's CDN, HMR's socket. */
const DEV_SERVER_OFFLINE_ERRORS =
  /cdn\.shopify\.com|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|WebSocket connection to 'ws:|\[vite\] failed to connect/;

/**
 * The console errors and page errors of a page of the app on the Vite dev server, minus what the
 * offline sandbox causes. React's warnings name their subject in the arguments (%s), so those are
 * kept beside the message; `label` prefixes each line (the page's path).
 */
export function collectDevServerErrors(page: Page, label = ""): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error" || DEV_SERVER_OFFLINE_ERRORS.test(message.text())) return;
    if (isPreHydrationStyleWarning(message.text())) return;
    void Promise.all(message.args().map((arg) => arg.jsonValue().catch(() => "?"))).then((args) =>
      errors.push(`${label}${message.text().split("\n")[0]} ${JSON.stringify(args.slice(1, 4))}`),
    );
  });
  page.on("pageerror", (error) => {
    if (!/WebSocket closed without opened/.test(error.message)) errors.push(`pageerror: ${error.message}`);
  });
  return errors;
}
