import { describe, expect, it } from "vitest";

import { CDNOW_CUSTOMER_COUNT, loadCdnowPurchases } from "./cdnow-history";
import { generateDemoStore } from "./demo-store";
import { lineSubtotalOf, taxOf } from "./demo-store-order-money";
import type { StoreOrder } from "./store-data";

const DAY_MS = 86_400_000;
const now = new Date("2026-03-15T00:00:00Z");
const store = generateDemoStore({ seed: 42, now });

const ms = (iso: string) => Date.parse(iso);
const refundedMinor = (order: StoreOrder) => order.refunds.reduce((sum, refund) => sum + refund.amountMinor, 0);

describe("generateDemoStore", () => {
  it("is deterministic for a seed and a moment, and varies with the seed", () => {
    // given the same seed and now, and another seed
    const again = generateDemoStore({ seed: 42, now });
    const otherSeed = generateDemoStore({ seed: 43, now });

    // then the stores are equal, and the other one differs
    expect(again).toEqual(store);
    expect(otherSeed.customers).not.toEqual(store.customers);
    expect(otherSeed.orders).not.toEqual(store.orders);
  });

  it("describes the demo shop, under another domain when asked", () => {
    // when generating with a chosen domain
    const renamed = generateDemoStore({ seed: 42, now, shopDomain: "other-demo.myshopify.com" });

    // then the shop's own details are the demo's
    expect(store).toMatchObject({
      domain: "kinship-demo.myshopify.com",
      name: "Kinship Demo Records",
      currencyCode: "USD",
      ianaTimezone: "America/New_York",
    });
    expect(renamed.domain).toBe("other-demo.myshopify.com");
  });

  it("turns every CDNOW customer into a customer with exactly their CDNOW purchases", () => {
    // given the CDNOW purchases, as each customer's sorted list of amounts
    const cdnowAmounts = new Map<number, number[]>();
    for (const purchase of loadCdnowPurchases()) {
      cdnowAmounts.set(purchase.customerId, [...(cdnowAmounts.get(purchase.customerId) ?? []), purchase.amountCents]);
    }

    // when listing each store customer's order subtotals the same way
    const storeAmounts = new Map<number, number[]>();
    for (const order of store.orders) {
      if (order.customerId === null) continue;
      storeAmounts.set(order.customerId, [...(storeAmounts.get(order.customerId) ?? []), order.subtotalMinor]);
    }

    // then there are as many buyers, with the same purchase counts and amounts
    const signature = (amounts: Iterable<number[]>) =>
      [...amounts].map((list) => [...list].sort((a, b) => a - b).join(",")).sort();
    expect(storeAmounts.size).toBe(CDNOW_CUSTOMER_COUNT);
    expect(signature(storeAmounts.values())).toEqual(signature(cdnowAmounts.values()));
    const guestOrders = store.orders.length - loadCdnowPurchases().length;
    expect(store.orders.filter((order) => order.customerId === null)).toHaveLength(guestOrders);
    expect(guestOrders / store.orders.length).toBeCloseTo(0.02, 2);
  });

  it("has about 3,000 customers with unique e-mails, some phones and a consent mix", () => {
    const customers = store.customers;
    const share = (count: number) => count / customers.length;

    expect(customers.length).toBeGreaterThanOrEqual(2900);
    expect(customers.length).toBeLessThanOrEqual(3100);
    expect(new Set(customers.map((customer) => customer.email)).size).toBe(customers.length);
    expect(customers.every((customer) => /@example\.(com|org|net)$/.test(customer.email ?? ""))).toBe(true);
    const phones = customers.flatMap((customer) => (customer.phone ? [customer.phone] : []));
    expect(share(phones.length)).toBeGreaterThan(0.35);
    expect(share(phones.length)).toBeLessThan(0.45);
    expect(new Set(phones).size).toBe(phones.length);
    expect(phones.every((phone) => /^\+1\d{3}55501\d{2}$/.test(phone))).toBe(true);
    expect(share(customers.filter((customer) => customer.emailMarketing === "SUBSCRIBED").length)).toBeCloseTo(0.55, 1);
    expect(customers.some((customer) => customer.emailMarketing === "UNSUBSCRIBED")).toBe(true);
    expect(customers.filter((customer) => customer.smsMarketing !== "NOT_SUBSCRIBED").every((c) => c.phone)).toBe(true);
    expect(customers.some((customer) => customer.smsMarketing === "SUBSCRIBED")).toBe(true);
  });

  it("prices every order exactly: lines add up to the subtotal, and subtotal, shipping and tax to the total", () => {
    for (const order of store.orders) {
      const lineSubtotals = order.lineItems.map(lineSubtotalOf);
      expect(order.lineItems.length).toBeGreaterThanOrEqual(1);
      expect(order.lineItems.length).toBeLessThanOrEqual(3);
      expect(lineSubtotals.every((subtotal) => Number.isInteger(subtotal) && subtotal >= 0)).toBe(true);
      expect(order.lineItems.every((line) => line.priceMinor >= 0 && line.discountMinor >= 0)).toBe(true);
      expect(lineSubtotals.reduce((sum, subtotal) => sum + subtotal, 0)).toBe(order.subtotalMinor);
      expect(order.lineItems.reduce((sum, line) => sum + line.discountMinor, 0)).toBe(order.totalDiscountsMinor);
      expect(order.taxMinor).toBe(taxOf(order.subtotalMinor));
      expect(order.totalMinor).toBe(order.subtotalMinor + order.shippingMinor + order.taxMinor);
    }
    const zeroOrders = store.orders.filter((order) => order.subtotalMinor === 0);
    expect(zeroOrders.length).toBeGreaterThan(0);
    expect(zeroOrders.every((order) => order.totalMinor === 0)).toBe(true);
  });

  it("keeps refunds within what was paid and the financial status consistent with them", () => {
    for (const order of store.orders) {
      const refunded = refundedMinor(order);
      expect(refunded).toBeLessThanOrEqual(order.totalMinor);
      for (const refund of order.refunds) {
        expect(refund.amountMinor).toBeGreaterThan(0);
        for (const refundLine of refund.lineItems) {
          const line = order.lineItems.find((candidate) => candidate.id === refundLine.lineItemId);
          expect(refundLine.quantity).toBeLessThanOrEqual(line?.quantity ?? 0);
          expect(refundLine.subtotalMinor).toBeLessThanOrEqual(line ? lineSubtotalOf(line) : 0);
        }
      }
      const expectations: Record<StoreOrder["financialStatus"], () => void> = {
        paid: () => expect([order.refunds.length, order.cancelledAt]).toEqual([0, null]),
        partially_refunded: () => expect(refunded).toBeLessThan(order.totalMinor),
        refunded: () => expect(refunded).toBe(order.totalMinor),
        voided: () => expect([order.refunds.length, order.cancelledAt === null]).toEqual([0, false]),
        pending: () => expect.unreachable("demo orders are never pending"),
      };
      expectations[order.financialStatus]();
    }
    const share = (status: StoreOrder["financialStatus"]) =>
      store.orders.filter((order) => order.financialStatus === status).length / store.orders.length;
    expect(share("partially_refunded")).toBeCloseTo(0.06, 1);
    expect(store.orders.filter((order) => order.cancelledAt !== null).length / store.orders.length).toBeCloseTo(
      0.02,
      1,
    );
    expect(share("voided")).toBeGreaterThan(0);
  });

  it("places everything in the two years before now, in a sensible order", () => {
    const twoYearsAgo = now.getTime() - 730 * DAY_MS;
    const within = (iso: string) => ms(iso) >= twoYearsAgo && ms(iso) <= now.getTime();
    const firstOrderAt = new Map<number, number>();

    store.orders.forEach((order, index) => {
      expect(order.name).toBe(`#${1001 + index}`);
      expect(within(order.processedAt)).toBe(true);
      expect(ms(order.processedAt)).toBeLessThan(now.getTime() - 2 * DAY_MS);
      if (index > 0)
        expect(ms(order.processedAt)).toBeGreaterThanOrEqual(ms(store.orders[index - 1]?.processedAt ?? ""));
      const later = [order.cancelledAt, ...order.refunds.map((refund) => refund.createdAt)].filter((at) => at !== null);
      for (const at of later) {
        expect(ms(at)).toBeGreaterThan(ms(order.processedAt));
        expect(ms(at)).toBeLessThanOrEqual(now.getTime());
      }
      expect(ms(order.updatedAt)).toBe(Math.max(...[order.processedAt, ...later].map(ms)));
      if (order.customerId !== null && !firstOrderAt.has(order.customerId)) {
        firstOrderAt.set(order.customerId, ms(order.processedAt));
      }
    });
    for (const customer of store.customers) {
      expect(within(customer.createdAt)).toBe(true);
      expect(ms(customer.updatedAt)).toBeGreaterThanOrEqual(ms(customer.createdAt));
      expect(ms(customer.updatedAt)).toBeLessThanOrEqual(now.getTime());
      expect(ms(customer.createdAt)).toBeLessThanOrEqual(firstOrderAt.get(customer.id) ?? Infinity);
    }
    // the history spans the whole window rather than bunching up
    expect(ms(store.orders[0]?.processedAt ?? "")).toBeLessThan(twoYearsAgo + 7 * DAY_MS);
  });

  it("gives every record a unique Shopify-like id", () => {
    const ids = [
      ...store.customers.map((customer) => customer.id),
      ...store.orders.map((order) => order.id),
      ...store.orders.flatMap((order) => order.lineItems.map((line) => line.id)),
      ...store.orders.flatMap((order) => order.refunds.map((refund) => refund.id)),
      ...store.products.map((product) => product.id),
      ...store.products.flatMap((product) => product.variants.map((variant) => variant.id)),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => Number.isSafeInteger(id) && String(id).length === 13)).toBe(true);
  });

  it("sells a catalogue of about 60 records, each as CD and sometimes vinyl", () => {
    expect(store.products.length).toBeGreaterThanOrEqual(50);
    expect(store.products.every((product) => product.variants.length >= 1 && product.variants.length <= 2)).toBe(true);
    const variantIds = new Set(store.products.flatMap((product) => product.variants.map((variant) => variant.id)));
    expect(store.orders.every((order) => order.lineItems.every((line) => variantIds.has(line.variantId)))).toBe(true);
  });
});
