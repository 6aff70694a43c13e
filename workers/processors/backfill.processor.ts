import { type Job, UnrecoverableError } from "bullmq";

import {
  type HistoryImportDeps,
  importBulkResult,
  pollBulkOperation,
  startHistoryImport,
} from "../../app/crm/history/history-import.server";
import { BulkJsonlError } from "../../app/crm/history/bulk-jsonl";
import { HistoryRunMovedOnError } from "../../app/crm/history/history-batch-writer.repository.server";
import { HistoryRecordError } from "../../app/crm/history/history-records";
import { ShopifyAdminError } from "../../app/crm/shopify-admin/shopify-admin-error";
import type { JobPayloads } from "../../app/jobs/queues";
import { createJobScopes, shopOfJob } from "./job-shop";

type Payload<N extends keyof JobPayloads["backfill"]> = JobPayloads["backfill"][N];

// Lost access, malformed data and a run taken over by a newer import do not get better with
// retries; throttling and outages do.
function asUnrecoverable(error: unknown): unknown {
  if (error instanceof ShopifyAdminError && !error.transient) return new UnrecoverableError(error.message);
  if (error instanceof BulkJsonlError || error instanceof HistoryRecordError || error instanceof HistoryRunMovedOnError)
    return new UnrecoverableError(error.message);
  return error;
}

export function createBackfillProcessor(deps: HistoryImportDeps) {
  const scopes = createJobScopes(deps);
  return async (job: Job) => {
    try {
      // The import's COPY runs on its own connection (deps.databaseUrl), as the owner: listed.
      const shopDeps = scopes.byDomain(shopOfJob(job));
      switch (job.name) {
        case "import-history": {
          const run = await startHistoryImport(shopDeps, (job.data as Payload<"import-history">).shopDomain);
          return run ? { runId: run.id } : null;
        }
        case "poll-bulk-operation":
          return await pollBulkOperation(shopDeps, job.data as Payload<"poll-bulk-operation">);
        case "import-bulk-result":
          return await importBulkResult(shopDeps, job.data as Payload<"import-bulk-result">);
        default:
          throw new UnrecoverableError(`Unknown backfill job ${job.name}`);
      }
    } catch (error) {
      throw asUnrecoverable(error);
    }
  };
}
