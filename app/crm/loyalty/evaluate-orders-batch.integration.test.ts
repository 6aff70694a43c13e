// Order and customer evaluations run as a batch (as the loyalty worker runs them) write exactly
// what one evaluation after another writes: one earn per paid order, the first-order and sign-up
// bonuses once per customer, balances equal to their ledgers, and nothing more when a batch runs
// again.
import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { createProgram, deliver, loyaltyDepsFor } from "../../../test/helpers/loyalty-test-setup";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { customerPayload, orderPayload } from "../../../test/shopify-double/rest-payloads";
import type { StoreCustomer, StoreOrder, StoreShop } from "../../../test/shopify-double/store-data";
import { createJobQueues } from "../../jobs/job-queues.server";
import { evaluateCustomers, evaluateOrders } from "./evaluate-order.server";
import { inconsistentBalances } from "./loyalty-ledger.repository.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const deps = loyaltyDepsFor(db, jobs, "http://127.0.0.1:9", { now: new Date("2026-10-01T12:00:00Z") });

afterAll(async () => {
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

/** A new shop (two customers) with a program: 1 point per euro, first order 7, sign-up 3. */
async function shopWithProgram() {
  const store = smallTestStore(`batch-${randomUUID().slice(0, 8)}.myshopify.com`);
  const shop = await db.shop.create({
    data: { domain: store.domain, name: store.name, currencyCode: "EUR", ianaTimezone: "UTC" },
  });
  await createProgram(db, shop.id, { earn: { pointsPerCurrencyUnit: 1 }, bonuses: { firstOrder: 7, signup: 3 } });
  return { store, shop };
}

/** A paid order of the customer, one line, worth (day + 1) × 10 €, processed on 1 September + day. */
function paidOrder(
  store: StoreShop,
  customer: StoreCustomer,
  order: { id: number; day: number; quantity: number },
): StoreOrder {
  const template = store.orders[0]!;
  return {
    ...structuredClone(template),
    id: order.id,
    name: `#${order.id}`,
    customerId: customer.id,
    email: customer.email,
    financialStatus: "paid",
    processedAt: new Date(Date.UTC(2026, 8, 1 + order.day)).toISOString(),
    lineItems: [{ ...template.lineItems[0]!, id: order.id + 100000000000, quantity: order.quantity }],
    subtotalMinor: 1000 * (1 + order.day),
    totalMinor: 1000 * (1 + order.day),
    refunds: [],
  };
}

/** The customers, then the orders, through ingest. */
async function deliverAll(store: StoreShop, customers: StoreCustomer[], orders: StoreOrder[]) {
  for (const customer of customers)
    await deliver(deps, store.domain, "customers/create", customerPayload(store, customer));
  for (const order of orders) await deliver(deps, store.domain, "orders/paid", orderPayload(store, order));
}

describe("batched order evaluation", () => {
  it("earns once per paid order, the first-order bonus once per customer, however often the batch runs", async () => {
    // Given two customers with three paid orders each, and one order not stored yet
    const { store, shop } = await shopWithProgram();
    const customers = store.customers.slice(0, 2);
    const orders = customers.flatMap((customer, c) =>
      [0, 1, 2].map((i) => paidOrder(store, customer, { id: 9100000000000 + c * 10 + i, day: i, quantity: 1 + i })),
    );
    await deliverAll(store, customers, orders);

    // When every order (one twice, one unknown) is evaluated in one batch, then the batch runs again
    const requests = [...orders, orders[0]!].map((order) => ({
      shopDomain: store.domain,
      orderShopifyId: BigInt(order.id),
    }));
    requests.push({ shopDomain: store.domain, orderShopifyId: 1n });
    const first = await evaluateOrders(deps, requests);
    const second = await evaluateOrders(deps, requests);

    // Then each order earned once, each customer got one sign-up and one first-order bonus
    const outcomes = first.map((result) => (result.status === "fulfilled" ? result.value : "failed"));
    expect(outcomes).toEqual([...orders.map(() => "evaluated"), "evaluated", "no_order"]);
    expect(second).toEqual(first);
    const ledger = await db.loyaltyLedgerEntry.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    const count = (kind: string) => ledger.filter((entry) => entry.kind === kind).length;
    expect([count("earn"), count("first_order"), count("signup")]).toEqual([6, 2, 2]);
    const earned = ledger.filter((entry) => entry.kind === "earn").map((entry) => entry.points);
    expect(earned.sort()).toEqual([10, 10, 20, 20, 30, 30]);
    const firstOrders = ledger.filter((entry) => entry.kind === "first_order").map((entry) => entry.orderShopifyId);
    expect(firstOrders.sort()).toEqual([BigInt(orders[0]!.id), BigInt(orders[3]!.id)]);
    expect(await inconsistentBalances(db, shop.id)).toEqual([]);
    const balances = await db.loyaltyMember.findMany({ where: { shopId: shop.id }, select: { pointsBalance: true } });
    expect(balances.map((member) => member.pointsBalance).sort()).toEqual([3 + 7 + 60, 3 + 7 + 60]);
  });
});

describe("batched customer evaluation", () => {
  it("enrols each customer once and credits their orders, whether the batch runs once or twice", async () => {
    // Given two customers, the first with two paid orders, and an id the shop does not know
    const { store, shop } = await shopWithProgram();
    const customers = store.customers.slice(0, 2);
    const orders = [0, 1].map((i) => paidOrder(store, customers[0]!, { id: 9300000000000 + i, day: i, quantity: 1 }));
    await deliverAll(store, customers, orders);

    // When they are evaluated in one batch (the first twice, and the unknown id), then again
    const ids = [...customers.map((customer) => BigInt(customer.id)), BigInt(customers[0]!.id), 1n];
    const requests = ids.map((customerShopifyId) => ({ shopDomain: store.domain, customerShopifyId }));
    const first = await evaluateCustomers(() => deps, requests);
    const second = await evaluateCustomers(() => deps, requests);

    // Then two members, one sign-up bonus each, and the first customer's orders earned once
    const outcomes = first.map((result) => (result.status === "fulfilled" ? result.value : "failed"));
    expect(outcomes).toEqual(["evaluated", "evaluated", "evaluated", "no_customer"]);
    expect(second).toEqual(first);
    const ledger = await db.loyaltyLedgerEntry.findMany({ where: { shopId: shop.id } });
    const count = (kind: string) => ledger.filter((entry) => entry.kind === kind).length;
    expect([count("signup"), count("earn"), count("first_order")]).toEqual([2, 2, 1]);
    expect(await inconsistentBalances(db, shop.id)).toEqual([]);
    const members = await db.loyaltyMember.findMany({
      where: { shopId: shop.id },
      select: { pointsBalance: true, customer: { select: { shopifyId: true } } },
    });
    const balanceOf = new Map(members.map((m) => [m.customer.shopifyId, m.pointsBalance]));
    expect(customers.map((customer) => balanceOf.get(BigInt(customer.id)))).toEqual([3 + 7 + 10 + 20, 3]);
  });
});
