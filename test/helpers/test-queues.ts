// The BullMQ queues of this test file (its own key prefix, see test/setup-env.ts).
import { Queue } from "bullmq";
import { Redis } from "ioredis";

import type { QueueName } from "../../app/jobs/queues";

export function openTestQueues() {
  const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  const prefix = process.env.QUEUE_PREFIX!;
  const queues = new Map<QueueName, Queue>();
  const queue = (name: QueueName) => {
    if (!queues.has(name)) queues.set(name, new Queue(name, { connection, prefix }));
    return queues.get(name)!;
  };
  return {
    connection,
    prefix,
    queue,
    async jobs(name: QueueName) {
      return queue(name).getJobs(["waiting", "active", "delayed", "completed", "failed", "prioritized"]);
    },
    /** Removes every key of this prefix and closes the connection. */
    async cleanUp() {
      const keys = await connection.keys(`${prefix}:*`);
      if (keys.length) await connection.del(...keys);
      await Promise.all([...queues.values()].map((q) => q.close()));
      await connection.quit();
    },
  };
}
