// Runs the chaos scenarios in one environment (chaos-env.ts: its own PostgreSQL server and
// Redis) and returns a row per scenario. `short` is the CI version: smaller shops, shorter
// faults, the same checks.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { createChaosEnvironment, type ChaosEnvironment } from "./chaos-env";
import type { ScenarioResult } from "./chaos-checks";
import { chaosStore } from "./chaos-store";
import {
  ingestUnderFault,
  noFault,
  postgresCutFault,
  postgresRestartFault,
  redisLossFault,
  workersKillFault,
} from "./ingest-scenarios";
import { analyticsUnderRedisLoss, historyImportUnderKills, redemptionsUnderFault } from "./job-scenarios";

class StopRun extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ChaosOptions {
  short: boolean;
  /** Runs only the scenarios whose name matches. */
  only?: RegExp;
  log?: (line: string) => void;
}

export async function runChaos(options: ChaosOptions): Promise<ScenarioResult[]> {
  const log = options.log ?? (() => undefined);
  const short = options.short;
  const customers = short ? 30 : 600;
  const timeoutMs = options.short ? 150_000 : 300_000;
  const id = randomBytes(3).toString("hex");
  const stores = {
    redis: chaosStore(`chaos-redis-${id}.myshopify.com`, customers),
    postgres: chaosStore(`chaos-postgres-${id}.myshopify.com`, customers),
    restart: chaosStore(`chaos-restart-${id}.myshopify.com`, customers),
    workers: chaosStore(`chaos-workers-${id}.myshopify.com`, customers),
    import: chaosStore(`chaos-import-${id}.myshopify.com`, customers),
  };
  const env = await createChaosEnvironment({ stores: Object.values(stores) });
  const results: ScenarioResult[] = [];
  const wanted = (name: string) => !options.only || options.only.test(name);
  const record = (result: ScenarioResult) => {
    results.push(result);
    log(
      `${result.scenario}: sent ${result.sent}, lost ${result.lost}, duplicated ${result.duplicated}, recovery ${result.recoverySeconds.toFixed(1)} s (${result.notes})`,
    );
    // The short run (CI) stops at the first failed scenario: the rest would wait out their timeouts.
    if (short && (result.lost > 0 || result.duplicated > 0 || result.notes.includes("WRONG"))) throw new StopRun();
  };
  try {
    await env.startWorkers();
    const redis = wanted("redis")
      ? await ingestUnderFault(
          env,
          stores.redis,
          "Redis killed mid-ingest (data lost)",
          redisLossFault(env, short ? 1_000 : 5_000),
          { timeoutMs },
        )
      : null;
    if (redis) record(redis);
    if (redis && wanted("redis analytics")) {
      record(await analyticsUnderRedisLoss(env, { id: redis.shopId, domain: stores.redis.domain }, { timeoutMs }));
    }
    if (wanted("postgres")) {
      record(
        await ingestUnderFault(
          env,
          stores.postgres,
          "PostgreSQL connections cut mid-ingest",
          postgresCutFault(env, short ? 2_000 : 10_000),
          { timeoutMs },
        ),
      );
    }
    if (wanted("postgres restart")) {
      record(
        await ingestUnderFault(
          env,
          stores.restart,
          "PostgreSQL server crashed and restarted mid-ingest",
          postgresRestartFault(env, short ? 2_000 : 10_000),
          { timeoutMs, expect503: true },
        ),
      );
    }
    const workers = await ingestUnderFault(
      env,
      stores.workers,
      "Workers SIGKILLed mid-ingest (refund reversals)",
      wanted("workers") ? workersKillFault(env, short ? 2 : 5) : noFault(),
      { timeoutMs },
    );
    if (wanted("workers")) record(workers);
    const shop = { id: workers.shopId, domain: stores.workers.domain, rewardId: workers.rewardId };
    const redemptions = short ? 15 : 60;
    if (wanted("workers redemption")) {
      record(
        await redemptionsUnderFault(
          env,
          shop,
          "Workers SIGKILLed mid redemption",
          redemptions,
          async () => {
            // A slow Shopify keeps the issues in flight long enough for the kills to land in them.
            env.double.throttle.slowNext(shop.domain, 300, redemptions * 2);
            const kills = short ? 2 : 4;
            for (let i = 0; i < kills; i++) {
              await sleep(300 + Math.random() * 1_500);
              await env.killWorkers();
              await env.startWorkers();
            }
            return `workers SIGKILLed ${kills}×`;
          },
          { timeoutMs },
        ),
      );
    }
    if (wanted("shopify")) {
      record(
        await redemptionsUnderFault(
          env,
          shop,
          "Shopify 5xx, THROTTLED and slow",
          redemptions,
          async () => {
            env.double.throttle.failNext(shop.domain, 500, redemptions);
            env.double.throttle.failNext(shop.domain, 429, 3);
            env.double.throttle.set(shop.domain, 0);
            env.double.throttle.slowNext(shop.domain, 2_000, 6);
            return `${redemptions}× 500, 3× 429, bucket emptied (THROTTLED), 6× 2 s slow`;
          },
          { timeoutMs },
        ),
      );
    }
    if (wanted("workers import")) {
      record(await historyImportUnderKills(env, stores.import, short ? 2 : 4, { timeoutMs }));
    }
  } catch (error) {
    const file = path.join(tmpdir(), `kinship-chaos-workers-${id}.log`);
    writeFileSync(file, env.workersOutput());
    const postgresLog = path.join(tmpdir(), `kinship-chaos-postgres-${id}.log`);
    writeFileSync(postgresLog, env.postgres.log());
    log(`failed; the workers' output is in ${file}, PostgreSQL's log in ${postgresLog}`);
    // CI keeps only what the run printed: what the database and the queues were doing, and the
    // workers' last warnings, go there too.
    log(await postMortem(env).catch((reason: Error) => `post-mortem failed: ${reason.message}`));
    if (error instanceof StopRun) return results;
    throw error;
  } finally {
    await env.close();
  }
  return results;
}

/** The run's state at a failure: open database sessions, job counts, the workers' last warnings. */
async function postMortem(env: ChaosEnvironment): Promise<string> {
  const sessions = await env.db.$queryRaw<Record<string, unknown>[]>`
    SELECT pid, usename::text AS role, application_name, state, wait_event_type, wait_event,
           round(extract(epoch FROM now() - xact_start))::int AS xact_s, left(query, 160) AS query
    FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  const counts = await Promise.all(
    (["ingest", "loyalty", "shopify-calls"] as const).map(
      async (name) => `${name} ${JSON.stringify(await env.jobs.queue(name).getJobCounts())}`,
    ),
  );
  const warnings = env
    .workersOutput()
    .split("\n")
    .filter((line) => /"level":(40|50|60)/.test(line))
    .slice(-40);
  return [
    "post-mortem: database sessions",
    ...sessions.map((session) => `  ${JSON.stringify(session)}`),
    "post-mortem: jobs",
    ...counts.map((line) => `  ${line}`),
    "post-mortem: the workers' last warnings",
    ...warnings.map((line) => `  ${line.slice(0, 400)}`),
  ].join("\n");
}
