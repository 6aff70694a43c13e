// What the Customers page shows: its URL parsed into a filter, one keyset page, the capped count,
// and the options of its filters and bulk actions. The route authenticates and calls this.
import type { PrismaClient } from "../../db.server";
import { currencyExponent, formatMoney } from "../money/money";
import { ruleOptionsOf } from "../segments/segment-options.repository.server";
import { findShopByDomain } from "../shop/shop.repository.server";
import {
  countCustomers,
  liveSegmentsOf,
  loadCustomerListPage,
  type CustomerListRow,
} from "./customer-list.repository.server";
import {
  customerDisplayName,
  CustomerListError,
  DEFAULT_PAGE_SIZE,
  formatCustomerCount,
  formatShopDate,
} from "./customer-list";
import { parseCustomerListQuery } from "./customer-list-params";

export async function shopOrNotFound(db: PrismaClient, shopDomain: string) {
  const shop = await findShopByDomain(db, shopDomain);
  if (!shop) throw new Response("Shop not found", { status: 404 });
  return shop;
}

function rowView(row: CustomerListRow, currencyCode: string, timeZone: string) {
  return {
    id: String(row.id),
    shopifyId: String(row.shopifyId),
    name: customerDisplayName(row),
    email: row.email,
    country: row.countryCode,
    ordersCount: row.ordersCount,
    netSpent: formatMoney(row.netSpentMinor, currencyCode),
    lastOrder: row.lastOrderAt ? formatShopDate(row.lastOrderAt, timeZone) : null,
    rfmSegment: row.rfmSegment,
    lifecycleStage: row.lifecycleStage,
    churnRisk: row.churnRisk ?? "unknown",
    predictedClv: row.clvMinor === null ? null : formatMoney(row.clvMinor, currencyCode),
    points: row.pointsBalance,
    tier: row.tierName,
    tags: row.tags,
  };
}
export type CustomerRowView = ReturnType<typeof rowView>;

export async function loadCustomersPage(db: PrismaClient, shopDomain: string, url: URL) {
  const shop = await shopOrNotFound(db, shopDomain);
  const digits = currencyExponent(shop.currencyCode);
  const query = parseCustomerListQuery(url.searchParams, { currencyDigits: digits });
  const errors: Record<string, string> = { ...query.errors };
  const load = (cursor: string | null) =>
    loadCustomerListPage(db, shop.id, { filter: query.filter, sort: query.sort, cursor, pageSize: DEFAULT_PAGE_SIZE });

  const [page, count, options, segments] = await Promise.all([
    load(query.cursor).catch(async (error: unknown) => {
      // A stale or edited page link: say so and show the first page instead.
      if (!(error instanceof CustomerListError)) throw error;
      errors.cursor = error.message;
      return load(null);
    }),
    countCustomers(db, shop.id, query.filter, { timeZone: shop.ianaTimezone }),
    ruleOptionsOf(db, shop.id, shop.currencyCode),
    liveSegmentsOf(db, shop.id),
  ]);
  return {
    currencyCode: shop.currencyCode,
    currencyDigits: digits,
    timeZone: shop.ianaTimezone,
    filter: query.filter,
    sort: query.sort,
    errors,
    rows: page.rows.map((row) => rowView(row, shop.currencyCode, shop.ianaTimezone)),
    nextCursor: page.nextCursor,
    previousCursor: page.previousCursor,
    count: count.count,
    countCapped: count.capped,
    countText: formatCustomerCount(count.count, count.capped),
    tiers: options.tiers,
    clusters: options.clusters,
    segments,
  };
}
