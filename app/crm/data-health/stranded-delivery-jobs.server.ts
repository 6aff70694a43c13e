// What the inbox sweeper needs to know about a page of stranded deliveries' jobs, and what it
// does about each. One Redis pipeline per queue for the whole page (EXISTS on the job's hash,
// ZSCORE in the failed set), not getJob and getState per job: those are a hash read and a Lua
// script each, and a backlog of thousands made them thousands a minute.
import { Redis } from "ioredis";

import type { JobQueues } from "../../jobs/job-queues.server";
import { deliveryJobId, deliveryJobTarget } from "./delivery-jobs";

export interface DeliveryJobFacts {
  /** The job's hash is in Redis (what getJob finds). */
  exists: boolean;
  /** The job is in its queue's failed set: it failed for good. */
  failed: boolean;
}

export type StrandedDeliveryAction = "enqueue" | "dead-letter" | "leave";

/**
 * A missing job is enqueued again, a job that failed for good is a dead letter the worker did
 * not write, and any other job (waiting, delayed, active, completed) is left alone.
 */
export function strandedDeliveryAction(job: DeliveryJobFacts): StrandedDeliveryAction {
  if (!job.exists) return "enqueue";
  return job.failed ? "dead-letter" : "leave";
}

interface DeliveryOfJob {
  id: bigint;
  topic: string;
  attempts: number;
}

/** The facts about each delivery's job, in the deliveries' order. */
export async function lookUpDeliveryJobs(jobs: JobQueues, deliveries: DeliveryOfJob[]): Promise<DeliveryJobFacts[]> {
  const facts: DeliveryJobFacts[] = deliveries.map(() => ({ exists: false, failed: false }));
  const indexesByQueue = new Map<"privacy" | "ingest", number[]>();
  for (const [index, delivery] of deliveries.entries()) {
    const queue = deliveryJobTarget(delivery.topic).queue;
    const indexes = indexesByQueue.get(queue) ?? [];
    indexes.push(index);
    indexesByQueue.set(queue, indexes);
  }
  await Promise.all(
    [...indexesByQueue].map(async ([queueName, indexes]) => {
      const queue = jobs.queue(queueName);
      const client = await queue.getBackend().client;
      // BullMQ's client interface has no EXISTS or ZSCORE; the queues are on an ioredis connection.
      if (!(client instanceof Redis)) throw new Error(`The ${queueName} queue is not on an ioredis connection`);
      const redis: Redis = client;
      const pipeline = redis.pipeline();
      for (const index of indexes) {
        const delivery = deliveries[index]!;
        const jobId = deliveryJobId(delivery.id, delivery.attempts);
        pipeline.exists(queue.toKey(jobId)).zscore(queue.toKey("failed"), jobId);
      }
      const replies = (await pipeline.exec()) ?? [];
      for (const [position, index] of indexes.entries()) {
        const [existsReply, failedReply] = [replies[2 * position], replies[2 * position + 1]];
        if (!existsReply || !failedReply) throw new Error(`The ${queueName} queue's lookup came back short`);
        const error = existsReply[0] ?? failedReply[0];
        if (error) throw error;
        facts[index] = { exists: existsReply[1] === 1, failed: failedReply[1] !== null };
      }
    }),
  );
  return facts;
}
