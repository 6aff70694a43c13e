// Times fitBgNbd on the distinct (x, t_x, T) groups of a simulated shop at day granularity.
//   npx tsx scripts/bench/clv-fit.ts [--customers 1000000] [--max-age-days 730] [--repeats 3]
import { parseArgs } from "node:util";

import { fitBgNbd } from "../../app/crm/clv/bg-nbd";
import { simulateBgNbdGroups } from "../../app/crm/clv/bg-nbd-simulation";
import { fitGammaGamma } from "../../app/crm/clv/gamma-gamma";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "1000000" },
    "max-age-days": { type: "string", default: "730" },
    repeats: { type: "string", default: "3" },
  },
});
const customers = Number(values.customers);
const maxAgeDays = Number(values["max-age-days"]);
const repeats = Number(values.repeats);

// Daily rates of the order of CDNOW's (r = 0.243, α = 4.414 weeks ≈ 31 days).
const truth = { r: 0.243, alpha: 30.9, a: 0.793, b: 2.426 };
let started = performance.now();
const groups = simulateBgNbdGroups(truth, { customers, maxAgeDays, seed: 1 });
console.log(
  `simulated ${customers.toLocaleString("en")} customers into ${groups.length.toLocaleString("en")} (x, t_x, T) groups in ${ms(started)}`,
);

for (const [label, subset] of [
  ["the first 50,000 groups (a biased subset, for timing)", groups.slice(0, 50_000)],
  [`all ${groups.length.toLocaleString("en")} groups`, groups],
] as const) {
  for (let run = 1; run <= repeats; run++) {
    started = performance.now();
    const fit = fitBgNbd(subset);
    console.log(
      `fitBgNbd on ${label}, run ${run}: ${ms(started)}  r=${fit.r.toFixed(4)} alpha=${fit.alpha.toFixed(3)} ` +
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
started = performance.now();
const gg = fitGammaGamma(spend);
console.log(
  `fitGammaGamma on ${spend.length.toLocaleString("en")} rows: ${ms(started)}  p=${gg.p.toFixed(3)} q=${gg.q.toFixed(3)} v=${gg.v.toFixed(3)} converged=${gg.converged}`,
);

function ms(since: number): string {
  return `${(performance.now() - since).toFixed(0)} ms`;
}
