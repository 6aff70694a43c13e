// npm run soak [-- --minutes 30 --webhooks 200 --admin 2 --proxy 5 --warm-up-minutes N]
// The app and workers as production processes on a database of their own with the demo shop
// (3,000 customers, its analytics run, loyalty program), as a shop is the day after install, so
// every order is re-scored as in production: webhook deliveries at a steady rate (the shop's own history
// replayed round after round under new webhook ids), embedded admin page loads (Home, Customers)
// with session tokens, and signed app proxy calls (a member's loyalty page), for N minutes.
// Reports p50/p99 and errors per route, and the resident memory of the app and the workers:
// after the warm-up it must stay flat, the trend through every second's sample growing ≤ 10%
// (memory-growth.ts says why a trend and not two minutes' means). Each process also logs its own
// V8 heap (memory-probe.ts), to tell garbage-collection swings from native memory.
// Exit 1 on any error or growth beyond the limit.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import { Redis } from "ioredis";

import { createJobQueues } from "../../app/jobs/job-queues.server";
import { logger } from "../../app/lib/logger.server";
import { freePort } from "../../test/helpers/free-port";
import { DESKTOP_CHROME_UA } from "../../test/helpers/open-embedded-page";
import { appProxySignature } from "../../test/helpers/signed-app-proxy-request";
import { hostParam, signAdminParams } from "../../test/shopify-double/admin-host";
import { generateDemoStore } from "../../test/shopify-double/demo-store";
import { startShopifyDouble } from "../../test/shopify-double/index";
import { buildReplayStream } from "../../test/shopify-double/replay-stream";
import { createBenchEnvironment, percentile, ROOT } from "../bench/bench-env";
import { prepareDelivery } from "../bench/webhook-load";
import { ensureDemoAnalytics } from "../demo/demo-analytics";
import { DEMO_SCOPES, DEMO_TOKEN_ENCRYPTION_KEYS } from "../demo/demo-config";
import { ensureDemoLoyalty } from "../demo/demo-loyalty";
import { seedDemoShop } from "../demo/seed-demo-shop";
import { memoryTrend, windowMean, type MemorySample } from "./memory-growth";
import { cpuSeconds, createLoad, rssMiB, type SoakRequest } from "./soak-load";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "30" },
    webhooks: { type: "string", default: "200" },
    admin: { type: "string", default: "2" },
    proxy: { type: "string", default: "5" },
    "warm-up-minutes": { type: "string" },
  },
});
const minutes = Number(values.minutes);
const seconds = minutes * 60;
const warmUpSeconds = values["warm-up-minutes"] ? Number(values["warm-up-minutes"]) * 60 : Math.max(30, seconds * 0.2);
const SHOP = "kinship-soak.myshopify.com";
const API_KEY = "kinship-bench-key"; // what bench-env gives the app
const API_SECRET = "kinship-bench-secret";
const log = (line: string) => console.log(`[soak] ${line}`);

const port = await freePort();
const storeDay = new Date("2026-11-01T00:00:00Z");
const store = generateDemoStore({ shopDomain: SHOP, now: storeDay });
const double = await startShopifyDouble({
  apiKey: API_KEY,
  apiSecret: API_SECRET,
  appUrl: `http://127.0.0.1:${port}`,
  scopes: DEMO_SCOPES,
  shops: [store],
});
// The app's Shopify calls (token exchange, syncs) go to the double; tokens are encrypted.
process.env.SHOPIFY_DOUBLE_URL = double.url;
process.env.APP_BRIDGE_URL = `${double.url}/app-bridge.js`;
process.env.SCOPES = DEMO_SCOPES;
process.env.TOKEN_ENCRYPTION_KEYS ??= DEMO_TOKEN_ENCRYPTION_KEYS;
const bench = await createBenchEnvironment("soak", port);
const load = createLoad(bench.appUrl);
const memoryDir = mkdtempSync(path.join(tmpdir(), "kinship-soak-memory-"));
try {
  await seedDemoShop(bench.db, store);
  const analytics = await ensureDemoAnalytics({ db: bench.db, logger, databaseUrl: bench.env.DATABASE_URL! }, SHOP);
  if (!analytics.ran) throw new Error("the demo shop's analytics run did not succeed");
  const redis = new Redis(bench.env.REDIS_URL!, { maxRetriesPerRequest: null });
  const jobs = createJobQueues(redis, bench.env.QUEUE_PREFIX!);
  await ensureDemoLoyalty({ db: bench.db, logger, jobs }, SHOP, storeDay);
  await jobs.close();
  redis.disconnect();
  const members = await bench.db.loyaltyMember.findMany({ select: { customer: { select: { shopifyId: true } } } });
  const memberIds = members.map((member) => member.customer.shopifyId.toString());
  const probe = {
    nodeArgs: ["--import", path.join(ROOT, "scripts/soak/memory-probe.ts")],
    env: { SOAK_MEMORY_DIR: memoryDir },
  };
  const app = await bench.startApp(probe);
  const workers = bench.startWorkers(probe);

  // Webhooks: the shop's history, each round under fresh webhook and event ids (same signed bodies).
  const history = buildReplayStream(store, { duplicateRate: 0 }).map((d) => prepareDelivery(SHOP, d, API_SECRET));
  let delivered = 0;
  const nextWebhook = (): SoakRequest => {
    const base = history[delivered % history.length]!;
    const round = Math.floor(delivered++ / history.length);
    const id = `${base.headers["X-Shopify-Webhook-Id"]}-soak-${round}`;
    return {
      route: "POST /webhooks/*",
      path: base.path,
      method: "POST",
      body: base.body,
      headers: { ...base.headers, "X-Shopify-Webhook-Id": id, "X-Shopify-Event-Id": id },
    };
  };
  // Admin pages as the admin frames them: signed query with a fresh session token.
  let adminLoads = 0;
  const nextAdmin = (): SoakRequest => {
    const path = adminLoads++ % 2 === 0 ? "/app" : "/app/customers";
    const params: Record<string, string> = {
      embedded: "1",
      host: hostParam(SHOP),
      id_token: double.mintSessionToken(SHOP),
      locale: "en",
      shop: SHOP,
      timestamp: String(Math.floor(Date.now() / 1000)),
    };
    params.hmac = signAdminParams(params, API_SECRET);
    return {
      route: `GET ${path}`,
      path: `${path}?${new URLSearchParams(params)}`,
      method: "GET",
      headers: { "User-Agent": DESKTOP_CHROME_UA },
    };
  };
  // App proxy: a random member's loyalty page, signed as Shopify signs it.
  const nextProxy = (): SoakRequest => {
    const params: Record<string, string> = {
      shop: SHOP,
      logged_in_customer_id: memberIds[Math.floor(Math.random() * memberIds.length)]!,
      path_prefix: "/apps/kinship",
      timestamp: String(Math.floor(Date.now() / 1000)),
    };
    const query = new URLSearchParams({ ...params, signature: appProxySignature(params, API_SECRET) });
    return { route: "GET /proxy/loyalty", path: `/proxy/loyalty?${query}`, method: "GET", headers: {} };
  };

  const samples: { at: number; app: number; workers: number }[] = [];
  const started = performance.now();
  const startedAt = Date.now();
  const cpuAtStart = { app: cpuSeconds(app.process.pid), workers: cpuSeconds(workers.process.pid) };
  const sampler = setInterval(() => {
    const at = (performance.now() - started) / 1000;
    samples.push({ at, app: rssMiB(app.process.pid), workers: rssMiB(workers.process.pid) });
    if (samples.length % 60 === 0) {
      const last = samples.at(-1)!;
      log(
        `${at.toFixed(0)} s: ${delivered} webhooks sent, RSS app ${last.app.toFixed(0)} MiB, workers ${last.workers.toFixed(0)} MiB`,
      );
    }
  }, 1_000);
  const dead = () => app.process.exitCode !== null || workers.process.exitCode !== null;
  log(`${minutes} min: ${values.webhooks} webhooks/s, ${values.admin} admin pages/s, ${values.proxy} proxy calls/s`);
  await Promise.all([
    load.paced(Number(values.webhooks), seconds, nextWebhook, dead),
    load.paced(Number(values.admin), seconds, nextAdmin, dead),
    load.paced(Number(values.proxy), seconds, nextProxy, dead),
  ]);
  clearInterval(sampler);
  // CPU time is far steadier than wall time on a shared machine: the cost per delivery to compare.
  const cpuUsed = {
    app: cpuSeconds(app.process.pid) - cpuAtStart.app,
    workers: cpuSeconds(workers.process.pid) - cpuAtStart.workers,
  };

  console.log("\nroute               | requests |  p50 ms |  p99 ms | errors | answers");
  let errors = 0;
  for (const [route, stats] of [...load.stats].sort()) {
    const sorted = [...stats.latenciesMs].sort((a, b) => a - b);
    errors += stats.errors;
    const answers = [...stats.statuses].map(([status, count]) => `${status}×${count}`).join(" ");
    console.log(
      `${route.padEnd(19)} | ${String(sorted.length).padStart(8)} | ${percentile(sorted, 50).toFixed(1).padStart(7)} | ` +
        `${percentile(sorted, 99).toFixed(1).padStart(7)} | ${String(stats.errors).padStart(6)} | ${answers}`,
    );
  }
  // Memory: the trend of the resident memory after the warm-up, and what it is made of.
  const end = samples.at(-1)?.at ?? 0;
  const mib = (bytes: number) => bytes / 1_048_576;
  let grew = false;
  for (const [key, pid] of [
    ["app", app.process.pid],
    ["workers", workers.process.pid],
  ] as const) {
    const rss: MemorySample[] = samples.map((s) => ({ at: s.at, mib: s[key] }));
    const trend = memoryTrend(rss, warmUpSeconds);
    if (!(trend.percent <= 10)) grew = true;
    const signed = (n: number) => `${n >= 0 ? "+" : ""}${n.toFixed(1)}%`;
    console.log(
      `RSS ${key}: trend ${trend.fromMiB.toFixed(0)} → ${trend.toMiB.toFixed(0)} MiB over the ${(end - warmUpSeconds).toFixed(0)} s ` +
        `after the warm-up (${signed(trend.percent)}, limit +10%), swinging ±${trend.swingMiB.toFixed(0)} MiB around it; ` +
        `max ${Math.max(...rss.map((s) => s.mib)).toFixed(0)} MiB; one-minute means ` +
        `${windowMean(rss, warmUpSeconds, warmUpSeconds + 60).toFixed(0)} MiB after the warm-up, ${windowMean(rss, end - 60, end + 1).toFixed(0)} MiB at the end`,
    );
    const own = readProbe(pid, startedAt);
    if (own.filter((m) => m.at >= warmUpSeconds).length < 2) continue;
    const part = (label: string, pick: (m: ProbeLine) => number) => {
      const t = memoryTrend(
        own.map((m) => ({ at: m.at, mib: mib(pick(m)) })),
        warmUpSeconds,
      );
      return `${label} ${t.fromMiB.toFixed(0)} → ${t.toMiB.toFixed(0)} MiB (${signed(t.percent)})`;
    };
    console.log(
      `  of it: ${part("V8 heap", (m) => m.heapTotal)} (${part("in use", (m) => m.heapUsed)}), ` +
        `${part("everything else (code, buffers, malloc)", (m) => m.rss - m.heapTotal)}`,
    );
  }
  if (load.errorCodes.size)
    console.log(`requests without an answer: ${JSON.stringify(Object.fromEntries(load.errorCodes))}`);
  const backlog = await bench.db.webhookDelivery.count({ where: { status: "received" } });
  for (const key of ["app", "workers"] as const) {
    console.log(
      `CPU ${key}: ${cpuUsed[key].toFixed(0)} s (${((cpuUsed[key] / seconds) * 100).toFixed(0)}% of a core), ` +
        `${((cpuUsed[key] / delivered) * 1000).toFixed(2)} s per 1,000 webhooks sent`,
    );
  }
  console.log(`inbox backlog at the end: ${backlog} of ${delivered} deliveries not yet applied; errors: ${errors}`);
  if (dead()) console.log("a process died during the soak");
  if (errors > 0 || grew || dead()) process.exitCode = 1;
} finally {
  load.close();
  rmSync(memoryDir, { recursive: true, force: true });
  await bench.close();
  await double.close();
}

interface ProbeLine {
  at: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
}

/** What memory-probe.ts wrote for one process, timed like the soak's own samples. */
function readProbe(pid: number | undefined, startedAt: number): ProbeLine[] {
  try {
    return readFileSync(path.join(memoryDir, `${pid}.jsonl`), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const { time, rss, heapTotal, heapUsed } = JSON.parse(line) as Omit<ProbeLine, "at"> & { time: number };
        return { at: (time - startedAt) / 1000, rss, heapTotal, heapUsed };
      });
  } catch {
    return [];
  }
}
