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

/** Before sending: 0 when the bucket should hold `cost`, else the wait until it does. */
export function waitBeforeSendingMs(status: ObservedThrottleStatus | null, cost: number, nowMs: number): number {
  if (!status) return 0;
  const needed = Math.min(cost, status.maximumAvailable);
  const available = projectedAvailable(status, nowMs);
  if (available >= needed) return 0;
  return bounded(((needed - available) / Math.max(status.restoreRate, 1)) * 1000);
}

/** HTTP Retry-After (seconds, possibly fractional, or an HTTP date) in ms; 1 s when absent. */
export function retryAfterMs(header: string | null, nowMs: number): number {
  if (!header) return 1_000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return bounded(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1_000 : bounded(at - nowMs);
}
