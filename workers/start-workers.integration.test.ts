// Graceful shutdown: stopping the workers lets the running job finish first.
import { afterAll, describe, expect, it } from "vitest";

import { createJobQueues } from "../app/jobs/job-queues.server";
import { logger } from "../app/lib/logger.server";
import { createTestPrisma } from "../test/helpers/test-database";
import { openTestQueues } from "../test/helpers/test-queues";
import { startWorkers } from "./start-workers";

const db = createTestPrisma();
const queues = openTestQueues();
const producer = createJobQueues(queues.connection, queues.prefix);

afterAll(async () => {
  await producer.close();
  await queues.cleanUp();
  await db.$disconnect();
});

describe("startWorkers", () => {
  it("finishes the job in progress before it stops", async () => {
    // Given a worker busy with a slow job
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const running = startWorkers({
      db,
      logger,
      jobs: producer,
      connection: queues.connection,
      prefix: queues.prefix,
      processors: {
        ingest: async () => {
          markStarted();
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          return "finished";
        },
      },
    });
    await producer.add(
      "ingest",
      "apply-webhook",
      { deliveryId: "1", shopDomain: "x.myshopify.com", topic: "orders/create" },
      { jobId: "slow" },
    );
    await started;
    // When the workers are stopped mid-job
    await running.stop(10_000);
    // Then the job completed rather than being dropped
    const job = await queues.queue("ingest").getJob("slow");
    expect(await job?.getState()).toBe("completed");
    expect(job?.returnvalue).toBe("finished");
    expect(running.workers.every((worker) => worker.closing !== undefined)).toBe(true);
  });

  it("retries a failing job with exponential backoff by default", async () => {
    // Given a processor that fails on its first attempt
    const attempts: number[] = [];
    let markDone!: () => void;
    const done = new Promise<void>((resolve) => (markDone = resolve));
    const running = startWorkers({
      db,
      logger,
      jobs: producer,
      connection: queues.connection,
      prefix: queues.prefix,
      processors: {
        ingest: async () => {
          attempts.push(Date.now());
          if (attempts.length === 1) throw new Error("transient failure");
          markDone();
          return "second time lucky";
        },
      },
    });
    // When a job is enqueued with the default options
    await producer.add(
      "ingest",
      "apply-webhook",
      { deliveryId: "2", shopDomain: "x.myshopify.com", topic: "orders/create" },
      { jobId: "flaky" },
    );
    await done;
    await running.stop();
    // Then it ran again after the first backoff step (1 s) and completed
    const job = await queues.queue("ingest").getJob("flaky");
    expect(await job?.getState()).toBe("completed");
    expect(attempts).toHaveLength(2);
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(900);
    expect(job?.opts.backoff).toEqual({ type: "exponential", delay: 1_000 });
  });
});
