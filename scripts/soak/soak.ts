// npm run soak [-- --minutes 30 --webhooks 200 --admin 2 --proxy 5 --warm-up-minutes N]
// The app and workers as production processes on a database of their own with the demo shop
// (3,000 customers, its analytics run, loyalty program), as a shop is the day after install, so
// every order is re-scored as in production: webhook deliveries at a steady rate (the shop's own history
// replayed round after round under new webhook ids), embedded admin page loads (Home, Customers)
// with session tokens, and signed app proxy calls (a member's loyalty page), for N minutes.
// Reports p50/p99 and errors per route, and the resident memory of the app and the workers:
// after the warm-up it must stay flat (growth ≤ 10%). Exit 1 on any error or growth beyond it.
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
import { createBenchEnvironment, percentile } from "../bench/bench-env";
import { prepareDelivery } from "../bench/webhook-load";
import { ensureDemoAnalytics } from "../demo/demo-analytics";
import { DEMO_SCOPES, DEMO_TOKEN_ENCRYPTION_KEYS } from "../demo/demo-config";
import { ensureDemoLoyalty } from "../demo/demo-loyalty";
import { seedDemoShop } from "../demo/seed-demo-shop";
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
  const app = await bench.startApp();
  const workers = bench.startWorkers();

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
  const cpuAtStart = { app: cpuSeconds(app.process.pid), workers: cpuSeconds(workers.process.pid) };
  const sampler = setInterval(() => {
    const at = (performance.now() - started) / 1000;
    samples.push({ at, app: rssMiB(app.process.pid), workers: rssMiB(workers.process.pid) });
    if (samples.length % 12 === 0) {
      const last = samples.at(-1)!;
      log(
        `${at.toFixed(0)} s: ${delivered} webhooks sent, RSS app ${last.app.toFixed(0)} MiB, workers ${last.workers.toFixed(0)} MiB`,
      );
    }
  }, 5_000);
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
  // Memory: the mean of the samples in the minute after the warm-up against the last minute's.
  const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / Math.max(1, list.length);
  const window = (from: number, to: number, key: "app" | "workers") =>
    mean(samples.filter((s) => s.at >= from && s.at < to).map((s) => s[key]));
  const end = samples.at(-1)?.at ?? 0;
  let grew = false;
  for (const key of ["app", "workers"] as const) {
    const afterWarmUp = window(warmUpSeconds, warmUpSeconds + 60, key);
    const last = window(end - 60, end + 1, key);
    const growth = ((last - afterWarmUp) / afterWarmUp) * 100;
    if (!(growth <= 10)) grew = true;
    console.log(
      `RSS ${key}: ${afterWarmUp.toFixed(0)} MiB after the ${warmUpSeconds.toFixed(0)} s warm-up, ` +
        `${last.toFixed(0)} MiB in the last minute (${growth >= 0 ? "+" : ""}${growth.toFixed(1)}%, limit +10%); ` +
        `max ${Math.max(...samples.map((s) => s[key])).toFixed(0)} MiB`,
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
  await bench.close();
  await double.close();
}
