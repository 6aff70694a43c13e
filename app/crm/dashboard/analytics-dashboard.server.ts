// The analytics section of the home page: the tables' latest figures and whether a
// recalculation is waiting in the queue, shaped for the browser.
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import { recalculationJobId } from "../analytics/analytics-jobs.server";
import { findShopByDomain } from "../shop/shop.repository.server";
import {
  buildAnalyticsDashboard,
  recalculation,
  type AnalyticsDashboard,
  type QueuedState,
  type Recalculation,
} from "./analytics-dashboard";
import { findActiveRun, loadAnalyticsDashboardRows } from "./analytics-dashboard.repository.server";

// An active job without its analytics_runs row yet is still starting: show it as queued.
const WAITING_STATES = new Set(["waiting", "delayed", "prioritized", "waiting-children", "active"]);

export async function recalculationQueuedState(jobs: JobQueues, shopDomain: string): Promise<QueuedState> {
  const job = await jobs.queue("analytics").getJob(recalculationJobId(shopDomain));
  if (!job) return "none";
  return WAITING_STATES.has(await job.getState()) ? "queued" : "none";
}

export async function loadAnalyticsDashboard(
  deps: { db: PrismaClient; jobs: JobQueues },
  shopDomain: string,
  now = new Date(),
): Promise<AnalyticsDashboard | null> {
  const shop = await findShopByDomain(deps.db, shopDomain);
  return shop && analyticsDashboardOf(deps, shop, now);
}

/** The analytics section of a shop already read (the dashboard reads it once for all its sections). */
export async function analyticsDashboardOf(
  deps: { db: PrismaClient; jobs: JobQueues },
  shop: { id: number; domain: string; currencyCode: string; ianaTimezone: string },
  now = new Date(),
): Promise<AnalyticsDashboard> {
  const [rows, queued] = await Promise.all([
    loadAnalyticsDashboardRows(deps.db, shop, now),
    recalculationQueuedState(deps.jobs, shop.domain),
  ]);
  return buildAnalyticsDashboard(rows, { currencyCode: shop.currencyCode, timeZone: shop.ianaTimezone }, queued);
}

/** Only the progress of a recalculation: two small reads, cheap enough to poll every 2 s. */
export async function loadRecalculationStatus(
  deps: { db: PrismaClient; jobs: JobQueues },
  shopDomain: string,
  now = new Date(),
): Promise<Recalculation | null> {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) return null;
  const [activeRun, queued] = await Promise.all([
    findActiveRun(deps.db, shop.id, now),
    recalculationQueuedState(deps.jobs, shopDomain),
  ]);
  return recalculation({ activeRun }, queued, shop.ianaTimezone);
}
