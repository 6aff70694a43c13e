// The dead letter: a delivery whose job failed for good is marked `failed` in the inbox,
// with its error and attempts, payload kept, for the data health card and its retry.
import type { PrismaClient } from "../../db.server";
import type { Logger } from "../../lib/logger.server";
import { safeErrorMessage } from "./data-health";
import { markDeliveryFailed } from "./delivery-health.repository.server";
import { inboxDeliveryOf, isFinalFailure } from "./delivery-jobs";

interface FailedJob {
  id?: string | undefined;
  data: unknown;
  attemptsMade: number;
  opts: { attempts?: number };
}

/** Call on every failed attempt; records only the final one, and only for inbox jobs. */
export async function recordDeadLetter(
  deps: { db: PrismaClient; logger: Logger },
  queue: string,
  job: FailedJob,
  error: Error,
): Promise<boolean> {
  const delivery = inboxDeliveryOf(job.data);
  if (!delivery || !isFinalFailure(job, error)) return false;
  const marked = await markDeliveryFailed(
    deps.db,
    { id: delivery.deliveryId, shopDomain: delivery.shopDomain },
    { error: safeErrorMessage(error.message), attempts: job.attemptsMade },
  );
  if (marked) deps.logger.warn({ queue, jobId: job.id, shop: delivery.shopDomain }, "webhook delivery dead-lettered");
  return marked;
}
