// npm run bench:webhooks [-- --ack N --deliveries N --concurrency N]
// 1. Acknowledgement: N signed deliveries posted on loopback to the real app server
//    (HMAC check, inbox write, enqueue), no workers running: throughput and latency.
// 2. End to end: ≥100,000 customer and order deliveries (creates, updates, refunds,
//    cancellations) with 5% duplicates, shuffled, while the workers process is killed
//    with SIGKILL and restarted mid-run; then every profile is checked against the store.
//    `--deliveries 0` skips it.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { Queue } from "bullmq";
import { Redis } from "ioredis";

import { expectedProfiles } from "../../test/helpers/expected-profiles";
import { freePort } from "../../test/helpers/free-port";
import { generateDemoStore } from "../../test/shopify-double/demo-store";
import { buildReplayStream } from "../../test/shopify-double/replay-stream";
import type { StoreShop } from "../../test/shopify-double/store-data";
import { createBenchEnvironment, percentile } from "./bench-env";
import { scaleStore } from "./scale-store";
import { prepareDelivery, sendAll } from "./webhook-load";

const { values } = parseArgs({
  options: {
    ack: { type: "string", default: "20000" },
    deliveries: { type: "string", default: "100000" },
    concurrency: { type: "string", default: "32" },
  },
});
const ackCount = Number(values.ack);
const targetDeliveries = Number(values.deliveries);
const concurrency = Number(values.concurrency);

type Bench = Awaited<ReturnType<typeof createBenchEnvironment>>;

// CPU seconds a process has used so far (Linux /proc), to see who had the two cores.
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
  } catch {
    return NaN;
  }
}
const ownCpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

async function acknowledgement(bench: Bench, base: StoreShop, appPid: number | undefined) {
  const shop = "bench-ack.myshopify.com";
  const stream = buildReplayStream({ ...base, domain: shop }, { duplicateRate: 0 }).slice(0, ackCount + 500);
  const deliveries = stream.map((d) => prepareDelivery(shop, d, bench.secret));
  await sendAll(bench.appUrl, deliveries.slice(0, 500), concurrency); // warm-up (JIT, pools)
  const [appCpu, loadCpu] = [cpuSecondsOf(appPid), ownCpuSeconds()];
  const ack = await sendAll(bench.appUrl, deliveries.slice(500), concurrency);
  // On a shared machine throughput swings with the neighbours; CPU per delivery much less.
  const [appUsed, loadUsed] = [cpuSecondsOf(appPid) - appCpu, ownCpuSeconds() - loadCpu];
  const share = (seconds: number) => `${((seconds / ack.seconds) * 100).toFixed(0)}%`;
  const perDelivery = `${((appUsed / ack.latenciesMs.length) * 1e6).toFixed(0)} µs a delivery`;
  const cpu = `CPU of one core: app ${share(appUsed)} (${perDelivery}), load generator ${share(loadUsed)}`;
  const sorted = [...ack.latenciesMs].sort((a, b) => a - b);
  console.log(
    `ack: ${ack.latenciesMs.length} deliveries in ${ack.seconds.toFixed(2)} s = ${(ack.latenciesMs.length / ack.seconds).toFixed(0)}/s, ` +
      `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, non-200: ${ack.failures} ` +
      `(target ≥ 1000/s with p99 < 50 ms; ${concurrency} in flight); ${cpu}`,
  );
  // Nothing of this shop is applied: the end-to-end part starts from an empty queue.
  const redis = new Redis(bench.env.REDIS_URL!, { maxRetriesPerRequest: null });
  const ingest = new Queue("ingest", { connection: redis, prefix: bench.env.QUEUE_PREFIX });
  await ingest.obliterate({ force: true });
  await ingest.close();
  await redis.quit();
  await bench.db.webhookDelivery.deleteMany({ where: { shopDomain: shop } });
}

async function endToEnd(bench: Bench, base: StoreShop) {
  let copies = 1;
  while (buildReplayStream(scaleStore(base, copies), { duplicateRate: 0.05 }).length < targetDeliveries) copies++;
  const store = scaleStore(base, copies);
  const stream = buildReplayStream(store, { duplicateRate: 0.05 });
  const unique = new Set(stream.map((d) => d.webhookId)).size;
  await bench.db.shop.create({
    data: {
      domain: store.domain,
      name: store.name,
      currencyCode: store.currencyCode,
      ianaTimezone: store.ianaTimezone,
    },
  });
  let workers = bench.startWorkers();
  const prepared = stream.map((d) => prepareDelivery(store.domain, d, bench.secret));
  console.log(
    `e2e: ${stream.length} deliveries (${unique} unique) for ${store.customers.length} customers and ${store.orders.length} orders`,
  );
  const started = performance.now();
  let killed = false;
  const sent = await sendAll(bench.appUrl, prepared, 16, (count) => {
    if (!killed && count >= prepared.length * 0.3) {
      killed = true;
      workers.process.kill("SIGKILL");
      console.log(`e2e: workers killed with SIGKILL after ${count} deliveries; restarting`);
      workers = bench.startWorkers();
    }
  });
  console.log(`e2e: all sent in ${sent.seconds.toFixed(1)} s (non-200: ${sent.failures})`);
  for (let lastLog = performance.now(); ;) {
    const counts = await bench.db.webhookDelivery.groupBy({
      by: ["status"],
      where: { shopDomain: store.domain },
      _count: true,
    });
    const settled = counts.filter((c) => c.status !== "received").reduce((sum, c) => sum + c._count, 0);
    if (settled >= unique) break;
    if (performance.now() - lastLog > 10_000) {
      console.log(`e2e: ${settled}/${unique} settled`);
      lastLog = performance.now();
    }
    if ((performance.now() - started) / 1000 > 1800) throw new Error("e2e did not finish within 30 minutes");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const seconds = (performance.now() - started) / 1000;
  const shop = await bench.db.shop.findUniqueOrThrow({ where: { domain: store.domain } });
  const rows = await bench.db.customer.findMany({
    where: { shopId: shop.id },
    select: { shopifyId: true, ordersCount: true, netSpentMinor: true, grossSpentMinor: true },
  });
  const expected = expectedProfiles(store);
  const wrong = rows.filter((row) => {
    const want = expected.get(row.shopifyId);
    return (
      !want ||
      want.ordersCount !== row.ordersCount ||
      want.netSpentMinor !== row.netSpentMinor ||
      want.grossSpentMinor !== row.grossSpentMinor
    );
  });
  const failed = await bench.db.webhookDelivery.count({ where: { shopDomain: store.domain, status: "failed" } });
  const orders = await bench.db.order.count({ where: { shopId: shop.id } });
  const refunds = await bench.db.refund.count({ where: { shopId: shop.id } });
  const expectedRefunds = store.orders.reduce((sum, order) => sum + order.refunds.length, 0);
  console.log(
    `e2e: ${unique} deliveries applied in ${seconds.toFixed(1)} s = ${(unique / seconds).toFixed(0)}/s end to end; ` +
      `customers ${rows.length}/${store.customers.length}, orders ${orders}/${store.orders.length}, ` +
      `refunds ${refunds}/${expectedRefunds}, failed deliveries ${failed}, profiles with a wrong count or spend: ${wrong.length}`,
  );
  if (wrong.length > 0 || failed > 0 || rows.length !== store.customers.length || orders !== store.orders.length) {
    process.exitCode = 1;
  }
}

const bench = await createBenchEnvironment("webhooks", await freePort());
try {
  const base = generateDemoStore({ now: new Date("2026-11-01T00:00:00Z") });
  const app = await bench.startApp();
  await acknowledgement(bench, base, app.process.pid);
  if (targetDeliveries > 0) await endToEnd(bench, base);
} finally {
  await bench.close();
}
