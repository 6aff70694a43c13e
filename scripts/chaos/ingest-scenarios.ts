// Faults during webhook ingest: Redis killed (its data lost), PostgreSQL connections cut, the
// PostgreSQL server crashed and restarted, the workers SIGKILLed. Each sends a shop's whole history like Shopify (retrying non-200s),
// injects its fault part-way, then measures lost and duplicated events and the recovery time.
import type { StoreShop } from "../../test/shopify-double/store-data";
import type { ChaosEnvironment } from "./chaos-env";
import { ingestOutcome, waitUntilSettled, type ScenarioResult } from "./chaos-checks";
import { chaosDeliveries, describeTally, sendLikeShopify, setUpChaosShop } from "./chaos-store";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Fault {
  /** Share of the deliveries acknowledged before the fault starts. */
  at: number;
  /** Injects the fault and ends it; resolves when the system may recover. */
  run(): Promise<string>;
}

export async function ingestUnderFault(
  env: ChaosEnvironment,
  store: StoreShop,
  scenario: string,
  fault: Fault,
  options: { timeoutMs: number; /** The fault must have made the webhook server answer 503. */ expect503?: boolean },
): Promise<ScenarioResult & { shopId: number; rewardId: number }> {
  const { shopId, rewardId } = await setUpChaosShop(env.db, store);
  const { unique, prepared } = chaosDeliveries(store, env.secret);
  let faultRun: Promise<string> | undefined;
  let faultEndedAt = 0;
  let firstAckAfterFault = 0;
  const tally = await sendLikeShopify(env.webhookUrl, prepared, {
    concurrency: 16,
    onProgress: (acknowledged) => {
      if (faultEndedAt && !firstAckAfterFault) firstAckAfterFault = performance.now();
      if (!faultRun && acknowledged >= prepared.length * fault.at) {
        faultRun = fault.run().finally(() => (faultEndedAt = performance.now()));
      }
    },
  });
  const faultNotes = await faultRun!;
  // How soon webhooks are stored again: the rest of the recovery is working off the backlog.
  const answering = firstAckAfterFault
    ? `first 200 ${((firstAckAfterFault - faultEndedAt) / 1000).toFixed(1)} s after the fault`
    : "every webhook answered 200 before the fault ended";
  // Not settling in time is a result, not a crash: what is still unapplied counts as lost.
  const settled = await waitUntilSettled(env, store.domain, {
    deliveries: unique,
    queues: ["ingest", "loyalty", "shopify-calls"],
    timeoutMs: options.timeoutMs,
  }).then(
    () => "",
    (error: Error) => `; WRONG: ${error.message}`,
  );
  // From the end of the fault until every event is applied and every follow-up job has run.
  const recoverySeconds = (performance.now() - faultEndedAt) / 1000;
  const outcome = await ingestOutcome(env, store, shopId);
  // Shopify retries any failure, but a 500 says "our bug"; only 503 (try later) is the answer for a
  // delivery that could not be stored.
  const unexpected = [...tally.statuses.keys()].filter((status) => status !== 200 && status !== 503);
  const wrongAnswers =
    (unexpected.length ? `; WRONG answers: ${unexpected.join(", ")}` : "") +
    (options.expect503 && !tally.statuses.has(503) ? "; WRONG: no webhook answered 503 during the fault" : "");
  return {
    scenario,
    sent: unique,
    lost: outcome.lost,
    duplicated: outcome.duplicated,
    recoverySeconds,
    notes: `${faultNotes}; answers ${describeTally(tally)}, ${answering}; ${outcome.notes}${wrongAnswers}${settled}`,
    shopId,
    rewardId,
  };
}

/** Redis SIGKILLed and started again empty: queues, jobs and schedulers are gone. */
export function redisLossFault(env: ChaosEnvironment, downMs: number): Fault {
  return {
    at: 0.4,
    async run() {
      await env.redis.kill();
      await sleep(downMs);
      await env.redis.start();
      // The workers' reconnection restores the schedulers and queues the loyalty evaluations
      // again (restore-schedules.server.ts); it logs once done.
      const deadline = Date.now() + 20_000;
      while (!env.workersOutput().includes("Redis had lost its job schedulers; restored")) {
        if (Date.now() > deadline) return `Redis down ${downMs} ms; WRONG: schedulers NOT restored`;
        await sleep(200);
      }
      if (!(await env.jobs.queue("ingest").getJobScheduler("inbox-sweeper"))) {
        return `Redis down ${downMs} ms; WRONG: inbox sweeper NOT restored`;
      }
      const replayed = /"evaluations":(\d+)/.exec(env.workersOutput())?.[1] ?? "?";
      return `Redis down ${downMs} ms, schedulers restored, ${replayed} loyalty evaluations queued again`;
    },
  };
}

/** Every connection to the run's database cut, again and again, for `forMs`. */
export function postgresCutFault(env: ChaosEnvironment, forMs: number): Fault {
  return {
    at: 0.3,
    async run() {
      let cut = 0;
      const until = Date.now() + forMs;
      while (Date.now() < until) {
        cut += await env.terminateDatabaseConnections();
        await sleep(150);
      }
      return `${cut} PostgreSQL connections terminated over ${forMs / 1000} s`;
    },
  };
}

/**
 * The whole PostgreSQL server crashed (`pg_ctl stop -m immediate`: no checkpoint, every
 * connection gone), left down `downMs`, then started again (crash recovery first). Nobody
 * tells the app or the workers: their pools must find the server again by themselves.
 */
export function postgresRestartFault(env: ChaosEnvironment, downMs: number): Fault {
  return {
    at: 0.3,
    async run() {
      await env.postgres.crash();
      await sleep(downMs);
      const starting = performance.now();
      await env.postgres.start();
      const startSeconds = (performance.now() - starting) / 1000;
      return `PostgreSQL crashed (immediate stop), down ${downMs / 1000} s, back after ${startSeconds.toFixed(1)} s of crash recovery and start`;
    },
  };
}

/** The workers process SIGKILLed `times` times at random moments, restarted each time. */
export function workersKillFault(env: ChaosEnvironment, times: number): Fault {
  return {
    at: 0.2,
    async run() {
      for (let i = 0; i < times; i++) {
        await sleep(200 + Math.random() * 1_500);
        await env.killWorkers();
        await env.startWorkers();
      }
      return `workers SIGKILLed ${times}×`;
    },
  };
}

/** No fault: the shop's history only, for scenarios that need its data. */
export function noFault(): Fault {
  return { at: 1, run: async () => "no fault" };
}
