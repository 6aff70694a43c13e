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

export const MIN_THROTTLE_WAIT_MS = 50;
export const MAX_THROTTLE_WAIT_MS = 60_000;

const bounded = (ms: number) => Math.min(MAX_THROTTLE_WAIT_MS, Math.max(MIN_THROTTLE_WAIT_MS, Math.ceil(ms)));

/** After a THROTTLED answer: the time for the bucket to hold the requested cost again. */
export function throttledRetryDelayMs(requestedCost: number, status: ThrottleStatus): number {
  const missing = Math.min(requestedCost, status.maximumAvailable) - status.currentlyAvailable;
  if (status.restoreRate <= 0) return MAX_THROTTLE_WAIT_MS;
  return bounded((Math.max(0, missing) / status.restoreRate) * 1000);
}

/** Points available now, projected from the last observed status. */
export function projectedAvailable(status: ObservedThrottleStatus, nowMs: number): number {
  const elapsedSeconds = Math.max(0, nowMs - status.observedAtMs) / 1000;
  return Math.min(status.maximumAvailable, status.currentlyAvailable + elapsedSeconds * status.restoreRate);
}

/**
 * The bucket as the app's calls share it: each call takes its cost when it asks (going below zero
 * is a queue), so callers asking at once are spread over the refill instead of all sending.
 * Returns the wait before sending and the bucket after; an unknown bucket (no answer seen) waits 0.
 */
export function reserveCost(
  bucket: ObservedThrottleStatus | null,
  cost: number,
  nowMs: number,
): { waitMs: number; bucket: ObservedThrottleStatus | null } {
  if (!bucket) return { waitMs: 0, bucket: null };
  const needed = Math.min(cost, bucket.maximumAvailable);
  const available = projectedAvailable(bucket, nowMs);
  const waitMs = available >= needed ? 0 : bounded(((needed - available) / Math.max(bucket.restoreRate, 1)) * 1000);
  return { waitMs, bucket: { ...bucket, currentlyAvailable: available - needed, observedAtMs: nowMs } };
}

/**
 * Shopify's answer against the shared bucket: the lower of the two. Ours is lower while other
 * calls' reservations are not yet charged; Shopify's is lower when something else spent points.
 */
export function observedBucket(
  bucket: ObservedThrottleStatus | null,
  reported: ObservedThrottleStatus,
): ObservedThrottleStatus {
  if (!bucket) return reported;
  const ours = projectedAvailable(bucket, reported.observedAtMs);
  return { ...reported, currentlyAvailable: Math.min(ours, reported.currentlyAvailable) };
}

/** HTTP Retry-After (seconds, possibly fractional, or an HTTP date) in ms; 1 s when absent. */
export function retryAfterMs(header: string | null, nowMs: number): number {
  if (!header) return 1_000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return bounded(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1_000 : bounded(at - nowMs);
}
