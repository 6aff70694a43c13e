import { describe, expect, it } from "vitest";

import { formatAge, safeErrorMessage, statusCounts } from "./data-health";
import { deliveryJobId, deliveryJobTarget, inboxDeliveryOf, isFinalFailure } from "./delivery-jobs";

describe("data health rules", () => {
  it("counts every status, zero when absent, and ignores unknown ones", () => {
    expect(
      statusCounts([
        { status: "applied", count: 3 },
        { status: "failed", count: 1 },
        { status: "odd", count: 9 },
      ]),
    ).toEqual({
      received: 0,
      applied: 3,
      ignored: 0,
      failed: 1,
    });
  });

  it("formats ages from seconds to days", () => {
    expect([0, 45_000, 12 * 60_000, 3 * 3600_000, 185 * 60_000, 52 * 3600_000].map(formatAge)).toEqual([
      "0 s",
      "45 s",
      "12 min",
      "3 h",
      "3 h 5 min",
      "2 d 4 h",
    ]);
  });

  it("masks e-mail addresses and phone numbers in an error, keeps ids, and caps its length", () => {
    // Given errors quoting a payload's values
    const message = "customer ada.l@example.org (+1 555-555-0123) of order 5000000000001 is invalid";
    // Then the personal values are masked and the id stays
    expect(safeErrorMessage(message)).toBe("customer [e-mail] ([phone]) of order 5000000000001 is invalid");
    expect(safeErrorMessage("x".repeat(2_000))).toHaveLength(500);
  });
});

describe("delivery jobs", () => {
  it("name the first run after the delivery and each retry after its attempts so far", () => {
    expect(deliveryJobId(42n, 0)).toBe("delivery-42");
    expect(deliveryJobId(42n, 8)).toBe("delivery-42-retry-8");
  });

  it("send compliance topics to the privacy queue and the rest to ingest", () => {
    expect(deliveryJobTarget("customers/redact")).toEqual({ queue: "privacy", name: "apply-request" });
    expect(deliveryJobTarget("orders/create")).toEqual({ queue: "ingest", name: "apply-webhook" });
  });

  it("call a failure final when attempts are used up or the error is unrecoverable", () => {
    const transient = new Error("timeout");
    const unrecoverable = Object.assign(new Error("bad payload"), { name: "UnrecoverableError" });
    expect(isFinalFailure({ attemptsMade: 3, opts: { attempts: 8 } }, transient)).toBe(false);
    expect(isFinalFailure({ attemptsMade: 8, opts: { attempts: 8 } }, transient)).toBe(true);
    expect(isFinalFailure({ attemptsMade: 1, opts: { attempts: 8 } }, unrecoverable)).toBe(true);
    expect(isFinalFailure({ attemptsMade: 1, opts: {} }, transient)).toBe(true);
  });

  it("recognise inbox job payloads only", () => {
    expect(inboxDeliveryOf({ deliveryId: "12", shopDomain: "a.myshopify.com" })).toEqual({
      deliveryId: 12n,
      shopDomain: "a.myshopify.com",
    });
    expect(inboxDeliveryOf({})).toBeNull();
    expect(inboxDeliveryOf({ deliveryId: "1 OR 1", shopDomain: "a" })).toBeNull();
  });
});
