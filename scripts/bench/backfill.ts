// `npm run bench:backfill [-- --orders N]`: the history import of a synthetic store of N
// orders (default 1,000,000) through the real backfill processor in a child worker process,
// on a throwaway database. Prints orders per second and the worker's peak RSS (VmHWM).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import { Redis } from "ioredis";

import { createPrismaClient } from "../../app/db.server";
import { createJobQueues } from "../../app/jobs/job-queues.server";
import { applyMigrations, dropDatabase, ensureDatabase } from "../../prisma/migrator";
import { storeOfflineSession } from "../../test/helpers/store-offline-session";
import { accessTokenKey, issueOfflineToken } from "../../test/shopify-double/access-token";
import { DEMO_TOKEN_ENCRYPTION_KEYS } from "../demo/demo-config";
import { configureBulkOperations, createSyntheticStore, startShopifyDouble } from "../../test/shopify-double/index";

const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const orders = Number(argument("orders") ?? 1_000_000);
const API_KEY = "kinship-bench-key";
const API_SECRET = "kinship-bench-secret";
const SHOP = "kinship-bench.myshopify.com";
const base = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/kinship");
base.pathname = `/kinship_bench_${randomBytes(4).toString("hex")}`;
const databaseUrl = base.toString();
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `kinship-bench-${randomBytes(4).toString("hex")}`;
const log = (line: string) => console.log(`[bench] ${line}`);

/** Peak RSS (kB) of a process and its descendants: tsx runs the script in a child of its own. */
function peakRssKb(pid: number): number {
  let peak = 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    peak = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    for (const child of children) peak = Math.max(peak, peakRssKb(Number(child)));
  } catch {
    // the process is gone
  }
  return peak;
}

await ensureDatabase(databaseUrl);
await applyMigrations(databaseUrl);
const db = createPrismaClient(databaseUrl);
const synthetic = createSyntheticStore({ domain: SHOP, orders });
// Nothing listens at appUrl: the import finds out through its polling fallback.
configureBulkOperations(SHOP, { sendFinishWebhook: false });
const double = await startShopifyDouble({
  apiKey: API_KEY,
  apiSecret: API_SECRET,
  appUrl: "http://127.0.0.1:9",
  scopes: "read_customers,read_orders,read_all_orders",
  shops: [synthetic.shop],
});
const shop = await db.shop.create({
  data: { domain: SHOP, name: synthetic.shop.name, currencyCode: "USD", ianaTimezone: "UTC" },
});
const TOKEN_KEYS = process.env.TOKEN_ENCRYPTION_KEYS ?? DEMO_TOKEN_ENCRYPTION_KEYS;
await storeOfflineSession(db, {
  shop: SHOP,
  scope: "read_customers,read_orders,read_all_orders",
  accessToken: issueOfflineToken(accessTokenKey(API_SECRET), SHOP),
  keys: TOKEN_KEYS,
});

// One process (tsx as a loader); BENCH_WORKER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof",
// profiles the worker alone.
const workerNodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? "").split(" ").filter(Boolean);
const worker = spawn(process.execPath, [...workerNodeArgs, "--import", "tsx", "workers/main.ts"], {
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    SHOPIFY_APP_URL: "http://127.0.0.1:9",
    TOKEN_ENCRYPTION_KEYS: TOKEN_KEYS,
    SHOPIFY_DOUBLE_URL: double.url,
    LOG_LEVEL: "warn",
    KINSHIP_SERVICE: "bench-worker",
  },
});
const workerExited = new Promise((resolve) => worker.once("exit", resolve));
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
const jobs = createJobQueues(redis, prefix);
let peakKb = 0;
const sampler = setInterval(() => (peakKb = Math.max(peakKb, peakRssKb(worker.pid!))), 200);

try {
  await new Promise((resolve) => setTimeout(resolve, 4_000)); // the worker process starts (tsx compiles)
  log(`importing ${orders.toLocaleString("en")} orders, ${synthetic.customerCount.toLocaleString("en")} customers`);
  // A monotonic clock: the wall clock of a VM may step during a long run.
  const started = performance.now();
  await jobs.add("backfill", "import-history", { shopDomain: SHOP, reason: "install" });
  let ordersPhaseStart: number | null = null;
  let lastPrint = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (worker.exitCode !== null) throw new Error(`the worker exited (${worker.exitCode})`);
    const run = await db.syncRun.findFirst({ where: { shopId: shop.id }, orderBy: { id: "desc" } });
    if (run && run.ordersCount > 0 && ordersPhaseStart === null) ordersPhaseStart = performance.now();
    if (run && performance.now() - lastPrint > 10_000) {
      lastPrint = performance.now();
      log(
        `customers ${run.customersCount}, orders ${run.ordersCount}, lines ${run.linesDone}/${run.expectedObjects ?? "?"}`,
      );
    }
    if (run && run.status !== "running") {
      const seconds = (performance.now() - started) / 1000;
      const ordersSeconds = ordersPhaseStart !== null ? (performance.now() - ordersPhaseStart) / 1000 : seconds;
      log(`status ${run.status}${run.error ? ` (${run.error})` : ""}`);
      log(
        `stored: ${await db.order.count({ where: { shopId: shop.id } })} orders, ${await db.customer.count({ where: { shopId: shop.id } })} customers`,
      );
      log(`wall time ${seconds.toFixed(1)} s (incl. polling delays): ${(orders / seconds).toFixed(0)} orders/s`);
      log(`orders phase ${ordersSeconds.toFixed(1)} s: ${(orders / ordersSeconds).toFixed(0)} orders/s`);
      log(`worker peak RSS ${(peakKb / 1024).toFixed(0)} MB`);
      break;
    }
  }
} finally {
  clearInterval(sampler);
  if (worker.exitCode === null) worker.kill("SIGTERM");
  await workerExited;
  await jobs.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await db.$disconnect();
  await double.close();
  // --keep-db leaves the database behind for EXPLAIN ANALYZE of the imported tables.
  if (process.argv.includes("--keep-db")) log(`kept database ${databaseUrl}`);
  else await dropDatabase(databaseUrl);
}
