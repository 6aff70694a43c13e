// Times fitBgNbd (wall and CPU time, as others load the machine) on the distinct (x, t_x, T) groups
// of a shop drawn in memory, no database:
//   --shop analytics (default): the groups of `bench:analytics`'s generated shop, times in weeks
//     (1,000,000 customers and 5,000,000 orders over three years; the "< 2 s" figure);
//   --shop simulated: customers drawn from the BG/NBD model itself, times in days.
//   npx tsx scripts/bench/clv-fit.ts [--shop analytics|simulated] [--customers 1000000]
//     [--orders 5000000] [--max-age-days 730] [--repeats 3]
import { parseArgs } from "node:util";

import { fitBgNbd, type PurchaseGroup } from "../../app/crm/clv/bg-nbd";
import { simulateBgNbdGroups } from "../../app/crm/clv/bg-nbd-simulation";
import { fitGammaGamma } from "../../app/crm/clv/gamma-gamma";
import { analyticsShopGroups } from "./clv-fit/analytics-shop-groups";

const { values } = parseArgs({
  options: {
    shop: { type: "string", default: "analytics" },
    customers: { type: "string", default: "1000000" },
    orders: { type: "string", default: "5000000" },
    "max-age-days": { type: "string", default: "730" },
    repeats: { type: "string", default: "3" },
  },
});
const customers = Number(values.customers);
const repeats = Number(values.repeats);

let started = startClock();
let groups: PurchaseGroup[];
if (values.shop === "analytics") {
  groups = analyticsShopGroups({ customers, orders: Number(values.orders) });
} else if (values.shop === "simulated") {
  // Daily rates of the order of CDNOW's (r = 0.243, α = 4.414 weeks ≈ 31 days).
  const truth = { r: 0.243, alpha: 30.9, a: 0.793, b: 2.426 };
  groups = simulateBgNbdGroups(truth, { customers, maxAgeDays: Number(values["max-age-days"]), seed: 1 });
} else {
  throw new Error(`--shop is analytics or simulated, not ${values.shop}`);
}
console.log(
  `${values.shop} shop: ${customers.toLocaleString("en")} customers into ${groups.length.toLocaleString("en")} (x, t_x, T) groups in ${elapsed(started)}`,
);

for (const [label, subset] of [
  ["the first 50,000 groups (a biased subset, for timing)", groups.slice(0, 50_000)],
  [`all ${groups.length.toLocaleString("en")} groups (target < 2 s)`, groups],
] as const) {
  for (let run = 1; run <= repeats; run++) {
    started = startClock();
    const fit = fitBgNbd(subset);
    console.log(
      `fitBgNbd on ${label}, run ${run}: ${elapsed(started)}  r=${fit.r.toFixed(4)} alpha=${fit.alpha.toFixed(3)} ` +
        `a=${fit.a.toFixed(4)} b=${fit.b.toFixed(4)} LL=${fit.logLikelihood.toFixed(1)} converged=${fit.converged} iterations=${fit.iterations}`,
    );
  }
}

// Gamma-Gamma on one spend row per repeat customer (the worst case: no two customers share a row).
const spend = groups.flatMap((g) =>
  g.frequency > 0
    ? Array.from({ length: Math.min(g.count, 20) }, (_, i) => ({
        frequency: g.frequency,
        monetaryValue: 20 + ((i * 7919 + g.recency) % 97),
      }))
    : [],
);
started = startClock();
const gg = fitGammaGamma(spend);
console.log(
  `fitGammaGamma on ${spend.length.toLocaleString("en")} rows: ${elapsed(started)}  p=${gg.p.toFixed(3)} q=${gg.q.toFixed(3)} v=${gg.v.toFixed(3)} converged=${gg.converged}`,
);

function startClock() {
  return { wall: performance.now(), cpu: process.cpuUsage() };
}

/** Wall time, and the CPU time (user + system) this process used meanwhile. */
function elapsed(since: ReturnType<typeof startClock>): string {
  const cpu = process.cpuUsage(since.cpu);
  return `${(performance.now() - since.wall).toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU`;
}
