// Each shop's cost bucket as the app's calls share it, in Redis for every worker process.
//
// Why not BullMQ's rate limiting: `Worker.RateLimitError` / `queue.rateLimit` pause the
// whole queue, so one shop draining its bucket would stall every other shop's jobs, and
// Shopify's limit is per shop and cost-based, not a count of jobs. Instead each call takes its
// cost from the shop's bucket here, atomically, and waits in place for as long as the bucket
// is short (throttle-wait.ts reserveCost); Shopify's answers correct the bucket. Reading the
// status and sending, as before, let 32 callers see the same free points and all send: most
// came back THROTTLED. The THROTTLED retry in the client still covers what this cannot see.
import type { Redis } from "ioredis";

import {
  MAX_THROTTLE_WAIT_MS,
  MIN_THROTTLE_WAIT_MS,
  observedBucket,
  reserveCost,
  type ObservedThrottleStatus,
} from "./throttle-wait";

export interface ThrottleStatusStore {
  /** Takes `cost` points of the shop's bucket; returns the wait before sending (ms). */
  reserve(shop: string, cost: number, nowMs: number): Promise<number>;
  /** What Shopify reported after a call. */
  observe(shop: string, status: ObservedThrottleStatus): Promise<void>;
}

// A bucket older than this says nothing useful: it has refilled anyway.
const STATUS_TTL_SECONDS = 120;

// reserveCost and observedBucket of throttle-wait.ts, run in Redis so that processes cannot
// interleave between the read and the write. The bucket is a hash: available, at, max, rate.
const PROJECTED = `
local function projected(b, now)
  return math.min(tonumber(b[3]), tonumber(b[1]) + math.max(0, now - tonumber(b[2])) / 1000 * tonumber(b[4]))
end
`;
const RESERVE = `${PROJECTED}
local b = redis.call('HMGET', KEYS[1], 'available', 'at', 'max', 'rate')
if not b[1] then return 0 end
local now = tonumber(ARGV[2])
local needed = math.min(tonumber(ARGV[1]), tonumber(b[3]))
local available = projected(b, now)
local wait = 0
if available < needed then
  wait = math.ceil((needed - available) / math.max(tonumber(b[4]), 1) * 1000)
end
redis.call('HSET', KEYS[1], 'available', tostring(available - needed), 'at', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return wait
`;
const OBSERVE = `${PROJECTED}
local b = redis.call('HMGET', KEYS[1], 'available', 'at', 'max', 'rate')
local available = tonumber(ARGV[1])
if b[1] then available = math.min(available, projected(b, tonumber(ARGV[4]))) end
redis.call('HSET', KEYS[1], 'available', tostring(available), 'at', ARGV[4], 'max', ARGV[2], 'rate', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
`;

export function createRedisThrottleStatusStore(redis: Redis, prefix: string): ThrottleStatusStore {
  const key = (shop: string) => `${prefix}:shopify-bucket:${shop}`;
  return {
    async reserve(shop, cost, nowMs) {
      const wait = Number(await redis.eval(RESERVE, 1, key(shop), cost, nowMs, STATUS_TTL_SECONDS));
      // Bounded as reserveCost bounds its waits.
      return wait === 0 ? 0 : Math.min(MAX_THROTTLE_WAIT_MS, Math.max(MIN_THROTTLE_WAIT_MS, wait));
    },
    async observe(shop, status) {
      await redis.eval(
        OBSERVE,
        1,
        key(shop),
        status.currentlyAvailable,
        status.maximumAvailable,
        status.restoreRate,
        status.observedAtMs,
        STATUS_TTL_SECONDS,
      );
    },
  };
}

/** For a single process (tests, scripts): the same contract without Redis. */
export function createMemoryThrottleStatusStore(): ThrottleStatusStore {
  const buckets = new Map<string, ObservedThrottleStatus>();
  return {
    async reserve(shop, cost, nowMs) {
      const { waitMs, bucket } = reserveCost(buckets.get(shop) ?? null, cost, nowMs);
      if (bucket) buckets.set(shop, bucket);
      return waitMs;
    },
    async observe(shop, status) {
      buckets.set(shop, observedBucket(buckets.get(shop) ?? null, status));
    },
  };
}
