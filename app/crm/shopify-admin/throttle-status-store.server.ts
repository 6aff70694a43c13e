// Each shop's last known throttle status, shared by every worker process through Redis.
//
// Why not BullMQ's rate limiting: `Worker.RateLimitError` / `queue.rateLimit` pause the
// whole queue, so one shop draining its bucket would stall every other shop's jobs, and
// Shopify's limit is per shop and cost-based, not a count of jobs. Instead each call reads
// the shop's status here and waits in place until the projected bucket holds its cost;
// the THROTTLED retry in the client covers the race between processes.
import type { Redis } from "ioredis";

import type { ObservedThrottleStatus } from "./throttle-wait";

export interface ThrottleStatusStore {
  get(shop: string): Promise<ObservedThrottleStatus | null>;
  set(shop: string, status: ObservedThrottleStatus): Promise<void>;
}

// A status older than this says nothing useful: the bucket has refilled anyway.
const STATUS_TTL_SECONDS = 120;

export function createRedisThrottleStatusStore(redis: Redis, prefix: string): ThrottleStatusStore {
  const key = (shop: string) => `${prefix}:shopify-throttle:${shop}`;
  return {
    async get(shop) {
      const raw = await redis.get(key(shop));
      if (!raw) return null;
      try {
        return JSON.parse(raw) as ObservedThrottleStatus;
      } catch {
        return null;
      }
    },
    async set(shop, status) {
      await redis.set(key(shop), JSON.stringify(status), "EX", STATUS_TTL_SECONDS);
    },
  };
}

/** For a single process (tests, scripts): the same contract without Redis. */
export function createMemoryThrottleStatusStore(): ThrottleStatusStore {
  const statuses = new Map<string, ObservedThrottleStatus>();
  return {
    get: async (shop) => statuses.get(shop) ?? null,
    set: async (shop, status) => void statuses.set(shop, status),
  };
}
