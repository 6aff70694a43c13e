// A per-event job's database work as one transaction inside its shop's row-level-security scope.
//
// A scoped client's standalone query is a [scope, query] transaction of its own: four statements
// for one. A job that runs for every webhook makes a dozen such queries, and with each of them
// scoped the workers fell behind the soak's 200 webhooks a second. Inside one transaction the scope
// is set once: a job's queries cost one statement each, plus BEGIN, the scope and COMMIT
// (npm run bench:worker-scope measures the three against each other).
//
// What the domain does inside keeps its meaning:
// - its own transactions run as savepoints, so one that fails is undone alone, as before;
// - the jobs it enqueues are held until the transaction has committed: a follow-on job never
//   reads before the writes it follows are visible, and work that is rolled back enqueues nothing.
import type { Prisma } from "@prisma/client";

import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";

/** How long a job's transaction may wait for a connection, and run. */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 } as const;

/**
 * Runs `work` with deps whose `db` is one transaction of `deps.db`, which must be a shop-scoped
 * client (shopScopedDb, createShopScopedClients: its transactions set the scope first), and whose
 * `jobs` enqueue only once that transaction has committed.
 */
export async function inShopTransaction<D extends { db: PrismaClient; jobs?: JobQueues }, T>(
  deps: D,
  work: (deps: D) => Promise<T>,
): Promise<T> {
  const held = deps.jobs && heldJobs(deps.jobs);
  const result = await deps.db.$transaction(
    (tx) => work({ ...deps, db: withSavepoints(tx), ...(held && { jobs: held.queues }) }),
    TRANSACTION_OPTIONS,
  );
  // Committed: now the follow-on jobs may read what it wrote. Should Redis fail here, the job
  // fails and is retried; its writes are idempotent, and the retry enqueues them again.
  await held?.release();
  return result;
}

/**
 * `jobs` whose adds (`add`, and `add`/`addBulk` on a queue) are kept until `release`. Nothing the
 * domain does waits on an added job's result, so an add resolves at once (to nothing).
 */
function heldJobs(jobs: JobQueues) {
  const adds: (() => Promise<unknown>)[] = [];
  const hold = (add: () => Promise<unknown>) => {
    adds.push(add);
    return Promise.resolve(undefined);
  };
  const queues: JobQueues = {
    add: async (...args) => void (await hold(() => jobs.add(...args))),
    queue: (name) =>
      new Proxy(jobs.queue(name), {
        get: (queue, property, receiver) =>
          property === "add" || property === "addBulk"
            ? (...args: unknown[]) => hold(() => (queue[property] as (...a: unknown[]) => Promise<unknown>)(...args))
            : Reflect.get(queue, property, receiver),
      }),
    close: () => jobs.close(),
  };
  return {
    queues,
    // Side by side: the commands share the connection back to back, in order.
    release: async () => void (await Promise.all(adds.map((add) => add()))),
  };
}

/** The transaction client, with `$transaction` as a savepoint inside it. */
function withSavepoints(tx: Prisma.TransactionClient): PrismaClient {
  let savepoints = 0;
  const client = new Proxy(tx, {
    get: (target, property, receiver) =>
      property === "$transaction" ? nestedTransaction : Reflect.get(target, property, receiver),
  }) as unknown as PrismaClient;

  async function nestedTransaction(work: unknown): Promise<unknown> {
    const name = `kinship_nested_${++savepoints}`;
    await tx.$executeRawUnsafe(`SAVEPOINT ${name}`);
    try {
      let result: unknown;
      if (Array.isArray(work)) {
        // A batch: its queries were made on this transaction's client; run in the order given.
        const results: unknown[] = [];
        for (const query of work as Promise<unknown>[]) results.push(await query);
        result = results;
      } else {
        result = await (work as (db: PrismaClient) => Promise<unknown>)(client);
      }
      await tx.$executeRawUnsafe(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      // Should the rollback fail too, the whole transaction is lost anyway: the first error tells why.
      await tx.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
      throw error;
    }
  }
  return client;
}
