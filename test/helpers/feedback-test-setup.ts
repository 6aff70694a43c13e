// A shop for the feedback tests: the small store on the Shopify double (Ada and Grace), an
// offline session (so the app's routes reach the double), a loyalty program with one reward,
// orders written straight into the profile tables, and the feedback dependencies.
import { randomUUID } from "node:crypto";

import type { PrismaClient } from "../../app/db.server";
import type { FeedbackDeps } from "../../app/crm/feedback/feedback-deps";
import { saveFeedbackSettings } from "../../app/crm/feedback/survey-responses.repository.server";
import { parseFeedbackSettings, type FeedbackSettings } from "../../app/crm/feedback/feedback-settings";
import { surveyTokenKey } from "../../app/crm/feedback/survey-token";
import type { JobQueues } from "../../app/jobs/job-queues.server";
import { accessTokenKey, issueOfflineToken } from "../shopify-double/access-token";
import type { ShopifyDouble } from "../shopify-double/index";
import type { StoreOrder } from "../shopify-double/store-data";
import { customerPayload } from "../shopify-double/rest-payloads";
import { createProgram, createReward, deliver, loyaltyDepsFor } from "./loyalty-test-setup";
import { smallTestStore } from "./small-test-store";
import { startTestDouble } from "./start-test-double";

export interface FeedbackStore {
  double: ShopifyDouble;
  shop: { id: number; domain: string; name: string };
  deps: FeedbackDeps;
  rewardId: number;
  ada: { id: bigint; shopifyId: bigint };
  grace: { id: bigint; shopifyId: bigint };
  /** Adds an order for a customer (processed `daysAgo` days ago); returns its Shopify id. */
  addOrder(customer: { id: bigint; shopifyId: bigint } | null, daysAgo?: number): Promise<bigint>;
  setSettings(settings: Partial<FeedbackSettings>): Promise<void>;
  cleanUp(): Promise<void>;
}

let nextOrderId = 5_100_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;

export async function openFeedbackStore(db: PrismaClient, jobs: JobQueues, handle: string): Promise<FeedbackStore> {
  const store = smallTestStore(`${handle}-${randomUUID().slice(0, 8)}.myshopify.com`);
  const double = await startTestDouble([store]);
  const row = await db.shop.create({
    data: { domain: store.domain, name: store.name, currencyCode: "EUR", ianaTimezone: "Europe/Berlin" },
  });
  await db.session.create({
    data: {
      id: `offline_${store.domain}`,
      shop: store.domain,
      state: "",
      isOnline: false,
      scope: process.env.SCOPES ?? "read_customers,write_discounts",
      accessToken: issueOfflineToken(accessTokenKey(process.env.SHOPIFY_API_SECRET!), store.domain),
    },
  });
  await createProgram(db, row.id);
  const reward = await createReward(db, row.id, {
    title: "5 EUR off, with our apologies",
    kind: "fixed_amount",
    pointsCost: 500,
    amountMinor: 500n,
    percentage: null,
    minimumSubtotalMinor: null,
    tierId: null,
  });
  const loyaltyDeps = loyaltyDepsFor(db, jobs, double.url);
  const customers = [];
  for (const customer of store.customers.slice(0, 2)) {
    await deliver(loyaltyDeps, store.domain, "customers/create", customerPayload(store, customer));
    const found = await db.customer.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: row.id, shopifyId: BigInt(customer.id) } },
      select: { id: true, shopifyId: true },
    });
    customers.push(found);
  }
  return {
    double,
    shop: { id: row.id, domain: row.domain, name: row.name },
    deps: { ...loyaltyDeps, surveyTokenKey: surveyTokenKey(process.env.SHOPIFY_API_SECRET!) },
    rewardId: reward.id,
    ada: customers[0]!,
    grace: customers[1]!,
    async addOrder(customer, daysAgo = 14) {
      const shopifyId = BigInt(nextOrderId++);
      const at = new Date(Date.now() - daysAgo * 86_400_000);
      await db.order.create({
        data: {
          shopId: row.id,
          shopifyId,
          customerId: customer?.id ?? null,
          customerShopifyId: customer?.shopifyId ?? null,
          name: `#${shopifyId.toString().slice(-4)}`,
          currencyCode: "EUR",
          processedAt: at,
          shopifyCreatedAt: at,
          shopifyUpdatedAt: at,
          subtotalMinor: 2598n,
          totalMinor: 2598n,
        },
      });
      return shopifyId;
    },
    async setSettings(settings) {
      await saveFeedbackSettings(db, row.id, parseFeedbackSettings({ ...settings }));
    },
    async cleanUp() {
      await db.session.deleteMany({ where: { shop: store.domain } });
      await db.shop.delete({ where: { id: row.id } });
      await double.close();
    },
  };
}

/** A new order `id` in the double's store (as Shopify would hold it) for Ada, or a guest. */
export function addStoreOrder(fx: FeedbackStore, id: number, customer: "ada" | "guest" = "ada"): StoreOrder {
  const store = fx.double.store(fx.shop.domain);
  const template = store.orders[0]!;
  const at = new Date().toISOString();
  const order: StoreOrder = {
    ...structuredClone(template),
    id,
    name: `#${String(id).slice(-4)}`,
    customerId: customer === "ada" ? Number(fx.ada.shopifyId) : null,
    createdAt: at,
    processedAt: at,
    updatedAt: at,
    lineItems: template.lineItems.map((line, i) => ({ ...line, id: id * 10 + i })),
  };
  store.orders.push(order);
  return order;
}
