// The enqueue side of the job queues.
import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";

import { DEFAULT_JOB_OPTIONS, type JobName, type JobPayload, type QueueName } from "./queues";

export interface JobQueues {
  add<Q extends QueueName, N extends JobName<Q>>(
    queue: Q,
    name: N,
    payload: JobPayload<Q, N>,
    options?: JobsOptions,
  ): Promise<void>;
  queue(name: QueueName): Queue;
  close(): Promise<void>;
}

export function createJobQueues(connection: Redis, prefix: string): JobQueues {
  const queues = new Map<QueueName, Queue>();
  const queue = (name: QueueName) => {
    let found = queues.get(name);
    if (!found) {
      found = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      queues.set(name, found);
    }
    return found;
  };
  return {
    async add(name, jobName, payload, options) {
      await queue(name).add(jobName, payload, options);
    },
    queue,
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
