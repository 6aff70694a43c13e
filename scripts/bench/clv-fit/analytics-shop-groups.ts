// The (x, t_x, T) groups of `bench:analytics`'s generated shop, drawn in memory instead of read
// from its database: the same purchase process and seed, repeats thinned to the order count and
// 1.5% of orders cancelled as the generator does (with its own random stream, so the groups
// match the bench shop's in distribution, not customer for customer), purchases merged per day.
import type { PurchaseGroup } from "../../../app/crm/clv/bg-nbd";
import { seededRandom } from "../../../app/lib/seeded-random";
import { purchaseDays } from "../analytics/generate-shop-history";

const MODEL_PERIOD_DAYS = 7;

export function analyticsShopGroups(options: {
  customers: number;
  orders: number;
  years?: number;
  seed?: number;
}): PurchaseGroup[] {
  const random = seededRandom(options.seed ?? 20_260_101);
  const thinning = seededRandom((options.seed ?? 20_260_101) + 1);
  const historyDays = Math.round((options.years ?? 3) * 365);

  const times: number[] = [];
  const firstIndex = new Int32Array(options.customers + 1);
  for (let c = 0; c < options.customers; c++) {
    firstIndex[c] = times.length;
    for (const day of purchaseDays(random, historyDays)) times.push(day);
  }
  firstIndex[options.customers] = times.length;
  const keepRepeat = Math.min(1, (options.orders - options.customers) / Math.max(1, times.length - options.customers));

  // Keyed by days, (x · 2^16 + t_x) · 2^16 + T, exact in a double.
  const counts = new Map<number, number>();
  let emitted = 0;
  for (let c = 0; c < options.customers; c++) {
    let budget = options.orders - emitted - (options.customers - 1 - c);
    let firstDay = -1;
    let lastDay = -1;
    let distinctDays = 0;
    for (let index = firstIndex[c]!; index < firstIndex[c + 1]! && budget > 0; index++) {
      if (index > firstIndex[c]! && thinning() >= keepRepeat) continue;
      budget--;
      emitted++;
      if (thinning() < 0.015) continue; // cancelled
      const day = Math.floor(times[index]!);
      if (firstDay < 0) firstDay = day;
      if (day !== lastDay) distinctDays++;
      lastDay = day;
    }
    if (firstDay < 0) continue;
    const key = ((distinctDays - 1) * 65_536 + (lastDay - firstDay)) * 65_536 + (historyDays - firstDay);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  const groups: PurchaseGroup[] = [];
  for (const [key, count] of counts) {
    const ageDays = key % 65_536;
    const spanDays = Math.floor(key / 65_536) % 65_536;
    const frequency = Math.floor(key / 65_536 / 65_536);
    groups.push({ frequency, recency: spanDays / MODEL_PERIOD_DAYS, T: ageDays / MODEL_PERIOD_DAYS, count });
  }
  return groups;
}
