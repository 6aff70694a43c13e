// The Settings page's domain against real PostgreSQL and Redis: saving analytics settings (with
// its audit entry), refusing bad values without saving anything, the audited history re-import,
// the audit log's keyset pages, and its CSV export.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { createJobQueues } from "../../jobs/job-queues.server";
import { readAnalyticsSettings } from "../analytics/analytics-runs.repository.server";
import { recordStaffAction } from "../audit/staff-audit.repository.server";
import { saveAnalyticsSettings } from "./analytics-settings.server";
import { loadSettingsPage, requestHistoryReimportByStaff } from "./settings-page.server";
import { loadStaffAuditLogPage, staffAuditCsvStream } from "./staff-audit-log.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const ada = { userId: 9001n, name: "Ada Lovelace" };
const form = {
  intent: "analytics-settings",
  monthlyDiscountRatePercent: "2",
  clvHorizonMonths: "18",
  churnMediumThreshold: "0.4",
  churnHighThreshold: "0.85",
};

type Shop = Awaited<ReturnType<typeof createTestShop>>;
const shops: Shop[] = [];
async function givenShop(timeZone = "Europe/Berlin") {
  const shop = await createTestShop(db, { ianaTimezone: timeZone });
  shops.push(shop);
  return shop;
}

afterAll(async () => {
  await db.shop.deleteMany({ where: { id: { in: shops.map((shop) => shop.id) } } });
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

describe("analytics settings", () => {
  it("saves valid settings and records who changed what, before and after", async () => {
    // Given a shop on the default settings
    const shop = await givenShop();

    // When a staff member saves new values
    const outcome = await saveAnalyticsSettings(db, shop.domain, ada, form);

    // Then they are stored, and the audit log holds one settings.updated entry with the change
    expect(outcome).toMatchObject({ ok: true, changed: true });
    expect(await readAnalyticsSettings(db, shop.id)).toEqual({
      monthlyDiscountRate: 0.02,
      clvHorizonMonths: 18,
      churnThresholds: { medium: 0.4, high: 0.85 },
    });
    const entries = await db.staffAuditEntry.findMany({ where: { shopId: shop.id } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: "settings.updated",
      staffUserId: 9001n,
      staffName: "Ada Lovelace",
      customerId: null,
      details: {
        section: "analytics",
        changes: {
          monthlyDiscountRate: { before: 0.01, after: 0.02 },
          clvHorizonMonths: { before: 12, after: 18 },
          churnMediumThreshold: { before: 0.3, after: 0.4 },
          churnHighThreshold: { before: 0.7, after: 0.85 },
        },
      },
    });

    // And saving the same values again changes nothing and records nothing
    await expect(saveAnalyticsSettings(db, shop.domain, ada, form)).resolves.toMatchObject({
      ok: true,
      changed: false,
    });
    await expect(db.staffAuditEntry.count({ where: { shopId: shop.id } })).resolves.toBe(1);

    // And the page shows the stored values back
    const page = await loadSettingsPage({ db, jobs }, shop.domain);
    expect(page?.analytics).toEqual({
      monthlyDiscountRatePercent: "2",
      clvHorizonMonths: "18",
      churnMediumThreshold: "0.4",
      churnHighThreshold: "0.85",
    });
    expect(page?.recentAudit.map((entry) => entry.action)).toEqual(["Changed settings"]);
  });

  it("refuses bad values with field errors and saves nothing", async () => {
    // Given a shop with saved settings
    const shop = await givenShop();
    await saveAnalyticsSettings(db, shop.domain, ada, form);
    const auditBefore = await db.staffAuditEntry.count({ where: { shopId: shop.id } });

    // When the medium threshold is above the high one and the horizon is not a number
    const outcome = await saveAnalyticsSettings(db, shop.domain, ada, {
      ...form,
      clvHorizonMonths: "soon",
      churnMediumThreshold: "0.9",
      churnHighThreshold: "0.5",
    });

    // Then each field says what is wrong, and neither the settings nor the audit log changed
    expect(outcome).toEqual({
      ok: false,
      errors: { clvHorizonMonths: "Enter the horizon as a number" },
    });
    const ordered = await saveAnalyticsSettings(db, shop.domain, ada, {
      ...form,
      churnMediumThreshold: "0.9",
      churnHighThreshold: "0.5",
    });
    expect(ordered).toEqual({ ok: false, errors: { churnHighThreshold: "High risk must start above medium risk" } });
    expect(await readAnalyticsSettings(db, shop.id)).toMatchObject({ churnThresholds: { medium: 0.4, high: 0.85 } });
    await expect(db.staffAuditEntry.count({ where: { shopId: shop.id } })).resolves.toBe(auditBefore);
  });
});

describe("history re-import from Settings", () => {
  it("queues the import and records it in the audit log", async () => {
    const shop = await givenShop();
    await requestHistoryReimportByStaff({ db, jobs }, shop.domain, ada);
    const queued = await queues.jobs("backfill");
    expect(queued.some((job) => job.data.shopDomain === shop.domain && job.data.reason === "merchant")).toBe(true);
    const entries = await db.staffAuditEntry.findMany({ where: { shopId: shop.id } });
    expect(entries.map((entry) => [entry.action, entry.staffName])).toEqual([
      ["history.reimport_requested", "Ada Lovelace"],
    ]);
  });
});

describe("staff audit log", () => {
  let shop: Shop;
  let customerShopifyId: bigint;

  beforeAll(async () => {
    // Seven entries, the third about a customer; another shop's entry in between
    shop = await givenShop("America/New_York");
    const other = await givenShop();
    const customer = await db.customer.create({
      data: {
        shopId: shop.id,
        shopifyId: 7_100_000_000_001n,
        firstName: "Grace",
        lastName: "Hopper",
        shopifyCreatedAt: new Date(),
        shopifyUpdatedAt: new Date(),
      },
    });
    customerShopifyId = customer.shopifyId;
    for (let i = 1; i <= 7; i++) {
      await recordStaffAction(db, {
        shopId: shop.id,
        staff: i % 2 ? ada : { userId: 77n, name: "staff" },
        action: i === 3 ? "points.adjusted" : "customers.exported",
        customerId: i === 3 ? customer.id : null,
        details: i === 3 ? { points: 50, reason: '=HYPERLINK("http://evil")' } : { rows: i },
      });
      if (i === 4) {
        await recordStaffAction(db, { shopId: other.id, staff: ada, action: "settings.updated", details: {} });
      }
    }
  });

  it("pages newest first by keyset, older and back newer, only this shop's entries", async () => {
    // When the first page of three is read
    const first = (await loadStaffAuditLogPage(db, shop.domain, null, 3))!;
    // Then it holds entries 7, 6, 5 and links to older ones only
    expect(first.entries.map((entry) => entry.details)).toEqual(["rows: 7", "rows: 6", "rows: 5"]);
    expect(first.newerThan).toBeNull();
    expect(first.olderThan).not.toBeNull();
    expect(first.timeZone).toBe("America/New_York");
    expect(first.entries[0]!.at).toMatch(/(EST|EDT)$/);

    // When the older pages are walked
    const second = (await loadStaffAuditLogPage(db, shop.domain, { before: BigInt(first.olderThan!) }, 3))!;
    expect(second.entries.map((entry) => entry.details)).toEqual([
      "rows: 4",
      'points: 50, reason: =HYPERLINK("http://evil")',
      "rows: 2",
    ]);
    expect(second.entries[1]).toMatchObject({
      action: "Adjusted points",
      staff: "Ada Lovelace",
      customer: { shopifyId: customerShopifyId.toString(), name: "Grace Hopper" },
    });
    expect(second.entries[0]!.staff).toBe("Staff member 77");
    const third = (await loadStaffAuditLogPage(db, shop.domain, { before: BigInt(second.olderThan!) }, 3))!;
    expect(third.entries.map((entry) => entry.details)).toEqual(["rows: 1"]);
    expect(third.olderThan).toBeNull();

    // And going back newer from the last page gives the middle page again, then the first
    const back = (await loadStaffAuditLogPage(db, shop.domain, { after: BigInt(third.newerThan!) }, 3))!;
    expect(back.entries.map((entry) => entry.id)).toEqual(second.entries.map((entry) => entry.id));
    const top = (await loadStaffAuditLogPage(db, shop.domain, { after: BigInt(back.newerThan!) }, 3))!;
    expect(top.entries.map((entry) => entry.id)).toEqual(first.entries.map((entry) => entry.id));
    expect(top.newerThan).toBeNull();
  });

  it("exports every entry as CSV, newest first, with formulas neutralised", async () => {
    const stream = (await staffAuditCsvStream(db, shop.domain))!;
    const csv = await new Response(stream).text();
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,at_utc,at_shop_time,staff_user_id,staff_name,action,customer_id,details");
    expect(lines).toHaveLength(8);
    // (the shop-time column is quoted: it holds commas)
    expect(lines.slice(1).map((line) => /,(customers\.exported|points\.adjusted),/.exec(line)?.[1])).toEqual([
      "customers.exported",
      "customers.exported",
      "customers.exported",
      "customers.exported",
      "points.adjusted",
      "customers.exported",
      "customers.exported",
    ]);
    const ids = lines.slice(1).map((line) => BigInt(line.split(",")[0]!));
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);
    // The JSON details cell starts with "{", and a staff name starting with = would get a '
    expect(lines[5]).toContain(`"{""points"":50,""reason"":""=HYPERLINK(\\""http://evil\\"")""}"`);
    expect(csv).not.toMatch(/(^|,)"?=/m);
  });
});
