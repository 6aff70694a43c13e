// The app process's queues, created on first use.
import { env } from "../config/env.server";
import { createJobQueues, type JobQueues } from "./job-queues.server";
import { createRedisConnection } from "./redis.server";

let queues: JobQueues | undefined;

export function jobs(): JobQueues {
  queues ??= createJobQueues(createRedisConnection(env().REDIS_URL, "producer"), env().QUEUE_PREFIX);
  return queues;
}
