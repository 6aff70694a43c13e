// The pure loyalty rules: points maths, proportional reversals, tiers, expiry, referral abuse,
// ledger checks and idempotency keys.
import { describe, expect, it } from "vitest";

import { checkEntryAgainstBalance, ledgerKeys } from "./ledger-entry";
import { DEFAULT_PROGRAM_SETTINGS, excludedProductIds, parseProgramSettings } from "./loyalty-program";
import { planOrderEntries, type OrderForLedger } from "./order-ledger-plan";
import { orderPoints, pointsForAmount } from "./order-points";
import { dueExpiry, upcomingExpiry, type LedgerLine } from "./points-expiry";
import { proportionalSteps, roundedProportion } from "./refund-reversal";
import { normalisedEmail, referralBlockReason } from "./referral-rules";
import { discountCodeForRedemption, discountMutationFor, isLoyaltyDiscountCode } from "./reward-discount";
import { decideTier, nextTierProgress } from "./tiers";

const at = (iso: string) => new Date(iso);

describe("order points", () => {
  it("floors points on the subtotal after discounts, without excluded lines, shipping or tax", () => {
    const settings = parseProgramSettings({ earn: { pointsPerCurrencyUnit: 3 }, exclusions: { productIds: ["9"] } });
    const order = {
      subtotalMinor: 4_999n,
      shippingMinor: 500n,
      taxMinor: 800n,
      lines: [
        { shopifyId: 1n, productShopifyId: 8n, quantity: 2, priceMinor: 2_000n, discountMinor: 0n },
        { shopifyId: 2n, productShopifyId: 9n, quantity: 1, priceMinor: 999n, discountMinor: 0n },
      ],
    };
    expect(orderPoints(order, settings, excludedProductIds(settings), 2)).toEqual({ baseMinor: 4_000n, points: 120 });
    const withShipping = parseProgramSettings({ earn: { pointsPerCurrencyUnit: 1, includeShipping: true } });
    expect(orderPoints(order, withShipping, new Set(), 2).points).toBe(54); // 54.99 floors
    expect(pointsForAmount(1_999n, 2, 1, 1500)).toBe(29); // 19.99 × 1.5 = 29.985
    expect(pointsForAmount(1_999n, 0, 1)).toBe(1_999); // JPY has no minor unit
  });
});

describe("proportional reversal", () => {
  it("rounds half up in integers", () => {
    expect(roundedProportion(25n, 1n, 2n)).toBe(13n);
    expect(roundedProportion(10n, 1n, 3n)).toBe(3n);
  });

  it("partial refunds add up to exactly what was earned, never more, in any split", () => {
    const refunds = [300n, 300n, 400n, 500n].map((eligibleMinor, i) => ({
      shopifyId: BigInt(i + 1),
      refundedAt: at(`2026-01-0${i + 1}T00:00:00Z`),
      amountMinor: eligibleMinor,
      lines: [],
      eligibleMinor,
    }));
    const steps = proportionalSteps({ total: 7, eligibleTotalMinor: 1_000n, refunds, alreadyDone: new Map() });
    expect(steps.map((s) => s.points)).toEqual([2, 2, 3, 0]);
    // Continuing after the first two were written gives the same rest
    const later = proportionalSteps({
      total: 7,
      eligibleTotalMinor: 1_000n,
      refunds,
      alreadyDone: new Map([
        [1n, 2],
        [2n, 2],
      ]),
    });
    expect(later.map((s) => s.points)).toEqual([3, 0]);
  });
});

describe("order ledger plan", () => {
  const order: OrderForLedger = {
    shopifyId: 77n,
    financialStatus: "paid",
    processedAt: at("2026-05-01T00:00:00Z"),
    cancelledAt: null,
    subtotalMinor: 10_000n,
    shippingMinor: 0n,
    taxMinor: 0n,
    lines: [{ shopifyId: 1n, productShopifyId: 5n, quantity: 1, priceMinor: 10_000n, discountMinor: 0n }],
    refunds: [],
  };
  const plan = (o: OrderForLedger, existing: Parameters<typeof planOrderEntries>[0]["existing"] = [], redeemed = 0) =>
    planOrderEntries({
      order: o,
      settings: DEFAULT_PROGRAM_SETTINGS,
      currencyExponent: 2,
      multiplierPermille: 1000,
      launchedAt: at("2026-01-01T00:00:00Z"),
      existing,
      redeemedPointsUsed: redeemed,
      now: at("2026-05-02T00:00:00Z"),
    });

  it("earns nothing for unpaid orders or orders before the launch", () => {
    expect(plan({ ...order, financialStatus: "pending" })).toEqual([]);
    expect(plan({ ...order, processedAt: at("2025-12-31T00:00:00Z") })).toEqual([]);
  });

  it("writes nothing twice, and a cancellation only takes back what refunds have not", () => {
    const earned = plan(order);
    expect(earned).toEqual([expect.objectContaining({ kind: "earn", points: 100, idempotencyKey: "order:77:earn" })]);
    const existing = [
      { kind: "earn", points: 100, refundShopifyId: null, idempotencyKey: "order:77:earn", baseMinor: 10_000n },
    ];
    expect(plan(order, existing)).toEqual([]);
    const refunded = {
      ...order,
      refunds: [
        {
          shopifyId: 9n,
          refundedAt: at("2026-05-03T00:00:00Z"),
          amountMinor: 2_500n,
          lines: [{ lineItemShopifyId: 1n, subtotalMinor: 2_500n }],
        },
      ],
    };
    expect(plan(refunded, existing).map((d) => [d.kind, d.points])).toEqual([["reverse", -25]]);
    const withReversal = [
      ...existing,
      { kind: "reverse", points: -25, refundShopifyId: 9n, idempotencyKey: "refund:9:reverse" },
    ];
    expect(
      plan({ ...refunded, cancelledAt: at("2026-05-04T00:00:00Z") }, withReversal).map((d) => [d.kind, d.points]),
    ).toEqual([["reverse", -75]]);
  });

  it("gives back redeemed points in proportion, capped at what was spent", () => {
    const fullRefund = {
      ...order,
      refunds: [{ shopifyId: 9n, refundedAt: at("2026-05-03T00:00:00Z"), amountMinor: 99_999n, lines: [] }],
    };
    const drafts = plan(fullRefund, [], 300);
    expect(drafts.map((d) => [d.kind, d.points])).toEqual([
      ["earn", 100],
      ["reverse", -100],
      ["restore", 300],
    ]);
  });
});

describe("tiers", () => {
  const silver = { id: 1, name: "Silver", threshold: 100n, earnMultiplierPermille: 1000, entryBonusPoints: 0 };
  const gold = { id: 2, name: "Gold", threshold: 500n, earnMultiplierPermille: 1500, entryBonusPoints: 50 };
  const now = at("2026-06-01T00:00:00Z");

  it("enters at once, holds until the period ends, then drops to what the member qualifies for", () => {
    const up = decideTier({
      tiers: [silver, gold],
      current: { tierId: null, since: null, periodEndsAt: null },
      qualifyingValue: 600n,
      period: "calendar_year",
      now,
    });
    expect(up).toMatchObject({
      change: "upgrade",
      entered: gold,
      next: { tierId: 2, periodEndsAt: at("2027-01-01T00:00:00Z") },
    });
    const held = decideTier({
      tiers: [silver, gold],
      current: up.next,
      qualifyingValue: 150n,
      period: "calendar_year",
      now: at("2026-12-31T00:00:00Z"),
    });
    expect(held.change).toBe("none");
    const down = decideTier({
      tiers: [silver, gold],
      current: up.next,
      qualifyingValue: 150n,
      period: "calendar_year",
      now: at("2027-01-01T00:00:00Z"),
    });
    expect(down).toMatchObject({ change: "downgrade", next: { tierId: 1 } });
  });

  it("re-places a member whose tier was archived, and reports progress", () => {
    const decision = decideTier({
      tiers: [silver],
      current: { tierId: 2, since: now, periodEndsAt: at("2027-06-01T00:00:00Z") },
      qualifyingValue: 600n,
      period: "rolling_12_months",
      now,
    });
    expect(decision.next.tierId).toBe(1);
    expect(nextTierProgress([silver, gold], 1, 420n)).toEqual({ nextTier: gold, remaining: 80n });
  });
});

describe("expiry", () => {
  const line = (
    id: number,
    points: number,
    createdAt: string,
    expiresAt: string | null,
    kind = points > 0 ? "earn" : "redeem",
  ): LedgerLine => ({
    id: BigInt(id),
    points,
    kind,
    createdAt: at(createdAt),
    expiresAt: expiresAt ? at(expiresAt) : null,
  });

  it("per lot: spending uses the oldest lots first; only their unspent rest expires", () => {
    const lines = [
      line(1, 100, "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
      line(2, 50, "2025-06-01T00:00:00Z", "2026-06-01T00:00:00Z"),
      line(3, -80, "2025-07-01T00:00:00Z", null),
    ];
    const policy = { policy: "per_lot" as const, months: 12 };
    expect(dueExpiry(policy, lines, 70, at("2026-02-01T00:00:00Z"))).toEqual({ points: 20, anchorEntryId: 1n });
    expect(upcomingExpiry(policy, lines, 70, at("2026-05-10T00:00:00Z"), 30)).toEqual({
      points: 70,
      at: at("2026-06-01T00:00:00Z"),
    });
  });

  it("inactivity: the whole balance once N months pass without activity", () => {
    const lines = [line(1, 100, "2025-01-01T00:00:00Z", null)];
    expect(dueExpiry({ policy: "inactivity", months: 12 }, lines, 100, at("2025-12-31T00:00:00Z"))).toBeNull();
    expect(dueExpiry({ policy: "inactivity", months: 12 }, lines, 100, at("2026-01-01T00:00:00Z"))).toEqual({
      points: 100,
      anchorEntryId: 1n,
    });
    expect(dueExpiry({ policy: "none" }, lines, 100, at("2030-01-01T00:00:00Z"))).toBeNull();
  });
});

describe("referral rules", () => {
  it("blocks self-referral, the same e-mail in disguise, and existing customers", () => {
    const referrer = { customerId: 1n, email: "Jane.Doe@gmail.com" };
    expect(referralBlockReason({ referrer, friend: { customerId: 1n, email: "x@y.z", paidOrdersBefore: 0 } })).toBe(
      "self_referral",
    );
    expect(
      referralBlockReason({
        referrer,
        friend: { customerId: 2n, email: "janedoe+promo@googlemail.com", paidOrdersBefore: 0 },
      }),
    ).toBe("same_email");
    expect(
      referralBlockReason({ referrer, friend: { customerId: 2n, email: "bob@example.com", paidOrdersBefore: 1 } }),
    ).toBe("existing_customer");
    expect(
      referralBlockReason({ referrer, friend: { customerId: 2n, email: "bob@example.com", paidOrdersBefore: 0 } }),
    ).toBeNull();
    expect(normalisedEmail("  A.B+x@Example.com ")).toBe("a.b@example.com");
  });
});

describe("ledger entries and codes", () => {
  it("refuses overdrawing debits except a recorded reversal, and entries of the wrong sign", () => {
    expect(() => checkEntryAgainstBalance(10, { kind: "redeem", points: -11 })).toThrow(/exceeds/);
    expect(() => checkEntryAgainstBalance(10, { kind: "reverse", points: -11 })).not.toThrow();
    expect(() => checkEntryAgainstBalance(10, { kind: "earn", points: -1 })).toThrow(/cannot carry/);
    expect(() => checkEntryAgainstBalance(10, { kind: "adjust", points: 0 })).toThrow(/non-zero/);
  });

  it("derives keys from sources and codes from redemption ids", () => {
    expect(ledgerKeys.birthday(5n, 2026)).toBe("birthday:5:2026");
    expect(ledgerKeys.redemptionRestore(9n)).toBe("redemption:9:restore");
    const code = discountCodeForRedemption(123456789n);
    expect(code).toBe(discountCodeForRedemption(123456789n));
    expect(code).not.toBe(discountCodeForRedemption(123456790n));
    expect(isLoyaltyDiscountCode(code)).toBe(true);
    const mutation = discountMutationFor({
      reward: {
        id: 1,
        title: "Ship",
        kind: "free_shipping",
        pointsCost: 10,
        amountMinor: null,
        percentage: null,
        minimumSubtotalMinor: "5000",
        tierId: null,
      },
      code,
      customerGid: "gid://shopify/Customer/1",
      startsAt: at("2026-01-01T00:00:00Z"),
      toDecimal: (m) => (Number(m) / 100).toFixed(2),
    });
    expect(mutation).toMatchObject({
      mutation: "discountCodeFreeShippingCreate",
      variables: {
        freeShippingCodeDiscount: {
          usageLimit: 1,
          minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "50.00" } },
        },
      },
    });
  });
});
