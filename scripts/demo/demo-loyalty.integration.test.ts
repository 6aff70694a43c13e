import { randomBytes } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "../../app/db.server";
import { createJobQueues, type JobQueues } from "../../app/jobs/job-queues.server";
import { logger } from "../../app/lib/logger.server";
import { generateDemoStore } from "../../test/shopify-double/demo-store";
import { createTestPrisma } from "../../test/helpers/test-database";
import { openTestQueues } from "../../test/helpers/test-queues";
import { ensureDemoLoyalty } from "./demo-loyalty";
import { seedDemoShop } from "./seed-demo-shop";

let db: PrismaClient;
let queues: ReturnType<typeof openTestQueues>;
let jobs: JobQueues;
const domain = `demo-loyalty-${randomBytes(5).toString("hex")}.myshopify.com`;
const storeDay = new Date("2026-06-01T00:00:00Z");

beforeAll(() => {
  db = createTestPrisma();
  queues = openTestQueues();
  jobs = createJobQueues(queues.connection, queues.prefix);
});

afterAll(async () => {
  await db.shop.deleteMany({ where: { domain } });
  await db.$disconnect();
  await jobs.close();
  await queues.cleanUp();
});

describe("the demo's loyalty program", () => {
  it("is created once, with members whose balances are the sums of their ledgers and tiers from their spend", async () => {
    // Given the seeded demo shop
    const { shopId } = await seedDemoShop(db, generateDemoStore({ seed: 7, now: storeDay, shopDomain: domain }));

    // When the demo sets up its loyalty program, twice
    const first = await ensureDemoLoyalty({ db, logger, jobs }, domain, storeDay);
    const second = await ensureDemoLoyalty({ db, logger, jobs }, domain, storeDay);

    // Then the first run evaluated the last year's orders and the second changed nothing
    expect(first.created).toBe(true);
    expect(first.ordersEvaluated).toBeGreaterThan(100);
    expect(second).toEqual({ created: false, ordersEvaluated: 0 });
    const [totals] = await db.$queryRaw<{ members: bigint; mismatched: bigint; tiered: bigint; earned: bigint }[]>`
      SELECT count(*) AS members,
             count(*) FILTER (WHERE m.points_balance <> coalesce(l.points, 0)) AS mismatched,
             count(*) FILTER (WHERE m.tier_id IS NOT NULL) AS tiered,
             coalesce(sum(l.points), 0)::bigint AS earned
      FROM loyalty_members m
      LEFT JOIN (SELECT member_id, sum(points) AS points FROM loyalty_ledger_entries GROUP BY member_id) l
        ON l.member_id = m.id
      WHERE m.shop_id = ${shopId}`;
    expect(Number(totals!.members)).toBeGreaterThan(50);
    expect(Number(totals!.mismatched)).toBe(0);
    expect(Number(totals!.tiered)).toBeGreaterThan(0);
    expect(Number(totals!.earned)).toBeGreaterThan(0);
    // No order before the launch earned
    const early = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM loyalty_ledger_entries e JOIN orders o
        ON o.shop_id = e.shop_id AND o.shopify_id = e.order_shopify_id
      WHERE e.shop_id = ${shopId} AND e.kind = 'earn' AND o.processed_at < ${new Date(storeDay.getTime() - 365 * 86_400_000)}`;
    expect(Number(early[0]!.n)).toBe(0);
  }, 120_000);
});
