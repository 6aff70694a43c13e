// `npm run bench:recommendations [-- --lines N --products N --regenerate]`: the co-purchase mining
// of a generated shop (default 5,000,000 order lines, 5,000 products with skewed popularity, 50
// planted pairs) in a child process. Prints the mining's phases, wall time (target < 60 s), the
// child's peak RSS (target < 1.5 GB), how many planted pairs came back, and the time of one
// customer's "next best products" read. The shop is kept in its own database (named by its size)
// and reused unless --regenerate is given.
import { loadavg } from "node:os";

import pg from "pg";

import { nextBestProductsOf } from "../../app/crm/recommendations/next-best-products.repository.server";
import { createPrismaClient } from "../../app/db.server";
import { applyMigrations, dropDatabase, ensureDatabase } from "../../prisma/migrator";
import { spawnTsx } from "../../test/helpers/spawn-tsx";
import { percentile } from "./bench-env";
import { generateCoPurchaseShop, plantedPairs } from "./recommendations/generate-co-purchases";

const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const lines = Number(argument("lines") ?? 5_000_000);
const products = Number(argument("products") ?? 5_000);
const customers = Number(argument("customers") ?? 300_000);
const PLANTED = 50;
const SHOP = "recommendations-bench.myshopify.com";
const READY = "Recommendations bench (generated)";
const base = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/kinship");
base.pathname = `/kinship_bench_recommendations_${lines}_${products}`;
const databaseUrl = base.toString();
const log = (line: string) => console.log(`[bench] ${line}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

if (process.argv.includes("--regenerate")) await dropDatabase(databaseUrl);
await ensureDatabase(databaseUrl);
await applyMigrations(databaseUrl);
const db = createPrismaClient(databaseUrl);
let shop = await db.shop.findUnique({ where: { domain: SHOP } });
const generatorOptions = {
  customers,
  lines,
  products,
  plantedPairs: PLANTED,
  skew: 0.9,
  seed: 5,
  shopifyIdBase: 1_000_000_000,
};
const planted = plantedPairs(generatorOptions);
if (shop?.name !== READY) {
  if (shop) await db.shop.delete({ where: { id: shop.id } });
  shop = await db.shop.create({
    data: { domain: SHOP, name: "generating", currencyCode: "USD", ianaTimezone: "America/New_York" },
  });
  log(`generating ${lines.toLocaleString("en")} order lines over ${products.toLocaleString("en")} products`);
  const started = Date.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const generated = await generateCoPurchaseShop(client, shop.id, generatorOptions);
  await client.query("VACUUM ANALYZE customers");
  await client.query("VACUUM ANALYZE orders");
  await client.query("VACUUM ANALYZE line_items");
  await client.end();
  shop = await db.shop.update({ where: { id: shop.id }, data: { name: READY } });
  log(`generated ${generated.orders.toLocaleString("en")} orders in ${seconds(Date.now() - started)}`);
} else {
  log(`reusing the generated shop in ${base.pathname.slice(1)} (--regenerate to make a new one)`);
}

try {
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
  log(`mining in a child process; load average ${load()}`);
  const child = spawnTsx(
    "scripts/bench/recommendations/mine-once.ts",
    { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" },
    [String(shop.id)],
  );
  const exit = await child.exited;
  const line = /MINED (.*)/.exec(child.output())?.[1];
  if (exit.code !== 0 || !line) throw new Error(`mining failed:\n${child.output()}`);
  const figures = JSON.parse(line) as {
    orders: number;
    lines: number;
    products: number;
    pairedProducts: number;
    rules: number;
    skippedBaskets: number;
    minPairOrders: number;
    phaseDurations: Record<string, number>;
    wallMs: number;
    cpuS: number;
    peakRssMb: number;
  };
  log(
    `baskets ${figures.orders.toLocaleString("en")} (lines ${figures.lines.toLocaleString("en")}, distinct per order), products ${figures.products.toLocaleString("en")}, paired ${figures.pairedProducts.toLocaleString("en")}, min pair orders ${figures.minPairOrders}, skipped big baskets ${figures.skippedBaskets}`,
  );
  for (const [phase, ms] of Object.entries(figures.phaseDurations))
    log(`  ${phase.padEnd(14)} ${seconds(ms).padStart(9)}`);
  log(`mining ${seconds(figures.wallMs)} wall (target < 60 s), rules stored ${figures.rules.toLocaleString("en")}`);
  log(
    `mining process CPU ${figures.cpuS.toFixed(1)} s (the basket read's PostgreSQL time is not in it); load average ${load()}`,
  );
  log(`mining peak RSS ${figures.peakRssMb} MB (target < 1536 MB)`);

  const rules = await db.productAssociation.findMany({
    where: { shopId: shop.id },
    select: { productShopifyId: true, associatedProductShopifyId: true, rank: true },
  });
  const rankOf = new Map(rules.map((r) => [`${r.productShopifyId}>${r.associatedProductShopifyId}`, r.rank]));
  const recovered = planted.filter(([a, b]) => rankOf.has(`${a}>${b}`) && rankOf.has(`${b}>${a}`));
  const firstRank = planted.filter(([a, b]) => rankOf.get(`${a}>${b}`) === 1);
  log(
    `planted pairs recovered ${recovered.length}/${planted.length} (both directions), top rule of the anchor ${firstRank.length}/${planted.length}`,
  );

  // One customer's next best products, as Customer 360 and the storefront read them.
  const sample = await db.$queryRaw<{ id: bigint }[]>`
    SELECT id FROM customers WHERE shop_id = ${shop.id} AND orders_count > 0 ORDER BY id LIMIT 200`;
  const times: number[] = [];
  for (const { id } of sample) {
    const started = performance.now();
    await nextBestProductsOf(db, shop.id, [id], 5);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  log(
    `next best products of one customer: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`,
  );
  console.log(
    JSON.stringify({
      lines: figures.lines,
      orders: figures.orders,
      products: figures.products,
      rules: figures.rules,
      miningMs: figures.wallMs,
      miningCpuS: figures.cpuS,
      phases: figures.phaseDurations,
      peakRssMb: figures.peakRssMb,
      plantedRecovered: recovered.length,
      planted: planted.length,
      nextBestP95Ms: Number(percentile(times, 95).toFixed(1)),
    }),
  );
} finally {
  await db.$disconnect();
}
