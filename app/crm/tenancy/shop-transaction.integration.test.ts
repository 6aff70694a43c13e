// inShopTransaction: a per-event job's work as one transaction in its shop's scope. It sees only
// its shop, all of it commits or none, the domain's own transactions inside are savepoints, and
// the jobs it enqueues reach Redis only after the commit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { seedTenant, type SeededTenant } from "../../../test/helpers/seed-tenant";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { createJobQueues } from "../../jobs/job-queues.server";
import { shopScopedDb } from "./shop-scoped-db.repository.server";
import { inShopTransaction } from "./shop-transaction.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
let a: SeededTenant;
let b: SeededTenant;

beforeAll(async () => {
  a = await seedTenant(db, "TxA");
  b = await seedTenant(db, "TxB");
});

afterAll(async () => {
  await db.shop.deleteMany({ where: { id: { in: [a.shopId, b.shopId] } } });
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

const countryOf = async (customerId: bigint) =>
  (await db.customer.findUniqueOrThrow({ where: { id: customerId } })).countryCode;

describe("inShopTransaction", () => {
  it("runs every query in one transaction of the shop's scope", async () => {
    const seen = await inShopTransaction({ db: shopScopedDb(db, a.domain) }, async ({ db: tx }) => {
      const customers = await tx.customer.findMany({ select: { id: true } });
      const forged = await tx.customer.findUnique({ where: { id: b.customerId } });
      const [who] = await tx.$queryRaw<{ role: string; shop: string; backend: number; xid: string }[]>`
        SELECT current_user::text AS role, current_setting('kinship.shop_id', true) AS shop,
               pg_backend_pid() AS backend, txid_current()::text AS xid`;
      const [again] = await tx.$queryRaw<{ xid: string }[]>`SELECT txid_current()::text AS xid`;
      return { customers, forged, who, sameTransaction: who!.xid === again!.xid };
    });
    expect(seen.customers.map((c) => c.id)).toEqual([a.customerId]);
    expect(seen.forged).toBeNull();
    expect(seen.who).toMatchObject({ role: "kinship_app", shop: String(a.shopId) });
    expect(seen.sameTransaction).toBe(true);
  });

  it("commits all of its writes or none, and enqueues nothing when rolled back", async () => {
    const before = await countryOf(a.customerId);
    await expect(
      inShopTransaction({ db: shopScopedDb(db, a.domain), jobs }, async (deps) => {
        await deps.db.customer.update({ where: { id: a.customerId }, data: { countryCode: "QQ" } });
        await deps.jobs.add("analytics", "rescore-customer", { shopId: a.shopId, customerId: "1" }, { jobId: "rb" });
        throw new Error("the job failed half-way");
      }),
    ).rejects.toThrow("half-way");
    expect(await countryOf(a.customerId)).toBe(before);
    expect(await queues.queue("analytics").getJob("rb")).toBeUndefined();
  });

  it("enqueues the jobs it adds only once its writes are committed", async () => {
    const seenInside = await inShopTransaction({ db: shopScopedDb(db, a.domain), jobs }, async (deps) => {
      await deps.db.customer.update({ where: { id: a.customerId }, data: { countryCode: "JP" } });
      await deps.jobs.add("analytics", "rescore-customer", { shopId: a.shopId, customerId: "1" }, { jobId: "held" });
      await deps.jobs
        .queue("analytics")
        .addBulk([{ name: "rescore-customer", data: { shopId: a.shopId, customerId: "2" }, opts: { jobId: "bulk" } }]);
      const analytics = queues.queue("analytics");
      return {
        jobs: [await analytics.getJob("held"), await analytics.getJob("bulk")],
        country: await countryOf(a.customerId),
      };
    });
    // Inside, neither the job nor (to another connection) the write existed yet
    expect(seenInside.jobs).toEqual([undefined, undefined]);
    expect(seenInside.country).not.toBe("JP");
    expect(await countryOf(a.customerId)).toBe("JP");
    expect((await queues.queue("analytics").getJob("held"))?.data).toEqual({ shopId: a.shopId, customerId: "1" });
    expect((await queues.queue("analytics").getJob("bulk"))?.data).toEqual({ shopId: a.shopId, customerId: "2" });
  });

  it("runs the domain's own transactions as savepoints: one that fails is undone alone", async () => {
    await inShopTransaction({ db: shopScopedDb(db, a.domain) }, async ({ db: tx }) => {
      await tx.customer.update({ where: { id: a.customerId }, data: { countryCode: "FR" } });
      // A nested interactive transaction that fails after a write (and after an SQL error)
      await expect(
        tx.$transaction(async (inner) => {
          await inner.customer.update({ where: { id: a.customerId }, data: { countryCode: "DE" } });
          await inner.$executeRawUnsafe("SELECT 1/0");
        }),
      ).rejects.toThrow();
      // …leaves the outer transaction usable, with its own write
      expect((await tx.customer.findUniqueOrThrow({ where: { id: a.customerId } })).countryCode).toBe("FR");
      // A nested batch runs its queries in order
      const [, updated] = await tx.$transaction([
        tx.customer.update({ where: { id: a.customerId }, data: { countryCode: "IT" } }),
        tx.customer.findUniqueOrThrow({ where: { id: a.customerId } }),
      ]);
      expect(updated.countryCode).toBe("IT");
    });
    expect(await countryOf(a.customerId)).toBe("IT");
  });
});
