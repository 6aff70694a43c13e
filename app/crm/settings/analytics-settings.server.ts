// The Settings page's analytics form: what it shows, and a save that validates, stores, and
// records who changed what. The new values apply from the next analytics run.
import type { PrismaClient } from "../../db.server";
import { readAnalyticsSettings } from "../analytics/analytics-runs.repository.server";
import type { StaffMember } from "../audit/staff-member";
import { findShopByDomain } from "../shop/shop.repository.server";
import {
  analyticsSettingsFormValues,
  parseAnalyticsSettingsForm,
  type AnalyticsSettingsField,
} from "./analytics-settings-form";
import { saveShopAnalyticsSettings } from "./analytics-settings.repository.server";

export type SaveAnalyticsSettingsOutcome =
  | { ok: true; changed: boolean; message: string }
  | { ok: false; errors: Partial<Record<AnalyticsSettingsField, string>> };

export async function loadAnalyticsSettingsForm(db: PrismaClient, shopId: number) {
  return analyticsSettingsFormValues(await readAnalyticsSettings(db, shopId));
}

export async function saveAnalyticsSettings(
  db: PrismaClient,
  shopDomain: string,
  staff: StaffMember,
  values: Record<string, unknown>,
): Promise<SaveAnalyticsSettingsOutcome> {
  const parsed = parseAnalyticsSettingsForm(values);
  if (!parsed.ok) return parsed;
  const shop = await findShopByDomain(db, shopDomain);
  if (!shop) throw new Response("Shop not found", { status: 404 });
  const saved = await saveShopAnalyticsSettings(db, { shopId: shop.id, staff, settings: parsed.settings });
  return saved.changed
    ? { ok: true, changed: true, message: "Settings saved. They apply from the next analytics run." }
    : { ok: true, changed: false, message: "Nothing changed." };
}
