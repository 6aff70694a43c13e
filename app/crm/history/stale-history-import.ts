// When a running history import counts as stale, so that a new import may take over:
// its worker died (no heartbeat: batches and polls both beat it), or Shopify lost or ended
// its bulk operation. Without this, one dead run would block every later import.
import type { BulkOperationState } from "./bulk-queries";

/** A run's heartbeat is older than this: nothing is working on it any more. */
export const STALE_IMPORT_AFTER_MS = 10 * 60_000;

const ENDED_WITHOUT_RESULT = new Set(["FAILED", "CANCELED", "EXPIRED"]);

export interface RunningImport {
  bulkOperationId: string | null;
  startedAt: Date;
  heartbeatAt: Date | null;
}

/**
 * Why the running import is stale, or null when it is alive. `operation` is what the API
 * reports for the run's bulk operation (null: not found); ignored when the run has none.
 */
export function staleImportReason(
  run: RunningImport,
  operation: Pick<BulkOperationState, "status" | "errorCode"> | null,
  now: Date,
): string | null {
  if (run.bulkOperationId !== null) {
    if (!operation) return `Taken over: bulk operation ${run.bulkOperationId} was not found in Shopify`;
    if (ENDED_WITHOUT_RESULT.has(operation.status)) {
      const code = operation.errorCode ? ` (${operation.errorCode})` : "";
      return `Taken over: bulk operation ${run.bulkOperationId} ended ${operation.status}${code}`;
    }
  }
  const lastBeat = run.heartbeatAt ?? run.startedAt;
  if (now.getTime() - lastBeat.getTime() >= STALE_IMPORT_AFTER_MS) {
    return `Taken over: no progress since ${lastBeat.toISOString()}`;
  }
  return null;
}
