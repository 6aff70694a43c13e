// bulk_operations/finish: the history import's operation finished; its result is imported
// by a backfill job (the same job id as the polling fallback's, so only one runs).
import type { DeliveryHandler } from "../ingest/webhook-handler";
import { enqueueBulkResultImport } from "./history-import.server";
import { findRunByBulkOperation } from "./history-import.repository.server";

const handleBulkOperationFinish: DeliveryHandler = async (deps, delivery) => {
  const payload = delivery.payload as { admin_graphql_api_id?: unknown; status?: unknown };
  if (typeof payload?.admin_graphql_api_id !== "string") return "ignored";
  const run = await findRunByBulkOperation(deps.db, delivery.shopDomain, payload.admin_graphql_api_id);
  // Not one of ours (another import already moved on, or an operation we did not start).
  if (!run || run.status !== "running") return "ignored";
  await enqueueBulkResultImport(deps.jobs, {
    shopDomain: delivery.shopDomain,
    runId: run.id,
    bulkOperationId: payload.admin_graphql_api_id,
  });
  deps.logger.info({ shop: delivery.shopDomain, runId: run.id, status: payload.status }, "bulk operation finished");
  return "applied";
};

export const HISTORY_WEBHOOK_HANDLERS: Record<string, DeliveryHandler> = {
  "bulk_operations/finish": handleBulkOperationFinish,
};
