// The Customers list table's rebuild as a job: chained after an analytics run (whose score write
// leaves the table's scores to it) and after a history import (whose batches do the same with
// the profiles). One job per request; builds of one shop take turns (rebuildCustomerListTable).
import type { JobQueues } from "../../jobs/job-queues.server";
import { FREE_ID_WHEN_DONE } from "../../jobs/queues";

/** `reason` names what changed (an analytics run id, a sync run id), so retries collapse. */
export async function requestCustomerListRebuild(jobs: JobQueues, shopId: number, reason: string) {
  await jobs.add(
    "analytics",
    "rebuild-customer-list",
    { shopId },
    { jobId: `customer-list-${shopId}-${reason}`, ...FREE_ID_WHEN_DONE },
  );
}
