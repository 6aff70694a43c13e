// The chaos run's world: a PostgreSQL server and a Redis of its own (so cutting connections,
// crashing PostgreSQL or losing Redis data harms no one else on the machine), the Shopify
// double hosting the run's store, and the app's webhook server and workers as real child
// processes that can be SIGKILLed.
import { randomBytes } from "node:crypto";

import { Redis } from "ioredis";
import pg from "pg";

import { envSchema } from "../../app/config/env.server";
import { createPrismaClient, type PrismaClient } from "../../app/db.server";
import { encryptToken, generateTokenKey, parseTokenKeyring } from "../../app/crm/security/token-cipher";
import { createJobQueues, type JobQueues } from "../../app/jobs/job-queues.server";
import { QUEUE_NAMES } from "../../app/jobs/queues";
import { applyMigrations, ensureDatabase } from "../../prisma/migrator";
import { freePort } from "../../test/helpers/free-port";
import { spawnTsx, type SpawnedProcess } from "../../test/helpers/spawn-tsx";
import { accessTokenKey, issueOfflineToken } from "../../test/shopify-double/access-token";
import { startShopifyDouble, type ShopifyDouble } from "../../test/shopify-double/index";
import type { StoreShop } from "../../test/shopify-double/store-data";
import { startPrivatePostgres, type PrivatePostgres } from "./private-postgres";
import { startPrivateRedis, type PrivateRedis } from "./private-redis";

export interface ChaosEnvironment {
  databaseUrl: string;
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  double: ShopifyDouble;
  db: PrismaClient;
  jobs: JobQueues;
  /** A plain connection to Redis for the driver's own checks. */
  redisClient: Redis;
  prefix: string;
  secret: string;
  webhookUrl: string;
  startWorkers(): Promise<SpawnedProcess>;
  /** Everything the workers processes printed, for a failed run's post-mortem. */
  workersOutput(): string;
  /** SIGKILL: no graceful close, the running jobs keep their locks until they stall. */
  killWorkers(): Promise<void>;
  /** Ends PostgreSQL backends of this run's database only (never anyone else's). */
  terminateDatabaseConnections(): Promise<number>;
  close(): Promise<void>;
}

export async function createChaosEnvironment(options: { stores: StoreShop[] }) {
  const suffix = randomBytes(3).toString("hex");
  const postgres = await startPrivatePostgres();
  const url = new URL(postgres.url);
  url.pathname = "/kinship_chaos";
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  await applyMigrations(databaseUrl);
  const redis = await startPrivateRedis();
  const secret = "kinship-chaos-secret";
  const apiKey = "kinship-chaos-key";
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const double = await startShopifyDouble({
    apiKey,
    apiSecret: secret,
    appUrl,
    scopes: envSchema.shape.SCOPES.parse(undefined),
    shops: options.stores,
  });
  const tokenKeys = generateTokenKey("chaos");
  const prefix = `kinship-chaos-${suffix}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "test",
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: secret,
    SHOPIFY_APP_URL: appUrl,
    SHOPIFY_DOUBLE_URL: double.url,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    TOKEN_ENCRYPTION_KEYS: tokenKeys,
    PORT: String(port),
    LOG_LEVEL: "info",
  };
  const db = createPrismaClient(databaseUrl);
  // The offline sessions the workers' Admin clients load, stored encrypted as the app stores them.
  for (const store of options.stores) {
    await db.session.create({
      data: {
        id: `offline_${store.domain}`,
        shop: store.domain,
        state: "",
        scope: envSchema.shape.SCOPES.parse(undefined),
        accessToken: encryptToken(
          issueOfflineToken(accessTokenKey(secret), store.domain),
          store.domain,
          parseTokenKeyring(tokenKeys),
        ),
      },
    });
  }
  const redisClient = new Redis(redis.url, { maxRetriesPerRequest: null });
  // Redis going away is the point of the run; its connection errors are expected.
  redisClient.on("error", () => undefined);
  const jobs = createJobQueues(redisClient, prefix);
  const webhookServer = spawnTsx("scripts/chaos/webhook-server.ts", { ...env, LOG_LEVEL: "warn" });
  await webhookServer.waitFor("listening", 60_000);
  let workers: SpawnedProcess | undefined;
  let earlierOutput = "";
  for (const name of QUEUE_NAMES) jobs.queue(name).on("error", () => undefined);
  const environment: ChaosEnvironment = {
    databaseUrl,
    postgres,
    redis,
    double,
    db,
    jobs,
    redisClient,
    prefix,
    secret,
    webhookUrl: appUrl,
    workersOutput: () => earlierOutput + (workers?.output() ?? ""),
    async startWorkers() {
      earlierOutput += workers?.output() ?? "";
      workers = spawnTsx("workers/main.ts", env);
      await workers.waitFor("workers started", 60_000);
      return workers;
    },
    async killWorkers() {
      if (!workers || workers.child.exitCode !== null || workers.child.signalCode) return;
      workers.child.kill("SIGKILL");
      await workers.exited;
    },
    async terminateDatabaseConnections() {
      const maintenance = new URL(databaseUrl);
      maintenance.pathname = "/postgres";
      const client = new pg.Client({ connectionString: maintenance.toString() });
      await client.connect();
      try {
        const { rowCount } = await client.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          [decodeURIComponent(url.pathname.slice(1))],
        );
        return rowCount ?? 0;
      } finally {
        await client.end();
      }
    },
    async close() {
      if (workers && workers.child.exitCode === null && !workers.child.signalCode) {
        workers.child.kill("SIGTERM");
        const timer = setTimeout(() => workers?.child.kill("SIGKILL"), 15_000);
        await workers.exited;
        clearTimeout(timer);
      }
      webhookServer.child.kill("SIGTERM");
      await webhookServer.exited;
      await jobs.close().catch(() => undefined);
      redisClient.disconnect();
      await redis.stop();
      await double.close();
      await db.$disconnect();
      await postgres.stop();
    },
  };
  return environment;
}
