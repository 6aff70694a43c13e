// Gathers the jobs a worker is running at the same time into one batch: with N jobs active,
// about N share each set of statements. Each job is answered with its own result, only once
// its batch is written, so a job that completes is applied; a worker killed mid-batch leaves
// its jobs active, and BullMQ's stalled-job check runs them again (every write is idempotent).
import { createMicroBatcher, type MicroBatcherOptions } from "../../lib/micro-batcher";
import type { DeliveryOutcome } from "./delivery-batch-handler";
import { applyWebhookDeliveries, type ApplyWebhookDeps } from "./apply-webhook.server";

/** A job's delivery: its id and the job's shop, which the delivery must belong to. */
export interface DeliveryJob {
  deliveryId: bigint;
  shopDomain: string;
}

export function createApplyWebhookBatcher(deps: ApplyWebhookDeps, options: MicroBatcherOptions = {}) {
  const batcher = createMicroBatcher<DeliveryJob, DeliveryOutcome>(
    (jobs) => applyWebhookDeliveries(deps, jobs),
    options,
  );
  return { apply: batcher.add };
}
