// Page quality of an embedded admin page in headless Chromium, measured with the browser's own
// performance APIs the way web-vitals does, plus console errors and axe-core:
// - LCP: the last 'largest-contentful-paint' entry (buffered) of the app's frame, stopped at the
//   first input or when the page is hidden; reported from the frame's own navigation and from the
//   top page's (the merchant's view: the admin host loads first, then frames the app);
// - CLS: 'layout-shift' entries without recent input, grouped in session windows (gaps under 1 s,
//   windows of at most 5 s), the largest window's sum;
// - console errors and uncaught page errors of every frame;
// - axe-core run inside the app's frame, violations of impact serious or critical.
// The observers are installed before any page script runs (an init script in every frame).
import { readFileSync } from "node:fs";
import path from "node:path";

import type { BrowserContext, Frame, Page } from "playwright-core";

import { ROOT } from "./spawn-tsx";

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

export interface PageQuality {
  /** LCP from the app frame's navigation start (ms). */
  lcpMs: number | null;
  /** LCP from the top page's navigation start: the admin host's load included (ms). */
  lcpFromTopMs: number | null;
  lcpElement: string | null;
  cls: number;
  consoleErrors: string[];
  axeViolations: AxeViolation[];
}

declare global {
  interface Window {
    __pageQuality?: {
      lcp: { startTime: number; element: string | null } | null;
      shifts: { startTime: number; value: number }[];
      stopped: boolean;
    };
  }
}

/**
 * Runs in every frame at document start: buffered observers for LCP and layout shifts. Plain
 * JavaScript text, so no transpiler helper leaks into the browser.
 */
const OBSERVERS_SCRIPT = `(() => {
  const state = { lcp: null, shifts: [], stopped: false };
  window.__pageQuality = state;
  const describe = (element) =>
    element ? element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") : null;
  try {
    new PerformanceObserver((list) => {
      if (state.stopped) return;
      for (const entry of list.getEntries()) state.lcp = { startTime: entry.startTime, element: describe(entry.element) };
    }).observe({ type: "largest-contentful-paint", buffered: true });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        if (!entry.hadRecentInput) state.shifts.push({ startTime: entry.startTime, value: entry.value });
    }).observe({ type: "layout-shift", buffered: true });
  } catch {
    // Without these entry types nothing is reported, and the measurement fails loudly.
  }
  // LCP stops at the first input, as the browser's own reporting does.
  for (const type of ["keydown", "pointerdown"]) addEventListener(type, () => (state.stopped = true), true);
})();`;

/** The session-window CLS of web-vitals: gaps under 1 s, windows at most 5 s, the largest sum. */
export function sessionWindowCls(shifts: readonly { startTime: number; value: number }[]): number {
  let largest = 0;
  let current = 0;
  let windowStart = 0;
  let previous = Number.NEGATIVE_INFINITY;
  for (const shift of [...shifts].sort((a, b) => a.startTime - b.startTime)) {
    if (shift.startTime - previous < 1_000 && shift.startTime - windowStart < 5_000) current += shift.value;
    else {
      current = shift.value;
      windowStart = shift.startTime;
    }
    previous = shift.startTime;
    largest = Math.max(largest, current);
  }
  return largest;
}

/** Console errors and page errors of every frame, minus those `ignore` matches. */
export function collectConsoleErrors(page: Page, ignore?: RegExp): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const line = `${message.text()} (${message.location().url})`;
    if (!ignore?.test(line)) errors.push(line);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/** Call once per browser context, before its pages navigate. */
export async function installQualityObservers(context: BrowserContext) {
  await context.addInitScript({ content: OBSERVERS_SCRIPT });
}

/** The app's frame: the first child frame of the admin host page. */
export function appFrame(page: Page): Frame {
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
  if (!frame) throw new Error("The admin host has no app frame");
  return frame;
}

const AXE_SOURCE = () => readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

export async function axeViolations(frame: Frame): Promise<AxeViolation[]> {
  if (!(await frame.evaluate(() => "axe" in window))) await frame.addScriptTag({ content: AXE_SOURCE() });
  const results = await frame.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } })
      .axe;
    type AxeResults = {
      violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
    };
    const run = await axe.run(document, { resultTypes: ["violations"] });
    return run.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? "unknown",
      help: violation.help,
      nodes: violation.nodes.slice(0, 5).map((node) => node.target.map(String).join(" ")),
    }));
  });
  return results.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
}

/**
 * The quality figures of the page as loaded now. Call after the page is complete (its content
 * visible); `settleMs` lets late shifts and paints arrive first.
 */
export async function measurePageQuality(
  page: Page,
  consoleErrors: readonly string[],
  options: { settleMs?: number } = {},
): Promise<PageQuality> {
  await page.waitForTimeout(options.settleMs ?? 1_000);
  const frame = appFrame(page);
  const topOrigin = await page.evaluate(() => performance.timeOrigin);
  const measured = await frame.evaluate(() => ({
    state: window.__pageQuality ?? null,
    timeOrigin: performance.timeOrigin,
  }));
  if (!measured.state) throw new Error("The quality observers are missing: call installQualityObservers first");
  const lcp = measured.state.lcp;
  return {
    lcpMs: lcp ? lcp.startTime : null,
    lcpFromTopMs: lcp ? lcp.startTime + (measured.timeOrigin - topOrigin) : null,
    lcpElement: lcp?.element ?? null,
    cls: sessionWindowCls(measured.state.shifts),
    consoleErrors: [...consoleErrors],
    axeViolations: await axeViolations(frame),
  };
}
