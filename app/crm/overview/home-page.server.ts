// Everything the home page shows, serialisable for the browser (money as strings).
import type { PrismaClient } from "../../db.server";
import { loadDataHealth, type DataHealth } from "../data-health/data-health.server";
import { loadHistoryImportState, type HistoryImportState } from "../history/history-import-state.server";
import { loadPrivacyRequests, type PrivacyRequestListItem } from "../privacy/privacy-requests.server";
import { formatShopDateTime } from "../../lib/shop-time";
import { formatMoney } from "../money/money";
import { findShopByDomain } from "../shop/shop.repository.server";
import { findLastSyncRun } from "../sync/sync-runs.repository.server";
import { formatPercent, repeatCustomerShare } from "./store-overview";
import { loadStoreOverviewCounts } from "./store-overview.repository.server";

export interface HomePageData {
  shopName: string;
  figures: { customers: string; orders: string; netRevenue: string; repeatCustomerShare: string };
  lastSync: null | {
    kind: string;
    status: string;
    startedAt: string;
    finishedAt: string | null;
    customers: string;
    orders: string;
    error: string | null;
  };
  historyImport: HistoryImportState;
  dataHealth: DataHealth;
  privacyRequests: PrivacyRequestListItem[];
}

export async function loadHomePage(db: PrismaClient, shopDomain: string): Promise<HomePageData | null> {
  const shop = await findShopByDomain(db, shopDomain);
  if (!shop) return null;
  const [counts, lastSync, historyImport, dataHealth, privacyRequests] = await Promise.all([
    loadStoreOverviewCounts(db, shop.id),
    findLastSyncRun(db, shop.id),
    loadHistoryImportState(db, shopDomain),
    loadDataHealth(db, shopDomain, shop.ianaTimezone),
    loadPrivacyRequests(db, shopDomain),
  ]);
  const number = new Intl.NumberFormat("en-US");
  return {
    shopName: shop.name,
    figures: {
      customers: number.format(counts.customers),
      orders: number.format(counts.orders),
      netRevenue: formatMoney(counts.netRevenueMinor, shop.currencyCode),
      repeatCustomerShare: formatPercent(repeatCustomerShare(counts)),
    },
    lastSync: lastSync && {
      kind: lastSync.kind,
      status: lastSync.status,
      startedAt: formatShopDateTime(lastSync.startedAt, shop.ianaTimezone),
      finishedAt: lastSync.finishedAt ? formatShopDateTime(lastSync.finishedAt, shop.ianaTimezone) : null,
      customers: number.format(lastSync.customersCount),
      orders: number.format(lastSync.ordersCount),
      error: lastSync.error,
    },
    historyImport,
    dataHealth,
    privacyRequests,
  };
}
