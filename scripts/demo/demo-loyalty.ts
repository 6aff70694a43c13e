// The demo opens with a running loyalty program: on the first `npm run demo` the shop gets a
// program (launched a year before the store's day, so last year's orders earned points), three
// tiers and three rewards, and every order since the launch is evaluated by the real loyalty
// rules, as the worker would have done live. Later runs find the program and leave it.
import type { PrismaClient } from "@prisma/client";

import { evaluateOrders } from "../../app/crm/loyalty/evaluate-order.server";
import { createReward, createTier, saveProgramSettings } from "../../app/crm/loyalty/loyalty.repository.server";
import { parseProgramSettings } from "../../app/crm/loyalty/loyalty-program";
import type { JobQueues } from "../../app/jobs/job-queues.server";
import type { Logger } from "../../app/lib/logger.server";

const BATCH = 500;
const DAY_MS = 86_400_000;

export async function ensureDemoLoyalty(
  deps: { db: PrismaClient; logger: Logger; jobs: JobQueues },
  shopDomain: string,
  storeDay: Date,
): Promise<{ created: boolean; ordersEvaluated: number }> {
  const shop = await deps.db.shop.findUniqueOrThrow({
    where: { domain: shopDomain },
    include: { loyaltyProgram: true },
  });
  if (shop.loyaltyProgram) return { created: false, ordersEvaluated: 0 };
  const launchedAt = new Date(storeDay.getTime() - 365 * DAY_MS);
  const settings = parseProgramSettings({
    earn: { pointsPerCurrencyUnit: 1 },
    bonuses: { signup: 50, firstOrder: 100, referrer: 200, referredFriend: 100 },
    tiers: { basis: "spend", period: "rolling_12_months" },
  });
  await saveProgramSettings(deps.db, shop.id, settings, { launchedAt });
  await createTier(deps.db, shop.id, {
    name: "Silver",
    threshold: 10_000n,
    earnMultiplierPermille: 1250,
    entryBonusPoints: 100,
  });
  await createTier(deps.db, shop.id, {
    name: "Gold",
    threshold: 25_000n,
    earnMultiplierPermille: 1500,
    entryBonusPoints: 250,
  });
  await createTier(deps.db, shop.id, {
    name: "Platinum",
    threshold: 60_000n,
    earnMultiplierPermille: 2000,
    entryBonusPoints: 500,
  });
  const reward = { percentage: null, minimumSubtotalMinor: null, tierId: null };
  await createReward(deps.db, shop.id, {
    ...reward,
    title: "$5 off",
    kind: "fixed_amount",
    pointsCost: 500,
    amountMinor: 500n,
  });
  await createReward(deps.db, shop.id, {
    ...reward,
    title: "$15 off",
    kind: "fixed_amount",
    pointsCost: 1_400,
    amountMinor: 1_500n,
  });
  await createReward(deps.db, shop.id, {
    ...reward,
    title: "Free shipping",
    kind: "free_shipping",
    pointsCost: 300,
    amountMinor: null,
    minimumSubtotalMinor: 2_500n,
  });
  const orders = await deps.db.order.findMany({
    where: { shopId: shop.id, processedAt: { gte: launchedAt }, customerId: { not: null } },
    orderBy: { processedAt: "asc" },
    select: { shopifyId: true },
  });
  for (let i = 0; i < orders.length; i += BATCH) {
    const batch = orders.slice(i, i + BATCH).map((order) => ({ shopDomain, orderShopifyId: order.shopifyId }));
    const failed = (await evaluateOrders(deps, batch)).filter((result) => result.status === "rejected");
    if (failed.length > 0) deps.logger.warn({ count: failed.length }, "demo loyalty: orders not evaluated");
  }
  return { created: true, ordersEvaluated: orders.length };
}
