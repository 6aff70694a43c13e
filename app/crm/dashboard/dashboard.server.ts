// The whole Dashboard (home page) in one call: store figures, data sync and health, the analytics
// section, and when data last arrived and was last computed. The route and the admin benchmark
// (`npm run bench:admin`) both call loadDashboard, so the benchmark times what staff wait for.
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import { formatShopDateTime } from "../../lib/shop-time";
import { homePageOf, type HomePageData } from "../overview/home-page.server";
import { findShopByDomain } from "../shop/shop.repository.server";
import type { AnalyticsDashboard } from "./analytics-dashboard";
import { analyticsDashboardOf } from "./analytics-dashboard.server";
import { findLastAppliedDelivery, LAST_APPLIED_WINDOW_DAYS } from "./dashboard-activity.repository.server";

export interface DashboardActivity {
  /** The newest update from Shopify (webhook) that was applied, in the shop's zone. */
  lastUpdateApplied: null | { topic: string; at: string };
  lastUpdateWindowDays: number;
}

export interface Dashboard {
  home: HomePageData;
  analytics: AnalyticsDashboard | null;
  activity: DashboardActivity;
}

export async function loadDashboard(
  deps: { db: PrismaClient; jobs: JobQueues },
  shopDomain: string,
  now = new Date(),
): Promise<Dashboard | null> {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) return null;
  const [home, analytics, lastApplied] = await Promise.all([
    homePageOf(deps.db, shop),
    analyticsDashboardOf(deps, shop, now),
    findLastAppliedDelivery(deps.db, shopDomain, now),
  ]);
  return {
    home,
    analytics,
    activity: {
      lastUpdateApplied: lastApplied && {
        topic: lastApplied.topic,
        at: formatShopDateTime(lastApplied.processedAt ?? lastApplied.receivedAt, shop.ianaTimezone),
      },
      lastUpdateWindowDays: LAST_APPLIED_WINDOW_DAYS,
    },
  };
}
