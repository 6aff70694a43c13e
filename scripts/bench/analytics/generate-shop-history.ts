// Writes a synthetic purchase history straight into PostgreSQL with COPY: customers who buy by
// the BG/NBD story (a Poisson rate λ ~ Gamma(r, α) per customer while alive, a dropout chance
// p ~ Beta(a, b) after each purchase), first purchases spread over the history, order values
// from a per-customer gamma mean, some zero-value orders, partial and full refunds, and a few
// cancelled orders. Used by `npm run bench:analytics` and by the analytics integration tests.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { seededRandom } from "../../../app/lib/seeded-random";

export interface ShopHistoryOptions {
  customers: number;
  /** Exactly this many orders (customers who would buy more are capped near the end). */
  orders: number;
  /** The last day of the history (UTC). */
  end: Date;
  years?: number;
  seed?: number;
  /** Shopify ids start after this (several generated shops in one database stay distinct). */
  shopifyIdBase?: number;
}

const DAY_MS = 86_400_000;
// Days as the unit: mean λ = r / α ≈ one purchase every ~40 days while alive, dropout mean 0.18;
// over three years that is about 5.4 orders per customer, 70% of them repeat buyers.
const PROCESS = { r: 0.8, alpha: 30, a: 1.1, b: 5 } as const;

function normal(random: () => number) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Marsaglia and Tsang; shape < 1 through the boost x · U^(1/shape). */
function gamma(shape: number, random: () => number): number {
  if (shape < 1) return gamma(shape + 1, random) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(random);
    const v = (1 + c * x) ** 3;
    if (v > 0 && Math.log(1 - random()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

const beta = (a: number, b: number, random: () => number) => {
  const x = gamma(a, random);
  return x / (x + gamma(b, random));
};

/** Purchase times (days from the history start) of one customer, at least one. */
export function purchaseDays(random: () => number, historyDays: number): number[] {
  const first = random() * historyDays;
  const rate = gamma(PROCESS.r, random) / PROCESS.alpha;
  const dropout = beta(PROCESS.a, PROCESS.b, random);
  const days = [first];
  let time = first;
  for (;;) {
    if (random() < dropout) break;
    time += -Math.log(1 - random()) / rate;
    if (time >= historyDays) break;
    days.push(time);
  }
  return days;
}

function* customerLines(shopId: number, count: number, base: number, end: Date) {
  const at = end.toISOString();
  let batch = "";
  for (let i = 1; i <= count; i++) {
    batch += `${shopId}\t${base + i}\t${at}\t${at}\t${at}\n`;
    if (i % 10_000 === 0) {
      yield batch;
      batch = "";
    }
  }
  if (batch) yield batch;
}

export async function generateShopHistory(client: pg.ClientBase, shopId: number, options: ShopHistoryOptions) {
  const random = seededRandom(options.seed ?? 20_260_101);
  const base = options.shopifyIdBase ?? shopId * 100_000_000;
  const historyDays = Math.round((options.years ?? 3) * 365);
  const startMs = options.end.getTime() - historyDays * DAY_MS;

  await pipeline(
    Readable.from(customerLines(shopId, options.customers, base, options.end)),
    client.query(
      copyFrom(`COPY customers (shop_id, shopify_id, shopify_created_at, shopify_updated_at, updated_at) FROM STDIN`),
    ),
  );
  const { rows } = await client.query<{ id: string; shopify_id: string }>(
    `SELECT id, shopify_id FROM customers WHERE shop_id = $1`,
    [shopId],
  );
  const customerIds = new Float64Array(options.customers + 1);
  for (const row of rows) customerIds[Number(row.shopify_id) - base] = Number(row.id);

  // Draw every customer's purchases first, then thin the repeat purchases at random to the
  // exact order count asked for (thinning a Poisson process keeps it one).
  const times: number[] = [];
  const firstIndex = new Int32Array(options.customers + 2);
  for (let c = 1; c <= options.customers; c++) {
    firstIndex[c] = times.length;
    for (const day of purchaseDays(random, historyDays)) times.push(day);
  }
  firstIndex[options.customers + 1] = times.length;
  const keepRepeat = Math.min(1, (options.orders - options.customers) / Math.max(1, times.length - options.customers));

  // Each order's figures, then written in time order as a real shop's orders table fills up
  // (so nothing gets the luck of orders stored customer by customer).
  const capacity = Math.min(options.orders, times.length);
  const orderDay = new Float64Array(capacity);
  const orderCustomer = new Int32Array(capacity);
  const orderTotal = new Float64Array(capacity);
  const orderRefunded = new Float64Array(capacity);
  const orderCancelled = new Uint8Array(capacity);
  let emitted = 0;
  for (let c = 1; c <= options.customers; c++) {
    // Every later customer keeps at least one order within the exact total.
    let budget = options.orders - emitted - (options.customers - c);
    const meanSpend = 1_500 + gamma(2, random) * 2_500;
    for (let index = firstIndex[c]!; index < firstIndex[c + 1]! && budget > 0 && emitted < capacity; index++) {
      if (index > firstIndex[c]! && random() >= keepRepeat) continue;
      budget--;
      const total = random() < 0.03 ? 0 : Math.max(50, Math.round((meanSpend * gamma(4, random)) / 4));
      const refundDraw = random();
      orderDay[emitted] = times[index]!;
      orderCustomer[emitted] = c;
      orderTotal[emitted] = total;
      orderRefunded[emitted] =
        total === 0 || refundDraw > 0.06 ? 0 : refundDraw < 0.02 ? total : Math.round(total * 0.3);
      orderCancelled[emitted] = random() < 0.015 ? 1 : 0;
      emitted++;
    }
  }
  const inTimeOrder = new Uint32Array(emitted).map((_, i) => i).sort((x, y) => orderDay[x]! - orderDay[y]!);

  function* orderLines() {
    let batch = "";
    for (let n = 0; n < emitted; n++) {
      const i = inTimeOrder[n]!;
      const c = orderCustomer[i]!;
      const processed = new Date(startMs + orderDay[i]! * DAY_MS).toISOString();
      const cancelled = orderCancelled[i] ? processed : "\\N";
      batch +=
        `${shopId}\t${base + n + 1}\t${base + c}\t${customerIds[c]}\t#${n + 1}\tUSD\t${processed}\t` +
        `${processed}\t${processed}\t${cancelled}\t${orderTotal[i]}\t${orderTotal[i]}\t${orderRefunded[i]}\t${processed}\n`;
      if ((n + 1) % 10_000 === 0) {
        yield batch;
        batch = "";
      }
    }
    if (batch) yield batch;
  }
  await pipeline(
    Readable.from(orderLines()),
    client.query(
      copyFrom(`COPY orders (shop_id, shopify_id, customer_shopify_id, customer_id, name, currency_code, processed_at,
                             shopify_created_at, shopify_updated_at, cancelled_at, subtotal_minor, total_minor,
                             refunded_minor, updated_at) FROM STDIN`),
    ),
  );
  // The refunds behind refunded_minor, as the history import would have stored them.
  await client.query(
    `INSERT INTO refunds (shop_id, order_id, order_shopify_id, shopify_id, amount_minor, refunded_at)
     SELECT shop_id, id, shopify_id, shopify_id, refunded_minor, processed_at + interval '3 days'
     FROM orders WHERE shop_id = $1 AND refunded_minor > 0`,
    [shopId],
  );
  return { customers: options.customers, orders: emitted };
}
