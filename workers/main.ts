// `npm run workers`: every BullMQ worker in one process. SIGTERM/SIGINT finish (or
// release) the current jobs and close connections before exiting.
import { env } from "../app/config/env.server";
import { createPrismaClient } from "../app/db.server";
import { scheduleInboxSweeper } from "../app/crm/data-health/inbox-sweeper.server";
import { scheduleRetention } from "../app/crm/privacy/retention.server";
import { restoreLostJobSchedulers } from "../app/crm/data-health/restore-schedules.server";
import { createJobQueues } from "../app/jobs/job-queues.server";
import { createRedisConnection } from "../app/jobs/redis.server";
import { exitOnStartupError } from "../app/lib/exit-on-startup-error.server";
import { logger } from "../app/lib/logger.server";
import { checkServices } from "../app/lib/service-checks.server";
import { startWorkers } from "./start-workers";

const config = await exitOnStartupError(async () => {
  const parsed = env();
  await checkServices(parsed);
  return parsed;
});

const db = createPrismaClient(config.DATABASE_URL);
const connection = createRedisConnection(config.REDIS_URL, "worker");
const jobs = createJobQueues(connection, config.QUEUE_PREFIX);
const running = startWorkers({ db, logger, jobs, connection, prefix: config.QUEUE_PREFIX });
await scheduleInboxSweeper(jobs);
await scheduleRetention(jobs);
// After a reconnection, Redis may have come back empty (it keeps nothing on disk): put the
// schedulers back; the inbox sweeper then re-enqueues whatever the lost jobs had not applied.
connection.on("ready", () => {
  restoreLostJobSchedulers({ db, jobs, logger }).catch((error: Error) =>
    logger.error({ err: error.message }, "job schedulers not restored"),
  );
});
logger.info({ queues: running.workers.map((worker) => worker.name) }, "workers started");
process.send?.("ready");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "workers stopping");
  await running.stop();
  await jobs.close();
  await connection.quit().catch(() => undefined);
  await db.$disconnect();
  logger.info("workers stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
