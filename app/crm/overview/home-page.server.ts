// Everything the home page shows, serialisable for the browser (money as strings).
import type { Shop } from "@prisma/client";

import type { PrismaClient } from "../../db.server";
import { loadDataHealth, type DataHealth } from "../data-health/data-health.server";
import { loadHistoryImportState, type HistoryImportState } from "../history/history-import-state.server";
import { formatShopDateTime } from "../../lib/shop-time";
import { formatMoney } from "../money/money";
import { findShopByDomain } from "../shop/shop.repository.server";
import { findLastSyncRun } from "../sync/sync-runs.repository.server";
import {
  formatPercent,
  isLargeStore,
  LIVE_COUNT_LIMIT,
  repeatCustomerShare,
  type StoreOverviewCounts,
} from "./store-overview";
import { findLatestRunTotals, loadStoreOverviewCounts, probeStoreSize } from "./store-overview.repository.server";

export interface HomePageData {
  shopName: string;
  figures: { customers: string; orders: string; netRevenue: string; repeatCustomerShare: string };
  /**
   * Where the figures come from: counted now ("live", a small store), the totals the last
   * analytics run counted ("run", with its time in the shop's zone), or nothing yet ("next_run":
   * a large store before its first run stores them).
   */
  figuresCounted: { by: "live" } | { by: "run"; at: string } | { by: "next_run"; limit: string };
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
}

export async function loadHomePage(db: PrismaClient, shopDomain: string): Promise<HomePageData | null> {
  const shop = await findShopByDomain(db, shopDomain);
  return shop && homePageOf(db, shop);
}

/** The home page of a shop already read (the dashboard reads it once for all its sections). */
export async function homePageOf(db: PrismaClient, shop: Shop): Promise<HomePageData> {
  const shopDomain = shop.domain;
  const [store, lastSync, historyImport, dataHealth] = await Promise.all([
    loadStoreFigures(db, shop.id),
    findLastSyncRun(db, shop.id),
    loadHistoryImportState(db, shopDomain),
    loadDataHealth(db, shopDomain, shop.ianaTimezone),
  ]);
  const number = new Intl.NumberFormat("en-US");
  const { counts } = store;
  return {
    shopName: shop.name,
    figures: counts
      ? {
          customers: number.format(counts.customers),
          orders: number.format(counts.orders),
          netRevenue: formatMoney(counts.netRevenueMinor, shop.currencyCode),
          repeatCustomerShare: formatPercent(repeatCustomerShare(counts)),
        }
      : { customers: "–", orders: "–", netRevenue: "–", repeatCustomerShare: "–" },
    figuresCounted:
      store.countedAt !== null
        ? { by: "run", at: formatShopDateTime(store.countedAt, shop.ianaTimezone) }
        : counts
          ? { by: "live" }
          : { by: "next_run", limit: number.format(LIVE_COUNT_LIMIT) },
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
  };
}

/**
 * The store's figures without a whole-shop scan on a large store: the last run's totals when it
 * counted a large store, else a bounded probe, and a live count only when the probe finds the
 * store small. A large store whose runs never stored totals shows none until its next run.
 */
async function loadStoreFigures(
  db: PrismaClient,
  shopId: number,
): Promise<{ counts: StoreOverviewCounts | null; countedAt: Date | null }> {
  const runTotals = await findLatestRunTotals(db, shopId);
  if (runTotals && isLargeStore(runTotals)) return { counts: runTotals, countedAt: runTotals.computedAt };
  if (!isLargeStore(await probeStoreSize(db, shopId, LIVE_COUNT_LIMIT))) {
    return { counts: await loadStoreOverviewCounts(db, shopId), countedAt: null };
  }
  return runTotals ? { counts: runTotals, countedAt: runTotals.computedAt } : { counts: null, countedAt: null };
}
