// The workers process for real: it applies queued deliveries, stops cleanly on SIGTERM
// without losing the job it was running, and refuses to start without its services.
import { afterAll, describe, expect, it } from "vitest";

import { createTestShop } from "../test/helpers/create-test-shop";
import { spawnTsx } from "../test/helpers/spawn-tsx";
import { createTestPrisma } from "../test/helpers/test-database";
import { openTestQueues } from "../test/helpers/test-queues";
import { recordDelivery } from "../app/crm/ingest/webhook-inbox.repository.server";
import { createJobQueues } from "../app/jobs/job-queues.server";

const db = createTestPrisma();
const queues = openTestQueues();
const producer = createJobQueues(queues.connection, queues.prefix);

afterAll(async () => {
  await producer.close();
  await queues.cleanUp();
  await db.$disconnect();
});

async function enqueueDelivery(shopDomain: string, topic: string, payload: object) {
  const id = await recordDelivery(db, {
    shopDomain,
    webhookId: `${topic}-${Date.now()}`,
    eventId: null,
    topic,
    apiVersion: "2026-07",
    triggeredAt: null,
    payload,
  });
  await producer.add("ingest", "apply-webhook", { deliveryId: id!.toString(), shopDomain, topic });
  return id!;
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("workers process", () => {
  it("applies app/uninstalled and keeps an unprocessable delivery as failed, then stops cleanly on SIGTERM", async () => {
    // Given a shop with a session, and deliveries waiting in the queue
    const shop = await createTestShop(db);
    await db.session.create({
      data: { id: `offline_${shop.domain}`, shop: shop.domain, state: "", accessToken: "shpat_x" },
    });
    const uninstalled = await enqueueDelivery(shop.domain, "app/uninstalled", { domain: shop.domain });
    const broken = await enqueueDelivery(shop.domain, "app/scopes_update", { previous: [] });

    // When the workers run
    const workers = spawnTsx("workers/main.ts", { ...process.env, LOG_LEVEL: "info" });
    await workers.waitFor("workers started");

    // Then the shop is marked uninstalled and its sessions are gone
    const delivery = await until(
      () => db.webhookDelivery.findUnique({ where: { id: uninstalled } }),
      (row) => row?.status === "applied",
    );
    expect(delivery?.status).toBe("applied");
    expect((await db.shop.findUnique({ where: { id: shop.id } }))?.uninstalledAt).toBeInstanceOf(Date);
    expect(await db.session.count({ where: { shop: shop.domain } })).toBe(0);

    // And the bad payload fails without retries (unrecoverable), kept in the failed set with its error
    // (Only this shop's jobs: the run's database is shared by every test file, and this process's
    // inbox sweeper may re-enqueue another file's waiting deliveries into this file's queue.)
    const failed = await until(
      async () => (await queues.queue("ingest").getFailed()).filter((job) => job.data.shopDomain === shop.domain),
      (jobs) => jobs.length > 0,
    );
    expect(failed.map((job) => [job.data.deliveryId, job.failedReason])).toEqual([
      [broken.toString(), "app/scopes_update payload has no current scopes"],
    ]);

    // When SIGTERM arrives, the process closes its workers and exits 0
    workers.child.kill("SIGTERM");
    expect((await workers.exited).code).toBe(0);
    expect(workers.output()).toContain("workers stopped");
  });

  it("exits 1 with one clear line when Redis does not answer", async () => {
    const workers = spawnTsx("workers/main.ts", { ...process.env, REDIS_URL: "redis://127.0.0.1:1" });
    const { code } = await workers.exited;
    expect(code).toBe(1);
    expect(workers.output().trim()).toMatch(
      /^kinship: Redis is not answering at 127\.0\.0\.1:1 \(.*\): start it or set REDIS_URL\.$/,
    );
  });

  it("exits 1 naming a missing variable", async () => {
    const { SHOPIFY_API_SECRET: _omitted, ...rest } = process.env;
    const workers = spawnTsx("workers/main.ts", rest);
    expect((await workers.exited).code).toBe(1);
    expect(workers.output().trim()).toBe("kinship: Configuration error: SHOPIFY_API_SECRET is required");
  });
});
