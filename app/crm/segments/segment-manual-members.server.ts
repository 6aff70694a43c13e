// "Add to segment" (the Customers list's bulk action): the customers become members at once and
// stay members at every recompute, whatever the rule says.
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import { requestSegmentSync } from "./segment-jobs.server";
import { addManualMembers } from "./segment-membership.repository.server";

export async function addCustomersToSegment(
  db: PrismaClient,
  input: {
    shopId: number;
    segmentId: number;
    customerIds: bigint[];
    staffUserId?: bigint | null;
    /** When given, the new members are sent to Shopify (tag, metafield, Flow) soon after. */
    jobs?: JobQueues;
    now?: Date;
  },
): Promise<{ added: number; entered: number; ignored: number }> {
  const outcome = await addManualMembers(db, {
    shopId: input.shopId,
    segmentId: input.segmentId,
    customerIds: input.customerIds,
    staffUserId: input.staffUserId ?? null,
    now: input.now ?? new Date(),
  });
  if (input.jobs && outcome.entered > 0) await requestSegmentSync(input.jobs, input.shopId);
  return outcome;
}
