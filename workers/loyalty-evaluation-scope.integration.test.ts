// The loyalty worker's per-event evaluations (evaluate-order, evaluate-customer) run behind the
// row-level-security wall: each shop's evaluation is one transaction in its scope, whose writes
// all commit or none, and whose follow-on jobs are enqueued only when they do.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createJobQueues } from "../app/jobs/job-queues.server";
import { evaluateOrders } from "../app/crm/loyalty/evaluate-order.server";
import { createProgram, deliver, loyaltyDepsFor, runLoyaltyJobs } from "../test/helpers/loyalty-test-setup";
import { smallTestStore } from "../test/helpers/small-test-store";
import { createTestPrisma } from "../test/helpers/test-database";
import { openTestQueues } from "../test/helpers/test-queues";
import { customerPayload, orderPayload } from "../test/shopify-double/rest-payloads";
import type { StoreShop } from "../test/shopify-double/store-data";
import { createJobScopes } from "./processors/job-shop";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const deps = loyaltyDepsFor(db, jobs, "http://127.0.0.1:9");
const shops: { id: number; domain: string; store: StoreShop }[] = [];
const probe = `loyalty_probe_${randomUUID().slice(0, 8)}`;
const probes = `test_scope_probes.${probe}`;
const TABLES = ["loyalty_members", "loyalty_ledger_entries"];

/** A shop with a program (sign-up and birthday bonuses: a new member's birthday read is a job). */
async function openShop() {
  const store = smallTestStore(`eval-scope-${randomUUID().slice(0, 8)}.myshopify.com`);
  const row = await db.shop.create({
    data: { domain: store.domain, name: store.name, currencyCode: "EUR", ianaTimezone: "UTC" },
  });
  await createProgram(db, row.id, { earn: { pointsPerCurrencyUnit: 1 }, bonuses: { signup: 3, birthday: 5 } });
  const shop = { id: row.id, domain: row.domain, store };
  shops.push(shop);
  // Who writes the shop's members and ledger, in which scope and which transaction (the trigger
  // runs as the writing role).
  for (const table of TABLES) {
    await db.$executeRawUnsafe(`CREATE TRIGGER ${probe}_${shop.id} AFTER INSERT OR UPDATE ON ${table}
      FOR EACH ROW WHEN (NEW.shop_id = ${shop.id}) EXECUTE FUNCTION ${probes}()`);
  }
  return shop;
}

/** Ada and her paid order, applied by the ingest path (which enqueues their loyalty jobs). */
async function adaWithAPaidOrder(shop: { domain: string; store: StoreShop }) {
  const ada = shop.store.customers[0]!;
  const order = shop.store.orders[0]!;
  await deliver(deps, shop.domain, "customers/create", customerPayload(shop.store, ada));
  await deliver(deps, shop.domain, "orders/paid", orderPayload(shop.store, order));
  return { ada, order };
}

async function probesOf(shopId: number) {
  return db.$queryRawUnsafe<{ role: string; scope: string | null; xid: string }[]>(
    `SELECT role, scope, xid FROM ${probes} WHERE shop_id = $1`,
    shopId,
  );
}

async function shopifyCallsJobsOf(shopDomain: string) {
  const waiting = await queues.queue("shopify-calls").getJobs(["waiting", "delayed", "prioritized"]);
  return waiting
    .filter((job) => (job.data as { shopDomain?: string }).shopDomain === shopDomain)
    .map((job) => job.name);
}

beforeAll(async () => {
  // Its own schema: a table in public with shop_id would have to be walled (shop-scope.integration.test.ts).
  await db.$executeRawUnsafe(`CREATE SCHEMA IF NOT EXISTS test_scope_probes`);
  await db.$executeRawUnsafe(`GRANT USAGE ON SCHEMA test_scope_probes TO kinship_app`);
  await db.$executeRawUnsafe(`CREATE TABLE ${probes} (shop_id int, role text, scope text, xid text)`);
  await db.$executeRawUnsafe(`GRANT INSERT, SELECT ON ${probes} TO kinship_app`);
  await db.$executeRawUnsafe(`CREATE FUNCTION ${probes}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO ${probes} VALUES (NEW.shop_id, current_user, current_setting('kinship.shop_id', true), txid_current()::text);
      RETURN NEW;
    END $$`);
  await db.$executeRawUnsafe(`CREATE FUNCTION ${probes}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'ledger refused for this test';
    END $$`);
});

afterAll(async () => {
  for (const table of TABLES) {
    for (const shop of shops) await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ${probe}_${shop.id} ON ${table}`);
  }
  await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ${probe}_refuse ON loyalty_ledger_entries`);
  await db.$executeRawUnsafe(`DROP TABLE IF EXISTS ${probes}`);
  await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS ${probes}()`);
  await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS ${probes}_refuse()`);
  await db.shop.deleteMany({ where: { id: { in: shops.map((shop) => shop.id) } } });
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

describe("the loyalty worker's evaluations", () => {
  it("write as kinship_app in the job's shop's scope (evaluate-customer, evaluate-order)", async () => {
    // Given a shop's new customer and her paid order, applied by the ingest path
    const shop = await openShop();
    await adaWithAPaidOrder(shop);

    // When the loyalty worker runs the jobs the ingest enqueued
    const ran = await runLoyaltyJobs(deps);

    // Then she is a member with her sign-up bonus and her points, written by the app role in the
    // shop's scope, never by the owner
    expect(ran).toBeGreaterThanOrEqual(2);
    const kinds = await db.loyaltyLedgerEntry.findMany({ where: { shopId: shop.id }, select: { kind: true } });
    expect(kinds.map((entry) => entry.kind).sort()).toEqual(["earn", "signup"]);
    const writes = await probesOf(shop.id);
    expect(writes.length).toBeGreaterThanOrEqual(3);
    expect(new Set(writes.map((write) => `${write.role} ${write.scope}`))).toEqual(new Set([`kinship_app ${shop.id}`]));
    // …and her birthday read and member sync were enqueued for the shopify-calls queue
    expect(new Set(await shopifyCallsJobsOf(shop.domain))).toEqual(
      new Set(["read-member-birthday", "sync-member-to-shopify"]),
    );
  });

  it("runs a batch shop by shop, each in one transaction: one shop's failure undoes and enqueues nothing of its own only", async () => {
    // Given two shops' new customers with a paid order each, and a ledger that refuses shop B's entries
    const a = await openShop();
    const b = await openShop();
    const orderA = (await adaWithAPaidOrder(a)).order;
    const orderB = (await adaWithAPaidOrder(b)).order;
    await db.$executeRawUnsafe(`CREATE TRIGGER ${probe}_refuse BEFORE INSERT ON loyalty_ledger_entries
      FOR EACH ROW WHEN (NEW.shop_id = ${b.id}) EXECUTE FUNCTION ${probes}_refuse()`);

    // When both orders are evaluated in one batch, each shop with the worker's scoped deps
    const scopes = createJobScopes(deps);
    const results = await evaluateOrders(scopes.byDomain, [
      { shopDomain: b.domain, orderShopifyId: BigInt(orderB.id) },
      { shopDomain: a.domain, orderShopifyId: BigInt(orderA.id) },
    ]);

    // Then shop A's order is evaluated: its member, ledger and balance written in one transaction
    // of its scope, and its follow-on jobs enqueued
    expect(results[1]).toEqual({ status: "fulfilled", value: "evaluated" });
    const writesA = await probesOf(a.id);
    expect(writesA.length).toBeGreaterThanOrEqual(3);
    expect(new Set(writesA.map((write) => `${write.role} ${write.scope} ${write.xid}`)).size).toBe(1);
    expect(writesA[0]).toMatchObject({ role: "kinship_app", scope: String(a.id) });
    expect(new Set(await shopifyCallsJobsOf(a.domain))).toEqual(
      new Set(["read-member-birthday", "sync-member-to-shopify"]),
    );
    // …while shop B's fails alone, with nothing of it left: no member (created before the ledger
    // refused), no entries, and no birthday read enqueued for the member that never was
    expect(results[0]).toMatchObject({ status: "rejected" });
    expect(String((results[0] as PromiseRejectedResult).reason)).toContain("ledger refused");
    expect(await db.loyaltyMember.count({ where: { shopId: b.id } })).toBe(0);
    expect(await db.loyaltyLedgerEntry.count({ where: { shopId: b.id } })).toBe(0);
    expect(await probesOf(b.id)).toEqual([]);
    expect(await shopifyCallsJobsOf(b.domain)).toEqual([]);
  });
});
