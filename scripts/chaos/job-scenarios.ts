// Faults around the longer jobs: Redis losing its data during an analytics run, the workers
// SIGKILLed while rewards are issued and while a history import streams, and Shopify failing
// (5xx, THROTTLED, slow) while rewards are issued.
import { requestRecalculation } from "../../app/crm/analytics/analytics-jobs.server";
import { redeemReward } from "../../app/crm/loyalty/redeem-reward.server";
import { logger } from "../../app/lib/logger.server";
import { discountsOf } from "../../test/shopify-double/discounts";
import type { StoreShop } from "../../test/shopify-double/store-data";
import type { ChaosEnvironment } from "./chaos-env";
import { balancesNotEqualToLedger, ingestOutcome, waitUntilSettled, type ScenarioResult } from "./chaos-checks";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not done after ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

/** Redis SIGKILLed while the shop's analytics run is under way; the run finishes or is run again. */
export async function analyticsUnderRedisLoss(
  env: ChaosEnvironment,
  shop: { id: number; domain: string },
  options: { timeoutMs: number },
): Promise<ScenarioResult> {
  const customers = await env.db.customer.count({ where: { shopId: shop.id } });
  const since = new Date();
  await requestRecalculation(env.jobs, shop.domain);
  const running = await until(
    () => env.db.analyticsRun.findFirst({ where: { shopId: shop.id, startedAt: { gte: since } } }),
    (run) => run !== null,
    options.timeoutMs,
    "analytics run start",
  );
  const caught = running!.status === "running";
  await env.redis.kill();
  await sleep(500);
  await env.redis.start();
  const back = performance.now();
  // The merchant's Recalculate (or the restored nightly scheduler) runs it again if needed.
  let rerun = false;
  const finished = await until(
    async () => {
      const runs = await env.db.analyticsRun.findMany({ where: { shopId: shop.id, startedAt: { gte: since } } });
      if (!rerun && runs.length > 0 && runs.every((run) => run.status === "failed")) {
        rerun = true;
        await requestRecalculation(env.jobs, shop.domain).catch(() => (rerun = false));
      }
      return runs.find((run) => run.status === "succeeded") ?? null;
    },
    (run) => run !== null,
    options.timeoutMs,
    "analytics run after Redis loss",
  );
  const recoverySeconds = (performance.now() - back) / 1000;
  const scores = await env.db.customerScore.count({ where: { shopId: shop.id } });
  const stale = await env.db.customerScore.count({ where: { shopId: shop.id, runId: { not: finished!.id } } });
  const stuck = await env.db.analyticsRun.count({ where: { shopId: shop.id, status: "running" } });
  // The workers restore the shop's nightly scheduler once their connection is back.
  const nightly = await until(
    () => env.jobs.queue("analytics").getJobScheduler(`analytics-${shop.domain}-nightly`),
    (found) => found !== undefined,
    20_000,
    "nightly scheduler",
  ).catch(() => undefined);
  return {
    scenario: "Redis killed mid analytics run",
    sent: customers,
    // The run scores the customers it counts (those who bought); each exactly once, by it.
    lost: Math.max(0, finished!.customersCount - scores) + stale + stuck,
    duplicated: Math.max(0, scores - finished!.customersCount),
    recoverySeconds,
    notes:
      `run ${caught ? "was running" : `had already ${running!.status}`} when Redis died; ` +
      `${rerun ? "re-run by Recalculate" : "finished on its own"}; ${scores}/${finished!.customersCount} scored; ` +
      `nightly scheduler ${nightly ? "restored" : "WRONG: MISSING"}`,
  };
}

/**
 * Rewards redeemed (points debited, code pending) and issued by the workers' `issue-reward`
 * jobs while `fault` runs. Each redemption must end `issued` with exactly one code in Shopify,
 * and no code may exist without its redemption.
 */
export async function redemptionsUnderFault(
  env: ChaosEnvironment,
  shop: { id: number; domain: string; rewardId: number },
  scenario: string,
  count: number,
  fault: () => Promise<string>,
  options: { timeoutMs: number },
): Promise<ScenarioResult> {
  const codesBefore = new Set(discountsOf(shop.domain).map((discount) => discount.code));
  const members = await env.db.loyaltyMember.findMany({
    where: { shopId: shop.id, pointsBalance: { gte: 100 } },
    orderBy: { pointsBalance: "desc" },
  });
  const deps = { db: env.db, logger, jobs: env.jobs }; // no Admin client: each issue is left to its job
  const redemptionIds: bigint[] = [];
  for (let i = 0; redemptionIds.length < count && members.length > 0; i++) {
    const member = members[i % members.length]!;
    const fresh = await env.db.loyaltyMember.findUniqueOrThrow({ where: { id: member.id } });
    if (fresh.pointsBalance < 100) {
      members.splice(i % members.length, 1);
      continue;
    }
    const { redemptionId } = await redeemReward(deps, {
      shopDomain: shop.domain,
      member: fresh,
      rewardId: shop.rewardId,
    });
    redemptionIds.push(redemptionId);
  }
  const faultRun = fault();
  const started = performance.now();
  // The issue-reward jobs wait 30 s as a safety net; waitUntilSettled runs them at once.
  const settling = waitUntilSettled(env, shop.domain, {
    deliveries: 0,
    queues: ["loyalty", "shopify-calls"],
    timeoutMs: options.timeoutMs,
  });
  const notes = await faultRun;
  const faultEnded = performance.now();
  await settling;
  const redemptions = await env.db.loyaltyRedemption.findMany({ where: { id: { in: redemptionIds } } });
  const codes = new Map<string, number>();
  const created = discountsOf(shop.domain).filter((discount) => !codesBefore.has(discount.code));
  for (const discount of created) codes.set(discount.code, (codes.get(discount.code) ?? 0) + 1);
  const byId = new Map(created.map((discount) => [discount.id, discount]));
  let lost = 0;
  let duplicated = 0;
  for (const redemption of redemptions) {
    const made = codes.get(redemption.discountCode) ?? 0;
    const issuedWithItsCode =
      redemption.status === "issued" && byId.get(redemption.shopifyDiscountId ?? "")?.code === redemption.discountCode;
    if (made === 0 || !issuedWithItsCode) lost++;
    if (made > 1) duplicated += made - 1;
  }
  const ours = new Set(redemptions.map((r) => r.discountCode));
  duplicated += [...codes.keys()].filter((code) => !ours.has(code)).length;
  duplicated += await balancesNotEqualToLedger(env, shop.id);
  const statuses = redemptions.reduce<Record<string, number>>(
    (all, r) => ({ ...all, [r.status]: (all[r.status] ?? 0) + 1 }),
    {},
  );
  return {
    scenario,
    sent: redemptionIds.length,
    lost,
    duplicated,
    recoverySeconds: Math.max(0, (performance.now() - Math.max(faultEnded, started)) / 1000),
    notes: `${notes}; redemptions ${JSON.stringify(statuses)}, codes in Shopify ${[...codes.values()].reduce((a, b) => a + b, 0)}`,
  };
}

/** The shop's history imported through bulk operations while the workers are SIGKILLed. */
export async function historyImportUnderKills(
  env: ChaosEnvironment,
  store: StoreShop,
  kills: number,
  options: { timeoutMs: number },
): Promise<ScenarioResult> {
  const shop = await env.db.shop.create({
    data: {
      domain: store.domain,
      name: store.name,
      currencyCode: store.currencyCode,
      ianaTimezone: store.ianaTimezone,
    },
  });
  const since = new Date();
  await env.jobs.add("backfill", "import-history", { shopDomain: store.domain, reason: "merchant" });
  let killed = 0;
  for (let i = 0; i < kills; i++) {
    await sleep(300 + Math.random() * 1_200);
    const run = await env.db.syncRun.findFirst({
      where: { shopId: shop.id, kind: "history_import", startedAt: { gte: since } },
    });
    if (run && run.status !== "running") break;
    await env.killWorkers();
    killed++;
    await env.startWorkers();
  }
  const back = performance.now();
  const run = await until(
    () =>
      env.db.syncRun.findFirst({
        where: { shopId: shop.id, kind: "history_import", status: { not: "running" } },
        orderBy: { id: "desc" },
      }),
    (found) => found !== null,
    options.timeoutMs,
    "history import",
  );
  await waitUntilSettled(env, store.domain, { deliveries: 0, queues: ["backfill"], timeoutMs: options.timeoutMs });
  const outcome = await ingestOutcome(env, store, shop.id);
  const orders = await env.db.order.count({ where: { shopId: shop.id } });
  return {
    scenario: "Workers SIGKILLed mid history import",
    sent: store.customers.length + store.orders.length,
    lost: outcome.lost + Math.max(0, store.orders.length - orders) + (run!.status === "succeeded" ? 0 : 1),
    duplicated: outcome.duplicated + Math.max(0, orders - store.orders.length),
    recoverySeconds: (performance.now() - back) / 1000,
    notes: `import ${run!.status} after ${killed} SIGKILLs; ${orders}/${store.orders.length} orders; ${outcome.notes}`,
  };
}
