// Draws purchase histories from the BG/NBD model itself, for parameter-recovery tests and the
// fitting benchmark: a known truth to fit against, with realistic (x, t_x, T) group counts.
import type { BgNbdParams, PurchaseGroup } from "./bg-nbd";
import { seededRandom } from "../../lib/seeded-random";

export function simulateBgNbdGroups(
  params: BgNbdParams,
  options: { customers: number; maxAgeDays: number; seed: number },
): PurchaseGroup[] {
  const random = seededRandom(options.seed);
  const groups = new Map<string, PurchaseGroup>();
  for (let customer = 0; customer < options.customers; customer++) {
    const age = Math.floor(random() * (options.maxAgeDays + 1));
    const rate = gammaSample(params.r, random) / params.alpha;
    const dropout = betaSample(params.a, params.b, random);
    let time = 0;
    let last = 0;
    let frequency = 0;
    for (;;) {
      time += -Math.log(1 - random()) / rate;
      if (time > age) break;
      // Purchases on the first purchase's day or an already counted day merge, as in real data.
      const day = Math.floor(time);
      if (day > last) {
        frequency++;
        last = day;
      }
      if (random() < dropout) break;
    }
    const key = `${frequency},${last},${age}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { frequency, recency: last, T: age, count: 1 });
  }
  return [...groups.values()];
}

// Marsaglia and Tsang (2000), with the shape < 1 boost Gamma(k) = Gamma(k + 1) · U^(1/k).
export function gammaSample(shape: number, random: () => number): number {
  if (shape < 1) return gammaSample(shape + 1, random) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normalSample(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

function betaSample(a: number, b: number, random: () => number): number {
  const x = gammaSample(a, random);
  return x / (x + gammaSample(b, random));
}

function normalSample(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
