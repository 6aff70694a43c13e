import { describe, expect, it } from "vitest";

import { STALE_IMPORT_AFTER_MS, staleImportReason } from "./stale-history-import";

const now = new Date("2026-10-01T12:00:00.000Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const run = (heartbeatAt: Date | null, bulkOperationId: string | null = "gid://shopify/BulkOperation/7") => ({
  bulkOperationId,
  startedAt: ago(60 * 60_000),
  heartbeatAt,
});

describe("staleImportReason", () => {
  it("keeps a run whose heartbeat is recent and whose operation runs or completed", () => {
    expect(
      staleImportReason(run(ago(STALE_IMPORT_AFTER_MS - 1)), { status: "RUNNING", errorCode: null }, now),
    ).toBeNull();
    expect(staleImportReason(run(ago(1_000)), { status: "COMPLETED", errorCode: null }, now)).toBeNull();
    expect(staleImportReason(run(ago(1_000), null), null, now)).toBeNull();
  });

  it("takes over a run without a heartbeat for ten minutes, even if its operation still runs", () => {
    expect(staleImportReason(run(ago(STALE_IMPORT_AFTER_MS)), { status: "RUNNING", errorCode: null }, now)).toBe(
      "Taken over: no progress since 2026-10-01T11:50:00.000Z",
    );
    // A run that never beat counts from its start.
    expect(staleImportReason(run(null, null), null, now)).toBe(
      "Taken over: no progress since 2026-10-01T11:00:00.000Z",
    );
  });

  it("takes over at once a run whose operation Shopify lost or ended without a result", () => {
    expect(staleImportReason(run(ago(1_000)), null, now)).toBe(
      "Taken over: bulk operation gid://shopify/BulkOperation/7 was not found in Shopify",
    );
    expect(staleImportReason(run(ago(1_000)), { status: "EXPIRED", errorCode: null }, now)).toBe(
      "Taken over: bulk operation gid://shopify/BulkOperation/7 ended EXPIRED",
    );
    expect(staleImportReason(run(ago(1_000)), { status: "FAILED", errorCode: "INTERNAL_SERVER_ERROR" }, now)).toBe(
      "Taken over: bulk operation gid://shopify/BulkOperation/7 ended FAILED (INTERNAL_SERVER_ERROR)",
    );
  });
});
