// The inbox sweeper after Redis lost its data: one sweep re-enqueues the whole stranded backlog
// (pages of lookups, bulk enqueues), a second one finds every job in place, and a sweep stops at
// its time budget; and a page whose jobs are in every state. Real PostgreSQL and Redis, no
// workers (jobs are failed or completed by hand): the jobs stay where the sweep put them.
import { randomUUID } from "node:crypto";

import { UnrecoverableError, Worker } from "bullmq";
import { afterAll, describe, expect, it, vi } from "vitest";

import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { createJobQueues } from "../../jobs/job-queues.server";
import { logger } from "../../lib/logger.server";
import { enqueueDeliveries } from "./enqueue-delivery.server";
import { sweepInbox } from "./inbox-sweeper.server";

const db = createTestPrisma();
const queues = openTestQueues();
const producer = createJobQueues(queues.connection, queues.prefix);
const deps = { db, jobs: producer, logger };
const domains: string[] = [];

afterAll(async () => {
  await db.webhookDelivery.deleteMany({ where: { shopDomain: { in: domains } } });
  await producer.close();
  await queues.cleanUp();
  await db.$disconnect();
});

/**
 * `count` deliveries still `received`, one a millisecond from `from` (every tenth a compliance
 * topic, which goes to the privacy queue), whose jobs are nowhere: Redis lost them.
 */
async function strandedDeliveries(count: number, from: Date): Promise<{ shop: string; ids: bigint[] }> {
  const shop = `stranded-${randomUUID().slice(0, 8)}.myshopify.com`;
  domains.push(shop);
  const rows = await db.$queryRaw<{ id: bigint }[]>`
    INSERT INTO webhook_deliveries (shop_domain, webhook_id, topic, api_version, payload, received_at)
    SELECT ${shop}, 'stranded-' || g,
      CASE WHEN g % 10 = 0 THEN 'customers/data_request' ELSE 'app/scopes_update' END,
      '2026-07', '{}'::jsonb, ${from}::timestamptz + make_interval(secs => g / 1000.0)
    FROM generate_series(1, ${count}::int) g
    RETURNING id`;
  return { shop, ids: rows.map((row) => row.id) };
}

async function jobCounts() {
  const [ingest, privacy] = await Promise.all([
    queues.queue("ingest").getWaitingCount(),
    queues.queue("privacy").getWaitingCount(),
  ]);
  return { ingest, privacy };
}

/** The stranded deliveries with the columns their jobs are made from, oldest first. */
async function deliveriesOf(ids: bigint[]) {
  return db.webhookDelivery.findMany({
    where: { id: { in: ids } },
    orderBy: { id: "asc" },
    select: { id: true, shopDomain: true, topic: true, attempts: true },
  });
}

/**
 * Enqueues the deliveries' jobs and ends them by hand (a worker with no processor takes them),
 * failed for good or completed. The queues must hold no other waiting job.
 */
async function runJobsTo(outcome: "failed" | "completed", deliveries: Awaited<ReturnType<typeof deliveriesOf>>) {
  await enqueueDeliveries(producer, deliveries);
  for (const queueName of ["ingest", "privacy"] as const) {
    const worker = new Worker(queueName, null, {
      connection: queues.connection,
      prefix: queues.prefix,
      autorun: false,
    });
    const token = randomUUID();
    for (let job = await worker.getNextJob(token, { block: false }); job;) {
      if (outcome === "failed")
        await job.moveToFailed(new UnrecoverableError("worker died before its dead letter"), token, false);
      else await job.moveToCompleted("applied", token, false);
      job = await worker.getNextJob(token, { block: false });
    }
    await worker.close();
  }
}

/** The delivery's job, on whichever queue its topic goes to. */
async function jobOf(deliveryId: bigint) {
  const jobId = `delivery-${deliveryId}`;
  return (await queues.queue("ingest").getJob(jobId)) ?? (await queues.queue("privacy").getJob(jobId));
}

describe("inbox sweeper, after Redis lost its data", () => {
  it("re-enqueues 5,000 stranded deliveries in one sweep, and a second sweep enqueues nothing", async () => {
    // Given 5,000 deliveries received long ago whose jobs are gone (a window no other row is in)
    const receivedFrom = new Date("2001-01-01T00:00:00Z");
    const { ids } = await strandedDeliveries(5_000, receivedFrom);
    const now = new Date("2001-01-01T01:00:00Z");

    // When the sweeper runs once
    const started = performance.now();
    const first = await sweepInbox(deps, { now });
    const seconds = (performance.now() - started) / 1000;
    // Reported for the record; asserted only to stay inside the sweep's time budget.
    console.warn(`inbox sweep of 5,000 stranded deliveries: ${seconds.toFixed(2)} s`);

    // Then every delivery has its job, under its deterministic id, on its topic's queue
    expect(first).toEqual({ enqueued: 5_000, deadLettered: 0, inFlight: 0, complete: true });
    expect(await jobCounts()).toEqual({ ingest: 4_500, privacy: 500 });
    const jobs = await Promise.all(ids.map(jobOf));
    expect(jobs.filter((job) => job === undefined)).toHaveLength(0);
    expect(seconds).toBeLessThan(20);

    // And a second sweep finds every job waiting: nothing enqueued, nothing added
    const second = await sweepInbox(deps, { now });
    expect(second).toEqual({ enqueued: 0, deadLettered: 0, inFlight: 5_000, complete: true });
    expect(await jobCounts()).toEqual({ ingest: 4_500, privacy: 500 });
    await db.webhookDelivery.deleteMany({ where: { id: { in: ids } } });
    await queues.queue("ingest").obliterate({ force: true });
    await queues.queue("privacy").obliterate({ force: true });
  });

  it("stops at its time budget after a page, and the next sweep goes on past what the first enqueued", async () => {
    // Given 250 stranded deliveries
    const { ids } = await strandedDeliveries(250, new Date("2001-02-01T00:00:00Z"));
    const now = new Date("2001-02-01T01:00:00Z");

    // When a sweep with no time left runs, in pages of 100
    const cut = await sweepInbox(deps, { now, budgetMs: 0, pageSize: 100 });

    // Then it handled the oldest page only and said it stopped short
    expect(cut).toEqual({ enqueued: 100, deadLettered: 0, inFlight: 0, complete: false });
    expect(await jobOf(ids[99]!)).toBeDefined();
    expect(await jobOf(ids[100]!)).toBeUndefined();

    // And a sweep with time enqueues the rest, leaving the first page's jobs alone
    const rest = await sweepInbox(deps, { now, pageSize: 100 });
    expect(rest).toEqual({ enqueued: 150, deadLettered: 0, inFlight: 100, complete: true });
    expect((await jobCounts()).ingest + (await jobCounts()).privacy).toBe(250);
  });
});

describe("inbox sweeper, a page of deliveries whose jobs are in every state", () => {
  it("enqueues the missing jobs, dead-letters the failed ones and leaves the others, one pipeline a queue", async () => {
    // Given empty queues and 300 stranded deliveries, in four blocks of 75 (each with compliance
    // topics): jobs gone, jobs failed for good, jobs completed, jobs still waiting
    await queues.queue("ingest").obliterate({ force: true });
    await queues.queue("privacy").obliterate({ force: true });
    const { ids } = await strandedDeliveries(300, new Date("2000-06-01T00:00:00Z"));
    const deliveries = await deliveriesOf(ids);
    const [gone, failed, completed, waiting] = [0, 1, 2, 3].map((block) =>
      deliveries.slice(block * 75, block * 75 + 75),
    );
    await runJobsTo("failed", failed!);
    await runJobsTo("completed", completed!);
    await enqueueDeliveries(producer, waiting!);

    // When the sweeper runs once, its commands to Redis counted
    const commands = vi.spyOn(queues.connection, "sendCommand");
    const pipelines = vi.spyOn(queues.connection, "pipeline");
    const result = await sweepInbox(deps, { now: new Date("2000-06-01T01:00:00Z") });
    // A pipeline's commands go to sendCommand with the pipeline's stream; a lone command without.
    const loneCommands = commands.mock.calls.filter(([, stream]) => stream === undefined).length;
    const pipelineCount = pipelines.mock.calls.length;
    commands.mockRestore();
    pipelines.mockRestore();

    // Then the gone jobs are waiting again, the failed ones are dead letters, the others untouched
    expect(result).toEqual({ enqueued: 75, deadLettered: 75, inFlight: 150, complete: true });
    const states = async (block: { id: bigint }[]) =>
      new Set(await Promise.all(block.map(async ({ id }) => (await jobOf(id))?.getState())));
    expect(await states(gone!)).toEqual(new Set(["waiting"]));
    expect(await states(failed!)).toEqual(new Set(["failed"]));
    expect(await states(completed!)).toEqual(new Set(["completed"]));
    expect(await states(waiting!)).toEqual(new Set(["waiting"]));
    expect(await jobCounts()).toEqual({ ingest: 135, privacy: 15 });
    const statuses = await db.webhookDelivery.groupBy({ by: ["status"], where: { id: { in: ids } }, _count: true });
    expect(statuses.map((row) => [row.status, row._count]).sort()).toEqual([
      ["failed", 75],
      ["received", 225],
    ]);

    // And Redis saw one lookup pipeline and one bulk add a queue, and one read per failed job
    expect(loneCommands).toBeLessThanOrEqual(75);
    expect(pipelineCount).toBeLessThanOrEqual(4);
    await db.webhookDelivery.deleteMany({ where: { id: { in: ids } } });
  });
});
