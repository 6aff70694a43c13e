// `npm run demo`: the app on its built-in demo store, with no access to Shopify.
// Creates and migrates the database, seeds the demo shop (idempotently), builds the
// app when its sources changed, starts the local Shopify double, the app server and
// the workers, and prints the one URL to open. Ctrl-C stops everything.
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Redis } from "ioredis";

import { createPrismaClient } from "../app/db.server";
import { createJobQueues } from "../app/jobs/job-queues.server";
import { exitOnStartupError } from "../app/lib/exit-on-startup-error.server";
import { logger } from "../app/lib/logger.server";
import { checkServices } from "../app/lib/service-checks.server";
import { applyMigrations, ensureDatabase } from "../prisma/migrator";
import { generateDemoStore } from "../test/shopify-double/demo-store";
import { startShopifyDouble } from "../test/shopify-double/index";
import { buildAppIfStale } from "./demo/build-app";
import { startChild, waitForHttp, type Child } from "./demo/child-process";
import { ensureDemoAnalytics } from "./demo/demo-analytics";
import { ensureDemoLoyalty } from "./demo/demo-loyalty";
import { DEMO_API_KEY, DEMO_API_SECRET, DEMO_SCOPES, DEMO_SHOP_DOMAIN, demoEnvironment } from "./demo/demo-config";
import { demoStoreAnchor, seedDemoShop } from "./demo/seed-demo-shop";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ports = { app: Number(process.env.DEMO_APP_PORT ?? 3456), double: Number(process.env.DEMO_DOUBLE_PORT ?? 3457) };
const childEnv = demoEnvironment(ports, process.env);
const log = (line: string) => console.log(`[demo] ${line}`);

await exitOnStartupError(() =>
  checkServices({ DATABASE_URL: maintenanceUrl(childEnv.DATABASE_URL!), REDIS_URL: childEnv.REDIS_URL! }),
);

function maintenanceUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  return url.toString();
}

// 1. Database and demo data.
const databaseUrl = childEnv.DATABASE_URL!;
await ensureDatabase(databaseUrl);
await applyMigrations(databaseUrl);
const db = createPrismaClient(databaseUrl);
// Generated as of the first run's day, so that every later run loads the very same store.
const anchor = await demoStoreAnchor(db, DEMO_SHOP_DOMAIN);
const store = generateDemoStore({ shopDomain: DEMO_SHOP_DOMAIN, ...(anchor ? { now: anchor } : {}) });
const seeded = await seedDemoShop(db, store);
log(`demo shop ${DEMO_SHOP_DOMAIN}: ${seeded.customers} customers, ${seeded.orders} orders`);
// The analytics once, so the dashboard has figures from the start (a no-op once a run exists).
const analytics = await ensureDemoAnalytics({ db, logger, databaseUrl }, DEMO_SHOP_DOMAIN);
log(analytics.ran ? `analytics computed in ${analytics.ms} ms` : `analytics: keeping run ${analytics.runId}`);
// A loyalty program with members and balances (its Shopify syncs wait in the queue for the workers).
const redis = new Redis(childEnv.REDIS_URL!, { maxRetriesPerRequest: null });
const jobs = createJobQueues(redis, childEnv.QUEUE_PREFIX!);
const loyalty = await ensureDemoLoyalty({ db, logger, jobs }, DEMO_SHOP_DOMAIN, anchor ?? new Date());
await jobs.close();
redis.disconnect();
await db.$disconnect();
if (loyalty.created) log(`loyalty program created; ${loyalty.ordersEvaluated} orders of its first year evaluated`);

// 2. The app build, the Shopify double, the app server and the workers.
buildAppIfStale(root, log);
const double = await startShopifyDouble({
  port: ports.double,
  apiKey: DEMO_API_KEY,
  apiSecret: DEMO_API_SECRET,
  appUrl: childEnv.SHOPIFY_APP_URL!,
  scopes: DEMO_SCOPES,
  shops: [store],
});
// tsx as a loader, not its CLI (which runs the program in a grandchild): each child is one
// process, so a signal to it reaches the program itself.
const children: Child[] = [
  startChild("app", process.execPath, ["--import", "tsx", "server.ts"], { env: childEnv, cwd: root }),
  startChild("workers", process.execPath, ["--import", "tsx", "workers/main.ts"], {
    env: { ...childEnv, KINSHIP_SERVICE: "workers" },
    cwd: root,
  }),
];

let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  log("stopping…");
  await Promise.all(children.map((child) => child.stop()));
  await double.close();
  process.exit(code);
}
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));
for (const child of children) {
  void child.exited.then((code) => {
    if (!stopping) {
      console.error(`[demo] ${child.name} exited (${code}); stopping the demo`);
      void stopAll(1);
    }
  });
}

await waitForHttp(`${childEnv.SHOPIFY_APP_URL}/`, 60_000, () => !stopping);
const url = double.adminUrl(DEMO_SHOP_DOMAIN);
console.log(`\nKinship demo is running. Open ${url}\n(Ctrl-C stops it.)\n`);
