// Saves a shop's analytics settings and the staff audit entry of the change in one transaction.
import type { Prisma } from "@prisma/client";

import type { PrismaClient } from "../../db.server";
import { readAnalyticsSettings, type ShopAnalyticsSettings } from "../analytics/analytics-runs.repository.server";
import { recordStaffAction } from "../audit/staff-audit.repository.server";
import type { StaffMember } from "../audit/staff-member";
import { settingsChanges } from "./analytics-settings-form";

export async function saveShopAnalyticsSettings(
  db: PrismaClient,
  input: { shopId: number; staff: StaffMember; settings: ShopAnalyticsSettings },
) {
  return db.$transaction(async (tx) => {
    // The row is locked while it changes, so two staff saving at once each record what they replaced.
    await tx.$executeRaw`SELECT 1 FROM analytics_settings WHERE shop_id = ${input.shopId} FOR UPDATE`;
    const before = await readAnalyticsSettings(tx, input.shopId);
    const changes = settingsChanges(before, input.settings);
    if (Object.keys(changes).length === 0) return { changed: false as const, changes };
    const values = {
      monthlyDiscountRate: input.settings.monthlyDiscountRate,
      clvHorizonMonths: input.settings.clvHorizonMonths,
      churnMediumThreshold: input.settings.churnThresholds.medium,
      churnHighThreshold: input.settings.churnThresholds.high,
    };
    await tx.analyticsSettings.upsert({
      where: { shopId: input.shopId },
      create: { shopId: input.shopId, ...values },
      update: values,
    });
    await recordStaffAction(tx, {
      shopId: input.shopId,
      staff: input.staff,
      action: "settings.updated",
      details: { section: "analytics", changes } as Prisma.InputJsonObject,
    });
    return { changed: true as const, changes };
  });
}
