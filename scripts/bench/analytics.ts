// `npm run bench:analytics [-- --customers N --orders N --regenerate --first-run]`: the analytics
// run of a generated shop (default 1,000,000 customers, 5,000,000 orders, three years) through
// the real analytics processor in a child worker process. Prints the wall time of every phase,
// the BG/NBD fit alone on the run's distinct (x, t_x, T) groups, and the worker's peak RSS.
// The generated shop is kept in its own database (named by its size) and reused unless
// --regenerate is given. A run on a shop with scores is the nightly steady state (updates);
// --first-run clears the shop's scores first to measure a shop's first run (inserts). Before a
// nightly run the stored CLVs are shifted by one minor unit, as a day's passing changes them.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";

import { Redis } from "ioredis";
import pg from "pg";

import { ANALYTICS_APPLICATION_NAME } from "../../app/crm/analytics/analytics-connection.repository.server";
import { ANALYTICS_PHASES } from "../../app/crm/analytics/run-shop-analytics.server";
import { fitBgNbd } from "../../app/crm/clv/bg-nbd";
import { createPrismaClient } from "../../app/db.server";
import { createJobQueues } from "../../app/jobs/job-queues.server";
import { applyMigrations, dropDatabase, ensureDatabase } from "../../prisma/migrator";
import { spawnTsx } from "../../test/helpers/spawn-tsx";
import { DEMO_TOKEN_ENCRYPTION_KEYS } from "../demo/demo-config";
import { generateShopHistory } from "./analytics/generate-shop-history";

const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const customers = Number(argument("customers") ?? 1_000_000);
const orders = Number(argument("orders") ?? 5_000_000);
const regenerate = process.argv.includes("--regenerate");
const firstRun = process.argv.includes("--first-run");
const SHOP = "analytics-bench.myshopify.com";
const READY = "Analytics bench (generated)";
const base = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/kinship");
base.pathname = `/kinship_bench_analytics_${customers}_${orders}`;
const databaseUrl = base.toString();
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `kinship-bench-${randomBytes(4).toString("hex")}`;
const log = (line: string) => console.log(`[bench] ${line}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function peakRssKb(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0; // the process is gone
  }
}

if (regenerate) await dropDatabase(databaseUrl);
await ensureDatabase(databaseUrl);
await applyMigrations(databaseUrl);
const db = createPrismaClient(databaseUrl);
let shop = await db.shop.findUnique({ where: { domain: SHOP } });
if (shop?.name !== READY) {
  if (shop) await db.shop.delete({ where: { id: shop.id } });
  shop = await db.shop.create({
    data: { domain: SHOP, name: "generating", currencyCode: "USD", ianaTimezone: "America/New_York" },
  });
  log(`generating ${customers.toLocaleString("en")} customers and ${orders.toLocaleString("en")} orders`);
  const started = Date.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await generateShopHistory(client, shop.id, { customers, orders, end: new Date(), years: 3 });
  await client.query("VACUUM ANALYZE customers");
  await client.query("VACUUM ANALYZE orders");
  await client.end();
  shop = await db.shop.update({ where: { id: shop.id }, data: { name: READY } });
  log(`generated in ${seconds(Date.now() - started)}`);
} else {
  log(`reusing the generated shop in ${base.pathname.slice(1)} (--regenerate to make a new one)`);
}
if (firstRun) {
  // The bench database holds this one shop: TRUNCATE leaves the table as a fresh install finds it.
  await db.$executeRawUnsafe(`TRUNCATE customer_scores`);
  await db.$executeRawUnsafe(`CHECKPOINT`);
}
const hadScores = (await db.customerScore.count({ where: { shopId: shop.id } })) > 0;
if (hadScores) {
  // A real nightly run comes a day after the last one: T has grown, so every customer's CLV (an
  // indexed column) changes and no update can be HOT. A rerun on the same day would write the
  // same CLVs back, HOT, and understate the night's cost about 2x: make the stored ones differ.
  log("making the stored CLVs differ from the run's, as a day later (not timed)");
  // As a whole-shop writer does, without patching the Customers list table row by row.
  await db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL kinship.customer_list_patch = 'off'");
      await tx.$executeRaw`UPDATE customer_scores SET clv_minor = clv_minor + 1 WHERE shop_id = ${shop.id}`;
    },
    { timeout: 30 * 60_000 },
  );
  await db.$executeRawUnsafe(`VACUUM customer_scores`);
}

const worker = spawnTsx("workers/main.ts", {
  ...process.env,
  NODE_ENV: "production",
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: prefix,
  SHOPIFY_API_KEY: "kinship-bench-key",
  SHOPIFY_API_SECRET: "kinship-bench-secret",
  SHOPIFY_APP_URL: "http://127.0.0.1:9",
  TOKEN_ENCRYPTION_KEYS: process.env.TOKEN_ENCRYPTION_KEYS ?? DEMO_TOKEN_ENCRYPTION_KEYS,
  LOG_LEVEL: "warn",
  KINSHIP_SERVICE: "bench-worker",
  NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS ?? process.env.NODE_OPTIONS,
});
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
const jobs = createJobQueues(redis, prefix);
let peakKb = 0;
const sampler = setInterval(() => (peakKb = Math.max(peakKb, peakRssKb(worker.child.pid!))), 100);

try {
  const previousRun = await db.analyticsRun.findFirst({ where: { shopId: shop.id }, orderBy: { id: "desc" } });
  const workerCpuBefore = cpuSeconds(worker.child.pid!);
  await jobs.add("analytics", "compute-shop", { shopDomain: SHOP, trigger: "nightly" });
  // The run's own PostgreSQL backend, whose CPU time counts as much as the worker's: on a shared
  // machine, CPU seconds say what wall time on an idle one would.
  let backendPid: number | null = null;
  let backendCpu = 0;
  const backendSampler = setInterval(() => {
    if (backendPid === null) {
      void db.$queryRaw<{ pid: number }[]>`
        SELECT pid FROM pg_stat_activity WHERE application_name = ${ANALYTICS_APPLICATION_NAME}
          AND datname = current_database()`.then((rows) => (backendPid = rows[0]?.pid ?? null));
    } else {
      const cpu = cpuSeconds(backendPid);
      if (Number.isFinite(cpu)) backendCpu = cpu;
    }
  }, 200);
  const loadBefore = loadavg().map((l) => l.toFixed(1));
  log(
    `nightly run queued (${hadScores ? "scores of an earlier run present: updates" : "first run: inserts"}); load average ${loadBefore.join(" ")}`,
  );
  let run = null;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (worker.child.exitCode !== null) throw new Error(`worker exited:\n${worker.output()}`);
    run = await db.analyticsRun.findFirst({
      where: { shopId: shop.id, id: { gt: previousRun?.id ?? 0 } },
      orderBy: { id: "desc" },
    });
    if (run && run.status !== "running") break;
  }
  clearInterval(backendSampler);
  const workerCpu = cpuSeconds(worker.child.pid!) - workerCpuBefore;
  peakKb = Math.max(peakKb, peakRssKb(worker.child.pid!));
  log(`status ${run.status}${run.error ? ` (${run.error})` : ""}`);
  if (run.status !== "succeeded") throw new Error(`the run ${run.status}`);
  log(
    `customers ${run.customersCount.toLocaleString("en")}, orders ${run.ordersCount.toLocaleString("en")}, repeat customers ${run.repeatCustomersCount.toLocaleString("en")}, stage transitions ${run.transitionsCount.toLocaleString("en")}`,
  );
  const durations = run.phaseDurations as Record<string, number>;
  for (const phase of ANALYTICS_PHASES) log(`  ${phase.padEnd(20)} ${seconds(durations[phase] ?? 0).padStart(9)}`);
  const wall = run.finishedAt!.getTime() - run.startedAt.getTime();
  log(
    `full run ${seconds(wall)} wall (target < 60 s); CPU: worker ${workerCpu.toFixed(1)} s, PostgreSQL backend ${backendCpu.toFixed(1)} s; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );

  // The BG/NBD fit alone, on the distinct groups of the run just made.
  const groups = (
    await db.$queryRaw<{ frequency: number; recency: number; t: number; count: bigint }[]>`
      SELECT frequency, recency, t, count(*) AS count FROM customer_scores WHERE shop_id = ${shop.id}
      GROUP BY frequency, recency, t`
  ).map((row) => ({ frequency: row.frequency, recency: row.recency, T: row.t, count: Number(row.count) }));
  const fitStarted = performance.now();
  const fitCpuBefore = process.cpuUsage();
  const fit = fitBgNbd(groups);
  const fitMs = performance.now() - fitStarted;
  const fitCpu = process.cpuUsage(fitCpuBefore);
  const fitCpuMs = (fitCpu.user + fitCpu.system) / 1000;
  log(
    `BG/NBD fit alone ${seconds(fitMs)} wall, ${seconds(fitCpuMs)} CPU on ${groups.length.toLocaleString("en")} distinct groups (target < 2 s)`,
  );
  log(
    `  r ${fit.r.toFixed(4)}, alpha ${fit.alpha.toFixed(4)}, a ${fit.a.toFixed(4)}, b ${fit.b.toFixed(4)}, log-likelihood ${fit.logLikelihood.toFixed(1)}`,
  );
  log(`  run's fit: ${JSON.stringify((run.modelFit as { bgNbd?: unknown; kind: string }).bgNbd ?? run.modelFit)}`);
  log(`worker peak RSS ${(peakKb / 1024).toFixed(0)} MB (target < 1536 MB)`);
  console.log(
    JSON.stringify({
      run: hadScores ? "nightly" : "first",
      customers: run.customersCount,
      orders: run.ordersCount,
      fullRunMs: wall,
      workerCpuS: workerCpu,
      postgresCpuS: backendCpu,
      phases: run.phaseDurations,
      bgNbdFitMs: Math.round(fitMs),
      bgNbdFitCpuMs: Math.round(fitCpuMs),
      groups: groups.length,
      peakRssMb: Math.round(peakKb / 1024),
      loadBefore: loadBefore.join(" "),
      loadAfter: loadavg()
        .map((l) => l.toFixed(1))
        .join(" "),
    }),
  );
} finally {
  clearInterval(sampler);
  worker.child.kill("SIGTERM");
  await worker.exited;
  await jobs.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await db.$disconnect();
}
