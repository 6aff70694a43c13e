// Loads a generated demo store (test/shopify-double/demo-store.ts) into Kinship's tables, as
// if its history had just been imported from Shopify, through the same repository the
// importers use. Idempotent: rows are upserted on (shop_id, shopify_id) and left untouched
// when nothing changed; only a new sync_runs row records each run.
import type { PrismaClient } from "@prisma/client";

import { recomputeCustomerAggregates } from "../../app/crm/profile/customer-aggregates.repository.server";
import {
  analyzeProfileTables,
  upsertCustomerRecords,
  upsertOrderRecords,
} from "../../app/crm/profile/profile-records.repository.server";
import type { StoreShop } from "../../test/shopify-double/store-data";
import { customerRecordOf, orderRecordOf } from "./demo-store-records";

async function upsertShop(db: PrismaClient, store: StoreShop): Promise<number> {
  const details = { name: store.name, currencyCode: store.currencyCode, ianaTimezone: store.ianaTimezone };
  const shop = await db.shop.upsert({
    where: { domain: store.domain },
    create: { domain: store.domain, ...details },
    update: details,
  });
  return shop.id;
}

/** The day the demo shop was first seeded: the demo keeps generating its store as of then. */
export async function demoStoreAnchor(db: PrismaClient, domain: string): Promise<Date | null> {
  const first = await db.syncRun.findFirst({
    where: { shop: { domain }, kind: "demo_seed", status: "succeeded" },
    orderBy: { startedAt: "asc" },
  });
  if (!first) return null;
  const day = new Date(first.startedAt);
  day.setUTCHours(0, 0, 0, 0);
  return day;
}

export async function seedDemoShop(
  db: PrismaClient,
  store: StoreShop,
): Promise<{ shopId: number; customers: number; orders: number }> {
  const shopId = await upsertShop(db, store);
  const run = await db.syncRun.create({ data: { shopId, kind: "demo_seed", status: "running" } });
  try {
    await upsertCustomerRecords(db, shopId, store.customers.map(customerRecordOf));
    await analyzeProfileTables(db);
    await upsertOrderRecords(db, shopId, store.orders.map(orderRecordOf));
    await analyzeProfileTables(db);
    await recomputeCustomerAggregates(db, shopId);
  } catch (error) {
    await db.syncRun.update({
      where: { id: run.id },
      data: { status: "failed", error: error instanceof Error ? error.message : String(error), finishedAt: new Date() },
    });
    throw error;
  }
  await db.syncRun.update({
    where: { id: run.id },
    data: {
      status: "succeeded",
      customersCount: store.customers.length,
      ordersCount: store.orders.length,
      finishedAt: new Date(),
    },
  });
  return { shopId, customers: store.customers.length, orders: store.orders.length };
}
