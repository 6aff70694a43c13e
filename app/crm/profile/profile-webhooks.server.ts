// Live changes to customers, orders and refunds. Every handler is idempotent and
// order-independent (the repository's updated_at guards and insert-once refunds), and
// ends by recomputing the profile figures of the customer it touched.
import type { PrismaClient } from "../../db.server";
import type { DeliveryHandler } from "../ingest/webhook-handler";
import { findShopByDomain } from "../shop/shop.repository.server";
import { recomputeCustomerAggregates } from "./customer-aggregates.repository.server";
import {
  customerIdsOf,
  insertRefundRecords,
  markCustomerDeleted,
  orderCustomerShopifyIds,
  refreshRefundFigures,
  upsertCustomerRecords,
  upsertOrderRecords,
} from "./profile-records.repository.server";
import {
  customerRecordFromPayload,
  deletedCustomerIdFromPayload,
  orderRecordFromPayload,
  refundRecordFromPayload,
} from "./rest-payload-records";

/** A delivery for a shop we have not recorded yet: retried, since the install may still be under way. */
export class ShopNotRecordedError extends Error {
  readonly code = "shop_not_recorded";
  constructor(shopDomain: string) {
    super(`Shop ${shopDomain} is not recorded yet`);
    this.name = "ShopNotRecordedError";
  }
}

async function recordedShop(db: PrismaClient, shopDomain: string) {
  const shop = await findShopByDomain(db, shopDomain);
  if (!shop) throw new ShopNotRecordedError(shopDomain);
  return shop;
}

async function recomputeFor(db: PrismaClient, shopId: number, customerShopifyIds: (bigint | null)[]) {
  const known = customerShopifyIds.filter((value): value is bigint => value !== null);
  const ids = await customerIdsOf(db, shopId, known);
  if (ids.length > 0) await recomputeCustomerAggregates(db, shopId, ids);
}

const applyCustomer: DeliveryHandler = async ({ db }, delivery) => {
  const record = customerRecordFromPayload(delivery.payload);
  const shop = await recordedShop(db, delivery.shopDomain);
  await upsertCustomerRecords(db, shop.id, [record]);
  // Orders that arrived before this customer link up here.
  await recomputeFor(db, shop.id, [record.shopifyId]);
  return "applied";
};

const applyOrder: DeliveryHandler = async ({ db }, delivery) => {
  const record = orderRecordFromPayload(delivery.payload);
  const shop = await recordedShop(db, delivery.shopDomain);
  // The order may have moved from one customer to another: both need new figures.
  const before = await orderCustomerShopifyIds(db, shop.id, [record.shopifyId]);
  await upsertOrderRecords(db, shop.id, [record]);
  await recomputeFor(db, shop.id, [...before, record.customerShopifyId]);
  return "applied";
};

const applyRefund: DeliveryHandler = async ({ db }, delivery) => {
  const shop = await recordedShop(db, delivery.shopDomain);
  const record = refundRecordFromPayload(delivery.payload, shop.currencyCode);
  await insertRefundRecords(db, shop.id, [record]);
  await refreshRefundFigures(db, shop.id, [record.orderShopifyId]);
  await recomputeFor(db, shop.id, await orderCustomerShopifyIds(db, shop.id, [record.orderShopifyId]));
  return "applied";
};

const deleteCustomer: DeliveryHandler = async ({ db }, delivery) => {
  const shopifyId = deletedCustomerIdFromPayload(delivery.payload);
  const shop = await recordedShop(db, delivery.shopDomain);
  await markCustomerDeleted(db, shop.id, shopifyId, delivery.occurredAt);
  return "applied";
};

export const PROFILE_WEBHOOK_HANDLERS: Record<string, DeliveryHandler> = {
  "customers/create": applyCustomer,
  "customers/update": applyCustomer,
  "customers/delete": deleteCustomer,
  "orders/create": applyOrder,
  "orders/updated": applyOrder,
  "orders/paid": applyOrder,
  "orders/cancelled": applyOrder,
  "refunds/create": applyRefund,
};
