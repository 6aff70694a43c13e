// Shared set-up of the benchmarks: a throwaway database, the app server and workers as
// real child processes on loopback, and a Redis key prefix of their own.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { createPrismaClient } from "../../app/db.server";
import { applyMigrations, dropDatabase, ensureDatabase } from "../../prisma/migrator";
import { buildAppIfStale } from "../demo/build-app";
import { DEMO_TOKEN_ENCRYPTION_KEYS } from "../demo/demo-config";
import { startChild, waitForHttp, type Child } from "../demo/child-process";

/** Node options (after tsx, so a TypeScript --import loads) and environment for one child. */
export interface ChildExtras {
  nodeArgs?: string[];
  env?: Record<string, string>;
}

const envNodeArgs = (name: string) => (process.env[name] ?? "").split(" ").filter(Boolean);

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export async function createBenchEnvironment(name: string, port: number) {
  const databaseUrl = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/kinship");
  databaseUrl.pathname = `/kinship_bench_${name}_${randomBytes(3).toString("hex")}`;
  await ensureDatabase(databaseUrl.toString());
  await applyMigrations(databaseUrl.toString());
  buildAppIfStale(ROOT, (line) => console.log(line));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    SHOPIFY_API_KEY: "kinship-bench-key",
    SHOPIFY_API_SECRET: "kinship-bench-secret",
    TOKEN_ENCRYPTION_KEYS: process.env.TOKEN_ENCRYPTION_KEYS ?? DEMO_TOKEN_ENCRYPTION_KEYS,
    // The loyalty bench sends 100 concurrent redemptions of one customer on purpose (exactly one
    // must win): the app proxy's per-customer limit would answer most of them 429 first.
    APP_PROXY_RATE_LIMIT_PER_CUSTOMER: "100000",
    APP_PROXY_RATE_LIMIT_PER_SHOP: "1000000",
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    QUEUE_PREFIX: `kinship-bench-${randomBytes(3).toString("hex")}`,
    PORT: String(port),
    LOG_LEVEL: "warn",
  };
  const db = createPrismaClient(env.DATABASE_URL!);
  const children: Child[] = [];
  // BENCH_LOG_DIR=/tmp/x keeps the app's and the workers' log lines there (app.log, workers.log).
  const logFile = (name: string) =>
    process.env.BENCH_LOG_DIR ? path.join(process.env.BENCH_LOG_DIR, `${name}.log`) : undefined;
  return {
    env,
    db,
    appUrl: env.SHOPIFY_APP_URL!,
    secret: env.SHOPIFY_API_SECRET!,
    /** `extra` adds node options and environment (the soak's memory probe). */
    async startApp(extra: ChildExtras = {}) {
      // BENCH_APP_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the server.
      const nodeArgs = [...envNodeArgs("BENCH_APP_NODE_ARGS"), ...(extra.nodeArgs ?? [])];
      const app = startChild("app", process.execPath, ["--import", "tsx", ...nodeArgs, "server.ts"], {
        env: { ...env, ...extra.env },
        cwd: ROOT,
        quiet: true,
        logFile: logFile("app"),
      });
      children.push(app);
      await waitForHttp(`${env.SHOPIFY_APP_URL}/`, 60_000, () => app.process.exitCode === null);
      return app;
    },
    startWorkers(extra: ChildExtras = {}) {
      // One process (tsx as a loader, not its CLI wrapper), so that SIGKILL hits the worker itself.
      // BENCH_WORKERS_NODE_ARGS profiles it as BENCH_APP_NODE_ARGS does the server.
      const nodeArgs = [...envNodeArgs("BENCH_WORKERS_NODE_ARGS"), ...(extra.nodeArgs ?? [])];
      const workers = startChild("workers", process.execPath, ["--import", "tsx", ...nodeArgs, "workers/main.ts"], {
        env: { ...env, ...extra.env },
        cwd: ROOT,
        quiet: true,
        logFile: logFile("workers"),
      });
      children.push(workers);
      return workers;
    },
    async close() {
      await Promise.all(children.map((child) => child.stop()));
      await db.$disconnect();
      const { Redis } = await import("ioredis");
      const redis = new Redis(env.REDIS_URL!);
      const keys = await redis.keys(`${env.QUEUE_PREFIX}:*`);
      // In slices: a long soak leaves a queue of 100,000+ jobs, too many arguments for one call.
      for (let i = 0; i < keys.length; i += 1_000) await redis.del(...keys.slice(i, i + 1_000));
      await redis.quit();
      await dropDatabase(env.DATABASE_URL!);
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
