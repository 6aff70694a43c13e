// The admin's loyalty services against real PostgreSQL and Redis: tier edits re-place members by
// the tier rules without touching the ledger, KPI sums equal the ledger's, staff adjustments
// carry a reason and who made them, and the daily pass is scheduled per shop in its time zone.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  type createProgram,
  createTier,
  deliver,
  loyaltyDepsFor,
  memberOfCustomer,
  openLoyaltyStore,
  runLoyaltyJobs,
} from "../../../test/helpers/loyalty-test-setup";
import { createTestShop } from "../../../test/helpers/create-test-shop";
import { startTestDouble } from "../../../test/helpers/start-test-double";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import type { ShopifyDouble } from "../../../test/shopify-double/index";
import { customerPayload, orderPayload } from "../../../test/shopify-double/rest-payloads";
import type { StoreShop } from "../../../test/shopify-double/store-data";
import { createJobQueues } from "../../jobs/job-queues.server";
import { onShopInstalled, unscheduleShopJobs } from "../history/shop-schedules.server";
import { saveSettingsForm } from "./loyalty-admin.server";
import { saveTierEdit } from "./loyalty-tiers-admin.server";
import { runTierReplacement } from "./tier-replacement.server";
import { loadLoyaltyKpiSums } from "./loyalty-kpis.repository.server";
import { adjustMemberForm } from "./loyalty-member-admin.server";
import { DAILY_LOYALTY_PATTERN, loyaltySchedulerId } from "./loyalty-schedules.server";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { reevaluateShopTiers } from "./member-tier.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const clock = { now: new Date("2026-10-01T12:00:00Z") };
let double: ShopifyDouble;
let deps: LoyaltyDeps;

beforeAll(async () => {
  double = await startTestDouble([]);
});

afterAll(async () => {
  await double.close();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

/** A shop whose customer Ada has placed her first order (25.98 EUR) under the given program. */
async function adaWithAnOrder(settings: Parameters<typeof createProgram>[2]) {
  clock.now = new Date("2026-10-01T12:00:00Z");
  const opened = await openLoyaltyStore({
    db,
    jobs,
    double,
    clock,
    handle: "admin",
    settings,
    ianaTimezone: "Europe/Berlin",
  });
  ({ double, deps } = opened);
  return { store: opened.store, shop: opened.shop, ada: opened.store.customers[0]! };
}

async function arrive(store: StoreShop) {
  await deliver(deps, store.domain, "customers/create", customerPayload(store, store.customers[0]!));
  await deliver(deps, store.domain, "orders/create", orderPayload(store, store.orders[0]!));
  await runLoyaltyJobs(deps);
}

const memberOf = (shopId: number, customerShopifyId: number) => memberOfCustomer(db, shopId, customerShopifyId);

const tierForm = (intent: string, tierId: number | null, threshold: string, entryBonusPoints = "0") => ({
  intent,
  ...(tierId === null ? {} : { tierId: String(tierId) }),
  name: "ignored",
  threshold,
  earnMultiplier: "1",
  entryBonusPoints,
});

describe("tier edits in the admin", () => {
  it("lets members into a tier at once when its threshold falls, keeps them when it rises until the period ends, and keeps the ledger", async () => {
    // Given Silver (100 points) and Gold (5,000), and Ada at 259 points earned: Silver
    const { store, shop, ada } = await adaWithAnOrder({ earn: { pointsPerCurrencyUnit: 10 } });
    const silver = await createTier(db, shop.id, {
      name: "Silver",
      threshold: 100n,
      earnMultiplierPermille: 1000,
      entryBonusPoints: 0,
    });
    const gold = await createTier(db, shop.id, {
      name: "Gold",
      threshold: 5000n,
      earnMultiplierPermille: 1500,
      entryBonusPoints: 40,
    });
    await arrive(store);
    const before = await memberOf(shop.id, ada.id);
    expect(before).toMatchObject({ tierId: silver.id, pointsBalance: 259 });
    const ledgerBefore = await db.loyaltyLedgerEntry.findMany({
      where: { memberId: before.id },
      orderBy: { id: "asc" },
    });

    // When the merchant lowers Gold below what she has earned, a day later
    clock.now = new Date("2026-10-02T12:00:00Z");
    const lowered = await saveTierEdit(deps, store.domain, {
      ...tierForm("update-tier", gold.id, "200", "40"),
      name: "Gold",
    });
    expect(lowered).toEqual({ ok: true, message: "Tiers saved; re-placing members…" });
    // Then the re-placement job makes her Gold at once, with its entry bonus, and every earlier ledger entry is untouched
    expect(await runTierReplacement(deps, store.domain)).toEqual({ changed: 1, passes: 1 });
    const gilded = await memberOf(shop.id, ada.id);
    expect(gilded).toMatchObject({ tierId: gold.id, tierSince: clock.now, pointsBalance: 299 });
    const ledgerAfter = await db.loyaltyLedgerEntry.findMany({
      where: { memberId: before.id },
      orderBy: { id: "asc" },
    });
    expect(ledgerAfter.slice(0, ledgerBefore.length)).toEqual(ledgerBefore);
    expect(ledgerAfter.slice(ledgerBefore.length).map((e) => [e.kind, e.points])).toEqual([["tier_bonus", 40]]);

    // When the merchant then raises Gold above what she has earned
    clock.now = new Date("2026-10-03T12:00:00Z");
    await saveTierEdit(deps, store.domain, {
      ...tierForm("update-tier", gold.id, "1000", "40"),
      name: "Gold",
    });
    // Then she keeps Gold, with the same review date, until the period ends
    expect(await runTierReplacement(deps, store.domain)).toEqual({ changed: 0, passes: 1 });
    expect(await memberOf(shop.id, ada.id)).toMatchObject({
      tierId: gold.id,
      tierSince: gilded.tierSince,
      tierPeriodEndsAt: gilded.tierPeriodEndsAt,
    });
    expect(gilded.tierPeriodEndsAt).toEqual(new Date("2027-10-02T12:00:00Z"));
    clock.now = new Date("2027-10-02T11:00:00Z");
    expect(await reevaluateShopTiers(deps, shop.id)).toEqual({ changed: 0 });

    // When the period is over, the daily re-evaluation drops her (nothing earned in the window)
    clock.now = new Date("2027-10-02T13:00:00Z");
    expect(await reevaluateShopTiers(deps, shop.id)).toEqual({ changed: 1 });
    expect((await memberOf(shop.id, ada.id)).tierId).toBeNull();
    expect(await db.loyaltyLedgerEntry.count({ where: { memberId: before.id } })).toBe(ledgerAfter.length);
  });

  it("refuses a threshold that is not a number, and changes nothing", async () => {
    const { store, shop } = await adaWithAnOrder({});
    const silver = await createTier(db, shop.id, {
      name: "Silver",
      threshold: 100n,
      earnMultiplierPermille: 1000,
      entryBonusPoints: 0,
    });
    const outcome = await saveTierEdit(deps, store.domain, {
      ...tierForm("update-tier", silver.id, "a lot"),
      name: "Silver",
    });
    expect(outcome).toEqual({
      ok: false,
      intent: "update-tier",
      errors: { threshold: "Threshold must be a whole number of points" },
    });
    expect(await db.loyaltyTier.findUniqueOrThrow({ where: { id: silver.id } })).toMatchObject({ threshold: 100n });
  });
});

describe("program settings", () => {
  it("launch the program now on first save, and refuse a save from a form opened before another", async () => {
    const shop = await createTestShop(db);
    deps = loyaltyDepsFor(db, jobs, double.url, clock);
    clock.now = new Date("2026-11-02T08:00:00Z");
    const form = {
      pointsPerCurrencyUnit: "3",
      ...{ signupBonus: "0", birthdayBonus: "0", referrerBonus: "0", referredFriendBonus: "0", firstOrderBonus: "0" },
      ...{ excludedProductIds: "", excludedCollections: "", expiryPolicy: "none", expiryWarningDays: "30" },
      enabled: "on",
    };
    expect(await saveSettingsForm(deps, shop.domain, { ...form, version: "" })).toEqual({
      ok: true,
      message: "Program launched",
    });
    const program = await db.loyaltyProgram.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(program).toMatchObject({ enabled: true, version: 1, launchedAt: clock.now });
    expect(await saveSettingsForm(deps, shop.domain, { ...form, version: "1" })).toEqual({
      ok: true,
      message: "Settings saved",
    });
    expect(await saveSettingsForm(deps, shop.domain, { ...form, pointsPerCurrencyUnit: "9", version: "1" })).toEqual({
      ok: false,
      intent: "settings",
      errors: { form: "Someone saved the program meanwhile: reload and retry" },
    });
    expect((await db.loyaltyProgram.findUniqueOrThrow({ where: { shopId: shop.id } })).settings).toMatchObject({
      earn: { pointsPerCurrencyUnit: 3 },
    });
  });
});

describe("program KPIs", () => {
  it("sum to what the ledger and the members' orders hold", async () => {
    // Given Ada's order and sign-up bonus, a staff debit and a staff credit
    const { store, shop, ada } = await adaWithAnOrder({ bonuses: { signup: 50 } });
    await arrive(store);
    const member = await memberOf(shop.id, ada.id);
    const staff = { userId: 42n, name: "Sam Staff" };
    for (const [points, reason] of [
      ["-30", "Goodwill reversal"],
      ["15", "Survey"],
    ] as const) {
      const outcome = await adjustMemberForm(deps, {
        shopDomain: store.domain,
        customerShopifyId: BigInt(ada.id),
        staff,
        values: { points, reason, requestId: randomUUID() },
      });
      expect(outcome.ok).toBe(true);
    }
    // When the KPIs are summed
    const sums = await loadLoyaltyKpiSums(db, shop.id, new Date("2020-01-01T00:00:00Z"));
    // Then they equal the ledger, entry by entry
    const ledger = await db.loyaltyLedgerEntry.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    const sum = (keep: (e: (typeof ledger)[number]) => boolean) =>
      BigInt(ledger.filter(keep).reduce((total, e) => total + e.points, 0));
    expect(ledger.map((e) => [e.kind, e.points])).toEqual([
      ["signup", 50],
      ["earn", 25],
      ["adjust", -30],
      ["adjust", 15],
    ]);
    expect(sums).toEqual({
      members: 1,
      pointsIssued: sum((e) => e.points > 0 && e.kind !== "restore"),
      pointsReversed: 0n,
      pointsRedeemed: 0n,
      pointsExpired: 0n,
      pointsOutstanding: BigInt(member.pointsBalance - 30 + 15),
      memberRevenueMinor: 2598n,
      memberOrders: 1,
    });
    expect(sums.pointsIssued).toBe(90n);
  });
});

describe("staff adjustments", () => {
  it("need a reason, record who made them, book once per form, and queue the Shopify sync", async () => {
    const { store, shop, ada } = await adaWithAnOrder({ bonuses: { signup: 50 } });
    await arrive(store);
    const adjust = (values: Record<string, string>) =>
      adjustMemberForm(deps, {
        shopDomain: store.domain,
        customerShopifyId: BigInt(ada.id),
        staff: { userId: 77n, name: "staff" },
        values,
      });
    const requestId = randomUUID();
    expect(await adjust({ points: "10", reason: " ", requestId })).toEqual({
      ok: false,
      intent: "adjust",
      errors: { reason: "Say why: the reason is kept in the ledger" },
    });
    expect(await adjust({ points: "-500", reason: "Too much", requestId })).toEqual({
      ok: false,
      intent: "adjust",
      errors: { points: "The balance is 75 points" },
    });
    await queues.queue("loyalty").obliterate({ force: true });
    await queues.queue("shopify-calls").obliterate({ force: true });
    expect(await adjust({ points: "10", reason: "Late parcel", requestId })).toEqual({
      ok: true,
      message: "Balance is now 85 points",
    });
    expect(await adjust({ points: "10", reason: "Late parcel", requestId })).toEqual({
      ok: true,
      message: "Balance is now 85 points",
    });
    const member = await memberOf(shop.id, ada.id);
    const adjustments = await db.loyaltyLedgerEntry.findMany({ where: { memberId: member.id, kind: "adjust" } });
    expect(adjustments).toMatchObject([{ points: 10, reason: "Late parcel", staffUserId: 77n, staffName: "staff" }]);
    expect((await queues.jobs("loyalty")).map((job) => job.name)).toEqual([]);
    expect((await queues.jobs("shopify-calls")).map((job) => job.name)).toEqual(["sync-member-to-shopify"]);
  });
});

describe("the daily loyalty pass", () => {
  it("is scheduled at 04:00 in the shop's time zone on install and removed on uninstall", async () => {
    const tokyo = await createTestShop(db, { ianaTimezone: "Asia/Tokyo" });
    const lima = await createTestShop(db, { ianaTimezone: "America/Lima" });
    await onShopInstalled(jobs, tokyo.domain, tokyo.ianaTimezone);
    await onShopInstalled(jobs, lima.domain, lima.ianaTimezone);
    const schedulers = async () =>
      Object.fromEntries(
        (await queues.queue("loyalty").getJobSchedulers()).map((s) => [
          s.key ?? s.id,
          { pattern: s.pattern, tz: s.tz },
        ]),
      );
    expect(await schedulers()).toEqual({
      [loyaltySchedulerId(tokyo.domain)]: { pattern: DAILY_LOYALTY_PATTERN, tz: "Asia/Tokyo" },
      [loyaltySchedulerId(lima.domain)]: { pattern: DAILY_LOYALTY_PATTERN, tz: "America/Lima" },
    });
    const next = (await queues.jobs("loyalty")).find((job) => job.data.shopDomain === tokyo.domain)!;
    expect(next.name).toBe("daily-shop");
    expect(next.data).toEqual({ shopDomain: tokyo.domain, day: "scheduled" });
    // 04:00 in Tokyo is 19:00 UTC; in Lima 09:00 UTC
    expect(new Date(next.timestamp + next.delay).getUTCHours()).toBe(19);
    const limaNext = (await queues.jobs("loyalty")).find((job) => job.data.shopDomain === lima.domain)!;
    expect(new Date(limaNext.timestamp + limaNext.delay).getUTCHours()).toBe(9);

    await unscheduleShopJobs(jobs, tokyo.domain);
    expect(Object.keys(await schedulers())).toEqual([loyaltySchedulerId(lima.domain)]);
    await unscheduleShopJobs(jobs, lima.domain);
  });
});
