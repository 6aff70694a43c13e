// The data health card: how the shop's webhook deliveries fared over the last 7 days, and
// the merchant's retry of the dead letters.
import type { PrismaClient } from "../../db.server";
import type { JobQueues } from "../../jobs/job-queues.server";
import { formatShopDateTime } from "../../lib/shop-time";
import { findShopByDomain } from "../shop/shop.repository.server";
import { formatAge, safeErrorMessage, statusCounts, type DeliveryStatusCounts } from "./data-health";
import {
  countDeliveriesByStatus,
  findLastFailedDelivery,
  findOldestPendingDelivery,
  reopenFailedDeliveries,
} from "./delivery-health.repository.server";
import { enqueueDelivery } from "./enqueue-delivery.server";

const WINDOW_DAYS = 7;

export interface DataHealth {
  windowDays: number;
  counts: DeliveryStatusCounts;
  /** How long the oldest delivery not yet applied has waited, e.g. "12 min"; null when none waits. */
  oldestPendingAge: string | null;
  lastError: null | { topic: string; at: string; message: string };
}

export async function loadDataHealth(
  db: PrismaClient,
  shopDomain: string,
  timeZone: string,
  now = new Date(),
): Promise<DataHealth> {
  const since = new Date(now.getTime() - WINDOW_DAYS * 24 * 3600 * 1000);
  const [counts, oldest, failed] = await Promise.all([
    countDeliveriesByStatus(db, shopDomain, since),
    findOldestPendingDelivery(db, shopDomain),
    findLastFailedDelivery(db, shopDomain),
  ]);
  return {
    windowDays: WINDOW_DAYS,
    counts: statusCounts(counts),
    oldestPendingAge: oldest ? formatAge(now.getTime() - oldest.receivedAt.getTime()) : null,
    lastError: failed && {
      topic: failed.topic,
      at: formatShopDateTime(failed.processedAt ?? failed.receivedAt, timeZone),
      // Stored masked already; masked again for rows written before the dead letter did it.
      message: safeErrorMessage(failed.lastError ?? "Unknown error"),
    },
  };
}

/** The shop's zone for the card's times (UTC for a shop not recorded yet). */
export async function shopTimeZone(db: PrismaClient, shopDomain: string): Promise<string> {
  return (await findShopByDomain(db, shopDomain))?.ianaTimezone ?? "UTC";
}

/**
 * Re-enqueues the shop's failed deliveries: each goes back to `received` and gets a new job.
 * If Redis fails midway, the rest are still `received` and the inbox sweeper enqueues them.
 */
export async function retryFailedDeliveries(deps: { db: PrismaClient; jobs: JobQueues }, shopDomain: string) {
  const reopened = await reopenFailedDeliveries(deps.db, shopDomain);
  for (const delivery of reopened) await enqueueDelivery(deps.jobs, { ...delivery, shopDomain });
  return reopened.length;
}
