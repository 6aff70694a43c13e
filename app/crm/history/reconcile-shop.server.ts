// The daily reconciliation: what changed in Shopify since the last successful sync (or the
// last 25 hours, whichever reaches further back) is fetched page by page and written with
// the same records and repository as the history import; the idempotent upserts only touch
// rows that differ. When Shopify's customer count and ours disagree, a full history import
// is queued as well.
import { decimalStringToMinor } from "../money/money";
import { recomputeCustomerAggregates } from "../profile/customer-aggregates.repository.server";
import type { OrderRecord } from "../profile/profile-records";
import { shopifyIdOf } from "../profile/profile-records";
import { customerIdsOf, upsertCustomerRecords, upsertOrderRecords } from "../profile/profile-records.repository.server";
import type { ShopifyAdminClient } from "../shopify-admin/shopify-admin-client.server";
import type { BulkObject } from "./bulk-jsonl";
import type { HistoryImportDeps } from "./history-import.server";
import { customerRecordOf, orderRecordOf } from "./history-records";
import {
  countStoredProfiles,
  createSyncRun,
  findRunningHistoryImport,
  findShopForHistory,
  finishSyncRun,
  lastSucceededRunStart,
  RECONCILIATION_KIND,
} from "./history-import.repository.server";
import { CUSTOMERS_COUNT_QUERY, UPDATED_CUSTOMERS_QUERY, UPDATED_ORDERS_QUERY } from "./reconcile-queries";

const LOOKBACK_MS = 25 * 3600 * 1000;

interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[];
}

async function* pages<T>(admin: ShopifyAdminClient, document: string, field: string, query: string) {
  let after: string | null = null;
  for (;;) {
    const data: Record<string, Page<T>> = await admin.request(document, { query, after });
    const page = data[field]!;
    yield page.nodes;
    if (!page.pageInfo.hasNextPage) return;
    after = page.pageInfo.endCursor;
  }
}

type OrderNode = BulkObject & {
  lineItems: { nodes: BulkObject[] };
  refunds: (BulkObject & {
    refundLineItems: { nodes: { quantity: number; lineItem: { id: string } | null; subtotalSet: unknown }[] };
  })[];
};

function orderRecordOfPageNode(node: OrderNode, currencyCode: string): OrderRecord {
  const children = node.lineItems.nodes.map((line) => ({ ...line, __parentId: node.id }));
  const record = orderRecordOf({ root: node, children, linesThrough: 0 }, currencyCode);
  for (const refund of record.refunds) {
    const source = node.refunds.find((r) => shopifyIdOf(r.id) === refund.shopifyId);
    refund.lineItems = (source?.refundLineItems.nodes ?? [])
      .filter((line) => line.lineItem)
      .map((line) => ({
        lineItemShopifyId: shopifyIdOf(line.lineItem!.id),
        quantity: line.quantity,
        subtotalMinor: decimalStringToMinor(
          (line.subtotalSet as { shopMoney: { amount: string } }).shopMoney.amount,
          currencyCode,
        ),
      }));
  }
  return record;
}

export async function reconcileShop(deps: HistoryImportDeps, shopDomain: string, now = new Date()) {
  const shop = await findShopForHistory(deps.db, shopDomain);
  if (!shop || shop.uninstalledAt) return null;
  const admin = await deps.adminFor(shopDomain);
  const run = await createSyncRun(deps.db, shop.id, RECONCILIATION_KIND);
  try {
    const lastSync = await lastSucceededRunStart(deps.db, shop.id);
    const since = new Date(Math.min(lastSync?.getTime() ?? Infinity, now.getTime() - LOOKBACK_MS));
    const search = `updated_at:>='${since.toISOString()}'`;

    let customers = 0;
    const touchedCustomers = new Set<bigint>();
    for await (const nodes of pages<BulkObject>(admin, UPDATED_CUSTOMERS_QUERY, "customers", search)) {
      const records = nodes.map(customerRecordOf);
      await upsertCustomerRecords(deps.db, shop.id, records);
      for (const record of records) touchedCustomers.add(record.shopifyId);
      customers += records.length;
    }
    let orders = 0;
    for await (const nodes of pages<OrderNode>(admin, UPDATED_ORDERS_QUERY, "orders", search)) {
      const records = nodes.map((node) => orderRecordOfPageNode(node, shop.currencyCode));
      await upsertOrderRecords(deps.db, shop.id, records);
      for (const record of records) if (record.customerShopifyId) touchedCustomers.add(record.customerShopifyId);
      orders += records.length;
    }
    await recomputeCustomerAggregates(deps.db, shop.id, await customerIdsOf(deps.db, shop.id, [...touchedCustomers]));

    const counted = await admin.request<{ customersCount: { count: number } | null }>(CUSTOMERS_COUNT_QUERY);
    const ours = await countStoredProfiles(deps.db, shop.id);
    const theirs = counted.customersCount?.count ?? ours.customers;
    if (theirs !== ours.customers && !(await findRunningHistoryImport(deps.db, shop.id))) {
      deps.logger.warn({ shop: shopDomain, shopify: theirs, kinship: ours.customers }, "customer counts differ");
      await deps.jobs.add("backfill", "import-history", { shopDomain, reason: "reconciliation" });
    }
    await finishSyncRun(deps.db, run.id, { status: "succeeded", counts: { customers, orders } });
    return { runId: run.id, customers, orders, shopifyCustomers: theirs, kinshipCustomers: ours.customers };
  } catch (error) {
    await finishSyncRun(deps.db, run.id, { status: "failed", error: (error as Error).message });
    throw error;
  }
}
