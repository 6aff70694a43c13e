// afterAuth against real PostgreSQL and Redis: the shop is recorded from its Admin API profile,
// and its local-time jobs (analytics 03:00, loyalty 04:00) follow the shop's recorded zone.
import { randomBytes } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { createJobQueues } from "../../jobs/job-queues.server";
import type { QueueName } from "../../jobs/queues";
import { analyticsSchedulerId, NIGHTLY_ANALYTICS_PATTERN } from "../analytics/analytics-schedules.server";
import { onShopAuthenticated, unscheduleShopJobs } from "../history/shop-schedules.server";
import { DAILY_LOYALTY_PATTERN, loyaltySchedulerId } from "../loyalty/loyalty-schedules.server";
import { recordInstalledShop } from "./install-shop.server";
import type { ShopProfile } from "./shop-profile.query";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);

afterAll(async () => {
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

/** The Admin API as afterAuth sees it: answers the shop profile query with this profile. */
function adminAnswering(profile: ShopProfile) {
  return {
    async graphql() {
      return new Response(JSON.stringify({ data: { shop: profile } }), {
        headers: { "Content-Type": "application/json" },
      });
    },
  };
}

async function authenticate(profile: ShopProfile) {
  const recorded = await recordInstalledShop({ db, admin: adminAnswering(profile) }, profile.myshopifyDomain);
  const outcome = await onShopAuthenticated(jobs, recorded);
  return { recorded, outcome };
}

async function scheduler(queue: QueueName, id: string) {
  const found = (await queues.queue(queue).getJobSchedulers()).find((s) => (s.key ?? s.id) === id);
  return found && { pattern: found.pattern, tz: found.tz };
}

async function nextRunUtcHours(queue: QueueName, shopDomain: string) {
  const pending = (await queues.jobs(queue)).filter((job) => job.data.shopDomain === shopDomain);
  return pending.map((job) => new Date(job.timestamp + job.delay).getUTCHours());
}

async function nextRunsAt(queue: QueueName, shopDomain: string) {
  const pending = (await queues.jobs(queue)).filter((job) => job.data.shopDomain === shopDomain);
  return pending.map((job) => job.timestamp + job.delay);
}

describe("afterAuth", () => {
  it("schedules a new shop in its zone and moves the schedules when the zone changes", async () => {
    // Given a shop installing from Tokyo
    const domain = `test-${randomBytes(5).toString("hex")}.myshopify.com`;
    const profile = { name: "Kinship Tea", myshopifyDomain: domain, currencyCode: "JPY", ianaTimezone: "Asia/Tokyo" };

    // When it authenticates for the first time
    const first = await authenticate(profile);

    // Then it is recorded, with no earlier zone, and its jobs run at 03:00 and 04:00 Tokyo time
    expect(first.recorded.previousTimeZone).toBeNull();
    expect(first.outcome.timeZoneMovedFrom).toBeNull();
    expect(await scheduler("analytics", analyticsSchedulerId(domain))).toEqual({
      pattern: NIGHTLY_ANALYTICS_PATTERN,
      tz: "Asia/Tokyo",
    });
    expect(await scheduler("loyalty", loyaltySchedulerId(domain))).toEqual({
      pattern: DAILY_LOYALTY_PATTERN,
      tz: "Asia/Tokyo",
    });
    expect(await nextRunUtcHours("analytics", domain)).toEqual([18]); // 03:00 JST
    expect(await nextRunUtcHours("loyalty", domain)).toEqual([19]); // 04:00 JST
    // And the history import runs now, the first daily reconciliation a day later, not beside it
    expect((await queues.jobs("backfill")).filter((job) => job.data.shopDomain === domain)).toHaveLength(1);
    const reconciliationAt = await nextRunsAt("sync", domain);
    expect(reconciliationAt).toHaveLength(1);
    expect((reconciliationAt[0]! - Date.now()) / 3_600_000).toBeGreaterThan(23.9);

    // When it authenticates again unchanged, nothing moves and no job is duplicated
    const again = await authenticate(profile);
    expect(again.recorded.previousTimeZone).toBe("Asia/Tokyo");
    expect(again.outcome.timeZoneMovedFrom).toBeNull();
    expect(await nextRunUtcHours("analytics", domain)).toEqual([18]);
    expect(await nextRunsAt("sync", domain)).toEqual(reconciliationAt);

    // When the merchant moves the shop to Lima and the next auth re-records it
    const moved = await authenticate({ ...profile, ianaTimezone: "America/Lima" });

    // Then the change is seen and both local-time jobs now run at 03:00 and 04:00 in Lima
    expect(moved.outcome.timeZoneMovedFrom).toBe("Asia/Tokyo");
    expect((await db.shop.findUniqueOrThrow({ where: { domain } })).ianaTimezone).toBe("America/Lima");
    expect(await scheduler("analytics", analyticsSchedulerId(domain))).toEqual({
      pattern: NIGHTLY_ANALYTICS_PATTERN,
      tz: "America/Lima",
    });
    expect(await scheduler("loyalty", loyaltySchedulerId(domain))).toEqual({
      pattern: DAILY_LOYALTY_PATTERN,
      tz: "America/Lima",
    });
    expect(await nextRunUtcHours("analytics", domain)).toEqual([8]); // 03:00 PET (UTC-5)
    expect(await nextRunUtcHours("loyalty", domain)).toEqual([9]);

    await unscheduleShopJobs(jobs, domain);
    await db.shop.delete({ where: { domain } });
  });
});
