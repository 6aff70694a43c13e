// Everything the Settings page shows: the analytics form, the data cards (history import, data
// health, privacy requests), the analytics run's progress, and the newest staff audit entries.
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import { recordStaffAction } from "../audit/staff-audit.repository.server";
import type { StaffMember } from "../audit/staff-member";
import { loadRecalculationStatus } from "../dashboard/analytics-dashboard.server";
import { loadDataHealth } from "../data-health/data-health.server";
import { loadHistoryImportState } from "../history/history-import-state.server";
import { requestHistoryReimport } from "../history/shop-schedules.server";
import { loadPrivacyRequests } from "../privacy/privacy-requests.server";
import { findShopByDomain } from "../shop/shop.repository.server";
import { loadAnalyticsSettingsForm } from "./analytics-settings.server";
import { loadStaffAuditLogPage } from "./staff-audit-log.server";

const RECENT_AUDIT_ENTRIES = 5;

export async function loadSettingsPage(deps: { db: PrismaClient; jobs: JobQueues }, shopDomain: string) {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) return null;
  const [analytics, recalculation, historyImport, dataHealth, privacyRequests, audit] = await Promise.all([
    loadAnalyticsSettingsForm(deps.db, shop.id),
    loadRecalculationStatus(deps, shopDomain),
    loadHistoryImportState(deps.db, shopDomain),
    loadDataHealth(deps.db, shopDomain, shop.ianaTimezone),
    loadPrivacyRequests(deps.db, shopDomain),
    loadStaffAuditLogPage(deps.db, shopDomain, null, RECENT_AUDIT_ENTRIES),
  ]);
  return {
    shopName: shop.name,
    analytics,
    recalculation: recalculation ?? { state: "idle" as const, percent: 0, phase: "", startedAt: null },
    historyImport,
    dataHealth,
    privacyRequests,
    recentAudit: audit?.entries ?? [],
    moreAudit: audit?.olderThan !== null,
  };
}

export type SettingsPageData = NonNullable<Awaited<ReturnType<typeof loadSettingsPage>>>;

/** "Re-import history" from the admin: queued (once a minute at most) and written to the audit log. */
export async function requestHistoryReimportByStaff(
  deps: { db: PrismaClient; jobs: JobQueues },
  shopDomain: string,
  staff: StaffMember,
) {
  const shop = await findShopByDomain(deps.db, shopDomain);
  if (!shop) throw new Response("Shop not found", { status: 404 });
  await requestHistoryReimport(deps.jobs, shopDomain);
  await recordStaffAction(deps.db, { shopId: shop.id, staff, action: "history.reimport_requested" });
}
