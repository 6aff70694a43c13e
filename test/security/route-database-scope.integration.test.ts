// The request paths' database work runs behind the row-level-security wall: the clients the routes
// hand to the domain (shopDb, the per-request deps factories) answer a deliberately unscoped query
// with the session's shop's rows only, and no route or deps factory reaches for the owner's
// unscoped client unless it is listed below with its reason.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { customersAppDeps } from "../../app/crm/customers/customers-app-deps.server";
import { feedbackAppDeps } from "../../app/crm/feedback/feedback-app-deps.server";
import { loyaltyAppDeps } from "../../app/crm/loyalty/loyalty-app-deps.server";
import { segmentsAppDeps } from "../../app/crm/segments/segments-app-deps.server";
import { db, shopDb, type PrismaClient } from "../../app/db.server";
import { seedTenant, type SeededTenant } from "../helpers/seed-tenant";
import { ROUTES_DIR } from "./tenant-harness";

// Files that still hand the domain the owner's client (`db()`), outside the wall; their repositories'
// `WHERE shop_id` is the only wall there. Webhook routes store into the inbox (no shop table) and
// do not appear: they never touch db().
const OWNER_CLIENT_FILES: Record<string, string> = {
  "app/routes/app.customers._index.tsx":
    "the Customers list's read model is built on first use (DDL in customer_lists)",
  "app/crm/customers/customers-app-deps.server.ts":
    "bulk actions count a filter's matches in the same read model (listDb); their reads and writes are the shop's",
};

const APP_DIR = path.join(ROUTES_DIR, "..");

function filesUsingTheOwnerClient(): string[] {
  const routes = readdirSync(ROUTES_DIR).map((file) => path.join(ROUTES_DIR, file));
  const deps = readdirSync(path.join(APP_DIR, "crm"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith("-app-deps.server.ts"))
    .map((file) => path.join(APP_DIR, "crm", file));
  return [...routes, ...deps]
    .filter((file) => /\bdb\(\)/.test(readFileSync(file, "utf8")))
    .map((file) => path.relative(path.join(APP_DIR, ".."), file))
    .sort();
}

describe("which request paths use the owner's unscoped client", () => {
  it("only the listed ones", () => {
    expect(filesUsingTheOwnerClient()).toEqual(Object.keys(OWNER_CLIENT_FILES).sort());
  });
});

describe("the clients the routes hand to the domain", () => {
  let a: SeededTenant;
  let b: SeededTenant;

  beforeAll(async () => {
    a = await seedTenant(db(), "A");
    b = await seedTenant(db(), "B");
  });

  afterAll(async () => {
    await db().shop.deleteMany({ where: { id: { in: [a.shopId, b.shopId] } } });
  });

  const clients: [string, (shopDomain: string) => PrismaClient][] = [
    ["shopDb", (shopDomain) => shopDb(shopDomain)],
    ["loyaltyAppDeps", (shopDomain) => loyaltyAppDeps(shopDomain).db],
    ["feedbackAppDeps", (shopDomain) => feedbackAppDeps(shopDomain).db],
    ["segmentsAppDeps", (shopDomain) => segmentsAppDeps(shopDomain).db],
    ["customersAppDeps", (shopDomain) => customersAppDeps(shopDomain, { graphql: () => Promise.reject() }).db],
  ];

  it.each(clients)("%s: a query without WHERE sees only the session's shop", async (_name, clientFor) => {
    // Given both shops have customers, ledger entries and notes (as the owner sees them)
    const everyone = await db().$queryRaw<{ shop_id: number }[]>`SELECT DISTINCT shop_id FROM customers`;
    expect(everyone.map((row) => row.shop_id)).toEqual(expect.arrayContaining([a.shopId, b.shopId]));
    // When shop A's request runs queries that forgot their shop filter
    const scoped = clientFor(a.domain);
    const customers = await scoped.$queryRaw<{ shop_id: number }[]>`SELECT DISTINCT shop_id FROM customers`;
    const ledger = await scoped.loyaltyLedgerEntry.findMany({ select: { shopId: true } });
    const foreignNote = await scoped.customerNote.findUnique({ where: { id: b.noteId } });
    // Then only A's rows come back
    expect(customers.map((row) => row.shop_id)).toEqual([a.shopId]);
    expect(new Set(ledger.map((entry) => entry.shopId))).toEqual(new Set([a.shopId]));
    expect(foreignNote).toBeNull();
  });
});
