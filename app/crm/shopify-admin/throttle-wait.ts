// Shopify's cost-based throttle is a leaky bucket: `currentlyAvailable` points refill at
// `restoreRate` per second up to `maximumAvailable`, and a query needs its requested cost
// up front. These are the waits that follow from it.

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** A throttle status with the time it was observed (epoch ms). */
export interface ObservedThrottleStatus extends ThrottleStatus {
  observedAtMs: number;
}

const MIN_THROTTLE_WAIT_MS = 50;
const MAX_THROTTLE_WAIT_MS = 60_000;

/** A wait the client sleeps: at least MIN_THROTTLE_WAIT_MS, at most a minute. */
export const boundedWaitMs = (ms: number) =>
  Math.min(MAX_THROTTLE_WAIT_MS, Math.max(MIN_THROTTLE_WAIT_MS, Math.ceil(ms)));

/** After a THROTTLED answer: the time for the bucket to hold the requested cost again. */
export function throttledRetryDelayMs(requestedCost: number, status: ThrottleStatus): number {
  const missing = Math.min(requestedCost, status.maximumAvailable) - status.currentlyAvailable;
  if (status.restoreRate <= 0) return MAX_THROTTLE_WAIT_MS;
  return boundedWaitMs((Math.max(0, missing) / status.restoreRate) * 1000);
}

/** Points available now, projected from the last observed status. */
export function projectedAvailable(status: ObservedThrottleStatus, nowMs: number): number {
  const elapsedSeconds = Math.max(0, nowMs - status.observedAtMs) / 1000;
  return Math.min(status.maximumAvailable, status.currentlyAvailable + elapsedSeconds * status.restoreRate);
}

/**
 * The wait before sending a call of `cost` points: the shop's bucket as Shopify last reported it,
 * refilled since, less the points that calls sent or waiting to be sent have reserved. Callers
 * asking at once therefore queue over the refill instead of all sending into THROTTLED. Shopify's
 * report is the truth once a call is answered (it charged the actual cost and refunded the rest of
 * the requested one), so the bucket drifts from it by no more than what is still in flight.
 * An unknown bucket (no answer seen yet) waits 0.
 */
export function reserveWaitMs(
  bucket: ObservedThrottleStatus | null,
  reservedByOthers: number,
  cost: number,
  nowMs: number,
): number {
  if (!bucket) return 0;
  const needed = Math.min(cost, bucket.maximumAvailable);
  const free = projectedAvailable(bucket, nowMs) - reservedByOthers;
  return free >= needed ? 0 : boundedWaitMs(((needed - free) / Math.max(bucket.restoreRate, 1)) * 1000);
}

/** How long a reservation counts if its call is never settled (its process died): past any answer. */
export const RESERVATION_HOLD_MS = 120_000;

/** HTTP Retry-After (seconds, possibly fractional, or an HTTP date) in ms; 1 s when absent. */
export function retryAfterMs(header: string | null, nowMs: number): number {
  if (!header) return 1_000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return boundedWaitMs(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1_000 : boundedWaitMs(at - nowMs);
}
