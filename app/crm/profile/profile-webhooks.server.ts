// Live changes to customers, orders and refunds. Every handler is idempotent and
// order-independent (the repository's updated_at guards and insert-once refunds), and
// ends by recomputing the profile figures of the customers it touched.
//
// Deliveries are applied a batch at a time (one set of statements for all of them); the
// single-delivery handlers are batches of one. A statement cannot touch one row twice, so a
// batch holding the same order (customer, refund) more than once applies it in rounds, in
// the order given: the same writes as one delivery after another.
import type { PrismaClient } from "../../db.server";
import { enqueueCustomerRescores } from "../analytics/analytics-jobs.server";
import { applied, failed, type DeliveryBatchHandler, type DeliveryOutcome } from "../ingest/delivery-batch-handler";
import {
  depsForShop,
  type ApplyWebhookDeps,
  type DeliveryHandler,
  type InboxDeliveryForHandler,
} from "../ingest/webhook-handler";
import { inShopTransaction } from "../tenancy/shop-transaction.server";
import { requestCustomerEvents } from "../automations/automation-jobs.server";
import { requestSurveyLinkMetafields } from "../feedback/survey-link-metafield.server";
import { requestLoyaltyEvaluations } from "../loyalty/loyalty-webhook-hooks.server";
import { findShopByDomain } from "../shop/shop.repository.server";
import { recomputeCustomerAggregates } from "./customer-aggregates.repository.server";
import type { CustomerRecord, OrderRecord, RefundRecord } from "./profile-records";
import {
  customerIdsByShopifyId,
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

type Change =
  | { kind: "customer"; record: CustomerRecord }
  | { kind: "customer-delete"; shopifyId: bigint; at: Date }
  | { kind: "order"; record: OrderRecord }
  | { kind: "refund"; record: RefundRecord };

const KIND_BY_TOPIC: Record<string, Change["kind"]> = {
  "customers/create": "customer",
  "customers/update": "customer",
  "customers/delete": "customer-delete",
  "orders/create": "order",
  "orders/updated": "order",
  "orders/paid": "order",
  "orders/cancelled": "order",
  "refunds/create": "refund",
};

/** Parses a delivery; a refund needs the shop's currency (undefined: the shop is not recorded). */
function changeOf(delivery: InboxDeliveryForHandler, shopCurrency: string | undefined): Change {
  switch (KIND_BY_TOPIC[delivery.topic]) {
    case "customer":
      return { kind: "customer", record: customerRecordFromPayload(delivery.payload) };
    case "customer-delete":
      return {
        kind: "customer-delete",
        shopifyId: deletedCustomerIdFromPayload(delivery.payload),
        at: delivery.occurredAt,
      };
    case "order":
      return { kind: "order", record: orderRecordFromPayload(delivery.payload) };
    case "refund":
      if (shopCurrency === undefined) throw new ShopNotRecordedError(delivery.shopDomain);
      return { kind: "refund", record: refundRecordFromPayload(delivery.payload, shopCurrency) };
    default:
      throw new Error(`No profile handler for ${delivery.topic}`);
  }
}

/** The row a change writes: two changes of one row go in separate rounds. */
function rowKey(change: Change): string {
  switch (change.kind) {
    case "customer":
      return `customer:${change.record.shopifyId}`;
    case "customer-delete":
      return `deleted:${change.shopifyId}`;
    case "order":
      return `order:${change.record.shopifyId}`;
    case "refund":
      return `refund:${change.record.shopifyId}`;
  }
}

function inRounds(changes: Change[]): Change[][] {
  const rounds: Change[][] = [];
  const seen = new Map<string, number>();
  for (const change of changes) {
    const key = rowKey(change);
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push(change);
  }
  return rounds;
}

const ofKind = <K extends Change["kind"]>(changes: Change[], kind: K) =>
  changes.filter((change): change is Extract<Change, { kind: K }> => change.kind === kind);

/** Writes one shop's changes; returns the customers (Shopify ids) whose figures may have moved. */
async function writeChanges(db: PrismaClient, shopId: number, changes: Change[]) {
  const touched = { profiles: new Set<bigint>(), spend: new Set<bigint>() };
  for (const round of inRounds(changes)) {
    const customers = ofKind(round, "customer").map((change) => change.record);
    if (customers.length > 0) await upsertCustomerRecords(db, shopId, customers);
    // Orders that arrived before this customer link up in the recompute.
    for (const customer of customers) touched.profiles.add(customer.shopifyId);
    for (const deleted of ofKind(round, "customer-delete")) {
      await markCustomerDeleted(db, shopId, deleted.shopifyId, deleted.at);
    }

    const orders = ofKind(round, "order").map((change) => change.record);
    if (orders.length > 0) {
      // An order may have moved from one customer to another: both need new figures.
      const before = await orderCustomerShopifyIds(
        db,
        shopId,
        orders.map((order) => order.shopifyId),
      );
      await upsertOrderRecords(db, shopId, orders);
      for (const id of [...before, ...orders.map((order) => order.customerShopifyId)]) {
        if (id !== null) touched.spend.add(id);
      }
    }

    const refunds = ofKind(round, "refund").map((change) => change.record);
    if (refunds.length > 0) {
      const orderIds = [...new Set(refunds.map((refund) => refund.orderShopifyId))];
      await insertRefundRecords(db, shopId, refunds);
      await refreshRefundFigures(db, shopId, orderIds);
      for (const id of await orderCustomerShopifyIds(db, shopId, orderIds)) touched.spend.add(id);
    }
  }
  return touched;
}

async function applyShopDeliveries(
  deps: ApplyWebhookDeps,
  shopDomain: string,
  deliveries: readonly InboxDeliveryForHandler[],
): Promise<PromiseSettledResult<DeliveryOutcome>[]> {
  const results: PromiseSettledResult<DeliveryOutcome>[] = [];
  try {
    // One transaction in the shop's scope (see shop-transaction.server.ts); the follow-on jobs
    // are enqueued once it has committed.
    await inShopTransaction(depsForShop(deps, shopDomain), async (deps) => {
      const shop = await findShopByDomain(deps.db, shopDomain);
      const changes: Change[] = [];
      const accepted: InboxDeliveryForHandler[] = [];
      for (const delivery of deliveries) {
        try {
          // A payload that is not what Shopify sends fails as such, whether or not the shop is recorded.
          const change = changeOf(delivery, shop?.currencyCode);
          if (!shop) throw new ShopNotRecordedError(shopDomain);
          changes.push(change);
          accepted.push(delivery);
          results.push(applied("applied"));
        } catch (error) {
          results.push(failed(error));
        }
      }
      if (!shop || changes.length === 0) return;
      const touched = await writeChanges(deps.db, shop.id, changes);
      const ids = await customerIdsByShopifyId(deps.db, shop.id, [...touched.profiles, ...touched.spend]);
      if (ids.size > 0) await recomputeCustomerAggregates(deps.db, shop.id, [...new Set(ids.values())]);
      const rescored = [...touched.spend].flatMap((shopifyId) => ids.get(shopifyId) ?? []);
      const batchKey = String(accepted.at(-1)?.id ?? "");
      await enqueueCustomerRescores(deps.jobs, shop.id, rescored, batchKey);
      // Loyalty evaluates what was just applied (app/crm/loyalty/loyalty-webhook-hooks.server.ts).
      await requestLoyaltyEvaluations(deps, accepted);
      // Automations' order events (first, N-th order) for the customers whose orders changed.
      await requestCustomerEvents(deps, shop.id, rescored, ["order"], batchKey);
      // Feedback: a new customer order's signed survey link, as an order metafield for e-mails and Flow.
      await requestSurveyLinkMetafields(deps, shop, accepted);
    });
  } catch (error) {
    // Nothing is half-applied: the transaction rolled back, and the whole batch retries.
    if (results.length < deliveries.length) return deliveries.map(() => failed(error));
    return results.map((result) => (result.status === "fulfilled" ? failed(error) : result));
  }
  return results;
}

/** Applies customer, order and refund deliveries, a shop at a time. */
export const applyProfileDeliveries: DeliveryBatchHandler = async (deps, deliveries) => {
  const byShop = new Map<string, number[]>();
  deliveries.forEach((delivery, i) => byShop.set(delivery.shopDomain, [...(byShop.get(delivery.shopDomain) ?? []), i]));
  const results: PromiseSettledResult<DeliveryOutcome>[] = new Array(deliveries.length);
  for (const [shopDomain, indexes] of byShop) {
    const shopResults = await applyShopDeliveries(
      deps,
      shopDomain,
      indexes.map((i) => deliveries[i]!),
    );
    indexes.forEach((index, j) => (results[index] = shopResults[j]!));
  }
  return results;
};

const applyOne: DeliveryHandler = async (deps, delivery) => {
  const [result] = await applyProfileDeliveries(deps, [delivery]);
  if (result!.status === "rejected") throw result!.reason;
  return result!.value;
};

export const PROFILE_WEBHOOK_HANDLERS: Record<string, DeliveryHandler> = Object.fromEntries(
  Object.keys(KIND_BY_TOPIC).map((topic) => [topic, applyOne]),
);

export const PROFILE_WEBHOOK_BATCH_HANDLERS: Record<string, DeliveryBatchHandler> = Object.fromEntries(
  Object.keys(KIND_BY_TOPIC).map((topic) => [topic, applyProfileDeliveries]),
);
