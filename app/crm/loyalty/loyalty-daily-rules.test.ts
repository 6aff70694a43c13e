// Pure rules behind the daily pass's Shopify reads and expiry notices.
import { describe, expect, it } from "vitest";

import { birthdayFromMetafield } from "./birthday-metafield";
import { collectionsChanged, parseCollectionIds } from "./excluded-collections";
import { expiryNoticeDue, expiryNoticeWindows, type LedgerLine } from "./points-expiry";

describe("birthdayFromMetafield", () => {
  it("reads month and day of a date metafield, and nothing else", () => {
    expect(birthdayFromMetafield({ value: "1990-03-14", type: "date" })).toEqual({ month: 3, day: 14 });
    expect(birthdayFromMetafield({ value: "2000-02-29", type: "date" })).toEqual({ month: 2, day: 29 });
    expect(birthdayFromMetafield({ value: "1990-02-30", type: "date" })).toBeNull();
    expect(birthdayFromMetafield({ value: "1990-03-14", type: "single_line_text_field" })).toBeNull();
    expect(birthdayFromMetafield({ value: "14/03/1990", type: "date" })).toBeNull();
    expect(birthdayFromMetafield(null)).toBeNull();
  });
});

describe("parseCollectionIds", () => {
  it("takes numeric ids and collection gids, once each, in the order given", () => {
    expect(parseCollectionIds("12, gid://shopify/Collection/34\n12  56")).toEqual({
      ok: true,
      ids: ["12", "34", "56"],
    });
    expect(parseCollectionIds("  ")).toEqual({ ok: true, ids: [] });
    expect(parseCollectionIds("gid://shopify/Product/9")).toMatchObject({ ok: false });
    expect(parseCollectionIds("summer")).toMatchObject({ ok: false, error: expect.stringContaining("summer") });
  });

  it("tells a changed collection from a reordered one", () => {
    const stored = [{ id: "1", productIds: ["5", "6"] }];
    expect(collectionsChanged(stored, [{ id: "1", productIds: ["6", "5"] }])).toBe(false);
    expect(collectionsChanged(stored, [{ id: "1", productIds: ["5"] }])).toBe(true);
  });
});

describe("expiry notices", () => {
  const day = 86_400_000;
  const now = new Date("2026-10-01T04:00:00Z");
  const lot = (id: number, points: number, expiresInDays: number): LedgerLine => ({
    id: BigInt(id),
    points,
    kind: "earn",
    createdAt: new Date(now.getTime() - 300 * day),
    expiresAt: new Date(now.getTime() + expiresInDays * day),
  });
  const perLot = { policy: "per_lot" as const, months: 12 };

  it("warn the program's days ahead, then a week ahead", () => {
    expect(expiryNoticeWindows(30)).toEqual([7, 30]);
    expect(expiryNoticeWindows(5)).toEqual([5]);
    expect(expiryNoticeWindows(0)).toEqual([]);
  });

  it("give the narrowest window that holds the next expiry, never one already past", () => {
    expect(expiryNoticeDue(perLot, [lot(1, 100, 20)], 100, now, 30)).toMatchObject({ points: 100, daysAhead: 30 });
    expect(expiryNoticeDue(perLot, [lot(1, 100, 5)], 100, now, 30)).toMatchObject({ points: 100, daysAhead: 7 });
    expect(expiryNoticeDue(perLot, [lot(1, 100, 45)], 100, now, 30)).toBeNull();
    // Spent points do not expire: 100 earned, 70 spent, 30 expiring
    const spent: LedgerLine = { ...lot(2, -70, 0), kind: "redeem", expiresAt: null };
    expect(expiryNoticeDue(perLot, [lot(1, 100, 20), spent], 30, now, 30)).toMatchObject({ points: 30 });
    expect(expiryNoticeDue({ policy: "none" }, [lot(1, 100, 5)], 100, now, 30)).toBeNull();
  });

  it("under the inactivity policy, warn before the whole balance lapses", () => {
    const last: LedgerLine = { ...lot(1, 80, 0), expiresAt: null, createdAt: new Date("2025-10-20T00:00:00Z") };
    expect(expiryNoticeDue({ policy: "inactivity", months: 12 }, [last], 80, now, 30)).toEqual({
      points: 80,
      at: new Date("2026-10-20T00:00:00Z"),
      daysAhead: 30,
    });
  });
});
