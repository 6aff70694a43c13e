// A believable record shop for demos and tests, built on the real CDNOW purchase history:
// every CDNOW customer becomes a customer and every CDNOW purchase an order, moved onto the
// two years before "now". Names, products, taxes, refunds and cancellations are invented
// from a seeded generator, so the same seed and "now" always give the same store.
import { CDNOW_CUSTOMER_COUNT, loadCdnowPurchases } from "./cdnow-history";
import {
  DAY_MS,
  demoWindow,
  localTimeToUtcMs,
  mapCdnowDate,
  orderSecondOfDay,
  toIsoSeconds,
  type DemoWindow,
} from "./demo-store-calendar";
import { demoCatalogue } from "./demo-store-catalogue";
import { createIdentityFactory } from "./demo-store-identities";
import { createLineItemPicker, orderMoney } from "./demo-store-order-money";
import { decideAftermath } from "./demo-store-refunds";
import { createSeededRandom, type SeededRandom } from "./seeded-random";
import type { StoreCustomer, StoreOrder, StoreRefund, StoreShop } from "./store-data";

export interface DemoStoreOptions {
  seed?: number;
  /** The moment the store is looked at; defaults to the start of today (UTC). */
  now?: Date;
  shopDomain?: string;
}

export const DEMO_SHOP_DOMAIN = "kinship-demo.myshopify.com";
export const DEMO_SHOP_TIME_ZONE = "America/New_York";
const DEFAULT_SEED = 1997;

export const CUSTOMER_ID_BASE = 7_000_000_000_000;
export const ORDER_ID_BASE = 5_000_000_000_000;
export const LINE_ITEM_ID_BASE = 3_000_000_000_000;
export const REFUND_ID_BASE = 9_000_000_000_000;
const FIRST_ORDER_NUMBER = 1001;

/** Sign-ups who never bought, bringing the store to 3,000 customers. */
export const NEVER_ORDERED_CUSTOMER_COUNT = 3000 - CDNOW_CUSTOMER_COUNT;
/** Share of all orders placed without an account. */
export const GUEST_ORDER_SHARE = 0.02;
const VIP_LIFETIME_SPEND_MINOR = 35_000;

type SourceName = StoreOrder["sourceName"];
const SOURCE_WEIGHTS: readonly (readonly [SourceName, number])[] = [
  ["web", 80],
  ["iphone", 7],
  ["pos", 6],
  ["android", 5],
  ["shopify_draft_order", 2],
];

interface CustomerDraft {
  cdnowId: number | null;
  createdAtMs: number;
  lastOrderAtMs: number | null;
  lifetimeAmountMinor: number;
  orderCount: number;
}

interface OrderDraft {
  cdnowCustomerId: number | null;
  quantity: number;
  amountMinor: number;
  processedAtMs: number;
  sourceName: SourceName;
  guestEmail: string | null;
}

function startOfTodayUtc(): Date {
  return new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
}

function placeOrder(random: SeededRandom, localDayMs: number, sourceName: SourceName): number {
  return localTimeToUtcMs(localDayMs, orderSecondOfDay(random, sourceName === "pos"), DEMO_SHOP_TIME_ZONE);
}

function cdnowOrderDrafts(random: SeededRandom, window: DemoWindow): OrderDraft[] {
  const homeChannel = new Map<number, SourceName>();
  return loadCdnowPurchases().map((purchase) => {
    let home = homeChannel.get(purchase.customerId);
    if (!home) {
      home = random.weighted(SOURCE_WEIGHTS);
      homeChannel.set(purchase.customerId, home);
    }
    // People mostly buy where they always buy.
    const sourceName = random.chance(0.8) ? home : random.weighted(SOURCE_WEIGHTS);
    return {
      cdnowCustomerId: purchase.customerId,
      quantity: purchase.quantity,
      amountMinor: purchase.amountCents,
      processedAtMs: placeOrder(random, mapCdnowDate(purchase.date, window), sourceName),
      sourceName,
      guestEmail: null,
    };
  });
}

// Guests buy like everyone else: each copies the day, size and amount of a random CDNOW purchase.
function guestOrderDrafts(random: SeededRandom, window: DemoWindow, guestEmail: () => string): OrderDraft[] {
  const purchases = loadCdnowPurchases();
  const count = Math.round((purchases.length * GUEST_ORDER_SHARE) / (1 - GUEST_ORDER_SHARE));
  return Array.from({ length: count }, () => {
    const template = random.pick(purchases);
    const sourceName = random.weighted(SOURCE_WEIGHTS.filter(([source]) => source !== "shopify_draft_order"));
    return {
      cdnowCustomerId: null,
      quantity: template.quantity,
      amountMinor: template.amountCents,
      processedAtMs: placeOrder(random, mapCdnowDate(template.date, window), sourceName),
      sourceName,
      guestEmail: guestEmail(),
    };
  });
}

function customerDrafts(random: SeededRandom, orders: OrderDraft[], window: DemoWindow): CustomerDraft[] {
  const byCdnowId = new Map<number, CustomerDraft>();
  for (const order of orders) {
    if (order.cdnowCustomerId === null) continue;
    const draft = byCdnowId.get(order.cdnowCustomerId) ?? {
      cdnowId: order.cdnowCustomerId,
      createdAtMs: order.processedAtMs,
      lastOrderAtMs: order.processedAtMs,
      lifetimeAmountMinor: 0,
      orderCount: 0,
    };
    draft.createdAtMs = Math.min(draft.createdAtMs, order.processedAtMs);
    draft.lastOrderAtMs = Math.max(draft.lastOrderAtMs ?? 0, order.processedAtMs);
    draft.lifetimeAmountMinor += order.amountMinor;
    draft.orderCount += 1;
    byCdnowId.set(order.cdnowCustomerId, draft);
  }
  const buyers = [...byCdnowId.values()].sort((a, b) => (a.cdnowId ?? 0) - (b.cdnowId ?? 0));
  for (const buyer of buyers) {
    // Most accounts are made at checkout; some people sign up first and buy later.
    const firstOrderMs = buyer.createdAtMs;
    const leadMs = random.weighted([
      [random.int(60, 900) * 1000, 55],
      [random.int(3600, 30 * 86_400) * 1000, 30],
      [random.int(86_400, 120 * 86_400) * 1000, 15],
    ] as const);
    // Near the start of the history the lead time is squeezed into the days available.
    const earliestMs = window.firstDayMs;
    buyer.createdAtMs =
      firstOrderMs - leadMs >= earliestMs
        ? firstOrderMs - leadMs
        : earliestMs + Math.floor(random.next() * (firstOrderMs - earliestMs));
  }
  const signUpSpanMs = window.nowMs - DAY_MS - window.firstDayMs;
  const browsers = Array.from({ length: NEVER_ORDERED_CUSTOMER_COUNT }, () => ({
    cdnowId: null,
    createdAtMs: window.firstDayMs + Math.floor(random.next() * signUpSpanMs),
    lastOrderAtMs: null,
    lifetimeAmountMinor: 0,
    orderCount: 0,
  }));
  // Shopify ids grow with time, so customers are numbered in the order they signed up.
  return [...buyers, ...browsers].sort((a, b) => a.createdAtMs - b.createdAtMs);
}

function customerTags(random: SeededRandom, draft: CustomerDraft, subscribed: boolean): string[] {
  const tags: string[] = [];
  if (draft.lifetimeAmountMinor >= VIP_LIFETIME_SPEND_MINOR) tags.push("vip");
  if (subscribed && random.chance(0.7)) tags.push("newsletter");
  if (random.chance(0.015)) tags.push("wholesale");
  if (random.chance(draft.orderCount >= 3 ? 0.12 : 0.04)) tags.push("gift-buyer");
  // Shopify returns tags in alphabetical order.
  return tags.sort();
}

export function generateDemoStore(options: DemoStoreOptions = {}): StoreShop {
  const seed = options.seed ?? DEFAULT_SEED;
  const window = demoWindow(options.now ?? startOfTodayUtc());
  const catalogue = demoCatalogue();
  const identities = createIdentityFactory(createSeededRandom(seed, "identities"));

  const cdnowOrders = cdnowOrderDrafts(createSeededRandom(seed, "purchases"), window);
  const drafts = customerDrafts(createSeededRandom(seed, "customers"), cdnowOrders, window);

  const customerIdByCdnowId = new Map<number, number>();
  const customerRandom = createSeededRandom(seed, "customer-details");
  const customers: StoreCustomer[] = drafts.map((draft, index) => {
    const id = CUSTOMER_ID_BASE + index + 1;
    if (draft.cdnowId !== null) customerIdByCdnowId.set(draft.cdnowId, id);
    const identity = identities.identity(draft.cdnowId !== null);
    const lastActivityMs = Math.max(draft.createdAtMs, draft.lastOrderAtMs ?? 0);
    const updatedAtMs =
      draft.lastOrderAtMs === null && customerRandom.chance(0.7)
        ? draft.createdAtMs
        : Math.min(window.nowMs, lastActivityMs + customerRandom.int(0, 14 * 86_400) * 1000);
    return {
      id,
      ...identity,
      createdAt: toIsoSeconds(draft.createdAtMs),
      updatedAt: toIsoSeconds(Math.max(updatedAtMs, draft.createdAtMs)),
      tags: customerTags(customerRandom, draft, identity.emailMarketing === "SUBSCRIBED"),
    };
  });
  const customersById = new Map(customers.map((customer) => [customer.id, customer]));

  const guestOrders = guestOrderDrafts(createSeededRandom(seed, "guests"), window, identities.guestEmail);
  const orderDrafts = [...cdnowOrders, ...guestOrders]
    .map((draft, index) => ({ draft, index }))
    .sort((a, b) => a.draft.processedAtMs - b.draft.processedAtMs || a.index - b.index)
    .map(({ draft }) => draft);

  const pickLineItems = createLineItemPicker(catalogue);
  const linesRandom = createSeededRandom(seed, "line-items");
  const aftermathRandom = createSeededRandom(seed, "aftermath");
  let lineItemNumber = 0;
  const refundsWithTimes: { refund: StoreRefund; createdAtMs: number }[] = [];

  const orders: StoreOrder[] = orderDrafts.map((draft, index) => {
    const customerId = draft.cdnowCustomerId === null ? null : (customerIdByCdnowId.get(draft.cdnowCustomerId) ?? null);
    const customer = customerId === null ? undefined : customersById.get(customerId);
    const money = orderMoney(pickLineItems(linesRandom, draft.quantity, draft.amountMinor), {
      shipped: draft.sourceName !== "pos",
    });
    const lineItems = money.lineItems.map((line) => ({ id: LINE_ITEM_ID_BASE + ++lineItemNumber, ...line }));
    const aftermath = decideAftermath(
      aftermathRandom,
      { ...money, lineItems, processedAtMs: draft.processedAtMs },
      window.nowMs,
    );
    const refunds = aftermath.refunds.map(({ createdAtMs, ...rest }) => {
      const refund: StoreRefund = { id: 0, createdAt: toIsoSeconds(createdAtMs), ...rest };
      refundsWithTimes.push({ refund, createdAtMs });
      return refund;
    });
    const updatedAtMs = Math.max(
      draft.processedAtMs,
      aftermath.cancelledAt ?? 0,
      ...aftermath.refunds.map((refund) => refund.createdAtMs),
    );
    return {
      id: ORDER_ID_BASE + index + 1,
      name: `#${FIRST_ORDER_NUMBER + index}`,
      customerId,
      email: customer?.email ?? draft.guestEmail,
      createdAt: toIsoSeconds(draft.processedAtMs),
      processedAt: toIsoSeconds(draft.processedAtMs),
      updatedAt: toIsoSeconds(updatedAtMs),
      cancelledAt: aftermath.cancelledAt === null ? null : toIsoSeconds(aftermath.cancelledAt),
      cancelReason: aftermath.cancelReason,
      currencyCode: "USD",
      sourceName: draft.sourceName,
      financialStatus: aftermath.financialStatus,
      lineItems,
      subtotalMinor: money.subtotalMinor,
      totalDiscountsMinor: money.totalDiscountsMinor,
      shippingMinor: money.shippingMinor,
      taxMinor: money.taxMinor,
      totalMinor: money.totalMinor,
      refunds,
    };
  });

  // Refund ids, like order ids, follow the order in which refunds happened.
  refundsWithTimes
    .sort((a, b) => a.createdAtMs - b.createdAtMs)
    .forEach(({ refund }, index) => {
      refund.id = REFUND_ID_BASE + index + 1;
    });

  return {
    domain: options.shopDomain ?? DEMO_SHOP_DOMAIN,
    name: "Kinship Demo Records",
    email: "records@example.com",
    currencyCode: "USD",
    ianaTimezone: DEMO_SHOP_TIME_ZONE,
    customers,
    orders,
    products: catalogue,
  };
}
