// Each shop's cost bucket as the app's calls share it, in Redis for every worker process.
//
// Why not BullMQ's rate limiting: `Worker.RateLimitError` / `queue.rateLimit` pause the
// whole queue, so one shop draining its bucket would stall every other shop's jobs, and
// Shopify's limit is per shop and cost-based, not a count of jobs. Instead each call reserves
// its cost here, atomically, and waits in place for as long as the bucket less the other calls'
// reservations is short (throttle-wait.ts reserveWaitMs). Its answer releases the reservation
// and Shopify's reported bucket replaces ours, so the estimate cannot drift: keeping our lower
// figure instead left every refunded point (requested cost above actual, failed attempts)
// missing for good, until calls waited a minute each. The THROTTLED retry in the client still
// covers what this cannot see.
import { randomUUID } from "node:crypto";

import type { Redis } from "ioredis";

import { boundedWaitMs, RESERVATION_HOLD_MS, reserveWaitMs, type ObservedThrottleStatus } from "./throttle-wait";

export interface ThrottleReservation {
  /** How long to wait before sending (ms). */
  waitMs: number;
  /** What settle() needs to release the points. */
  id: string;
}

export interface ThrottleStatusStore {
  /** Reserves `cost` points of the shop's bucket for one call. */
  reserve(shop: string, cost: number, nowMs: number): Promise<ThrottleReservation>;
  /**
   * The call is over: its points are no longer reserved, and Shopify's status, when the answer
   * carried one, is the bucket from now on. Every reserve is settled, answered or not.
   */
  settle(shop: string, reservationId: string, status: ObservedThrottleStatus | null): Promise<void>;
}

// A bucket older than this says nothing useful: it has refilled anyway.
const STATUS_TTL_SECONDS = 120;

// reserveWaitMs of throttle-wait.ts, run in Redis so that processes cannot interleave between
// the read and the write. KEYS[1] is the bucket Shopify last reported (a hash: available, at,
// max, rate); KEYS[2] the calls' reservations (a sorted set of "<id>:<points>" by expiry).
const RESERVE = `
local now = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local reserved = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  reserved = reserved + tonumber(string.match(member, ':([%d.]+)$'))
end
local b = redis.call('HMGET', KEYS[1], 'available', 'at', 'max', 'rate')
local needed = tonumber(ARGV[1])
local wait = 0
if b[1] then
  needed = math.min(needed, tonumber(b[3]))
  local refilled = math.min(tonumber(b[3]), tonumber(b[1]) + math.max(0, now - tonumber(b[2])) / 1000 * tonumber(b[4]))
  local free = refilled - reserved
  if free < needed then wait = math.ceil((needed - free) / math.max(tonumber(b[4]), 1) * 1000) end
end
local hold = wait + tonumber(ARGV[4])
redis.call('ZADD', KEYS[2], now + hold, ARGV[3] .. ':' .. needed)
redis.call('PEXPIRE', KEYS[2], hold)
return {wait, ARGV[3] .. ':' .. needed}
`;
// An answer older than the bucket's last report (answers cross) does not overwrite it.
const SETTLE = `
redis.call('ZREM', KEYS[2], ARGV[1])
if ARGV[2] == '' then return 0 end
local at = redis.call('HGET', KEYS[1], 'at')
if at and tonumber(at) > tonumber(ARGV[5]) then return 0 end
redis.call('HSET', KEYS[1], 'available', ARGV[2], 'max', ARGV[3], 'rate', ARGV[4], 'at', ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[6])
return 1
`;

export function createRedisThrottleStatusStore(redis: Redis, prefix: string): ThrottleStatusStore {
  const keys = (shop: string) => [`${prefix}:shopify-bucket:${shop}`, `${prefix}:shopify-bucket:${shop}:reserved`];
  return {
    async reserve(shop, cost, nowMs) {
      const [wait, id] = (await redis.eval(
        RESERVE,
        2,
        ...keys(shop),
        cost,
        nowMs,
        randomUUID(),
        RESERVATION_HOLD_MS,
      )) as [number, string];
      // Bounded as reserveWaitMs bounds its waits.
      return { waitMs: Number(wait) === 0 ? 0 : boundedWaitMs(Number(wait)), id };
    },
    async settle(shop, reservationId, status) {
      await redis.eval(
        SETTLE,
        2,
        ...keys(shop),
        reservationId,
        status?.currentlyAvailable ?? "",
        status?.maximumAvailable ?? "",
        status?.restoreRate ?? "",
        status?.observedAtMs ?? "",
        STATUS_TTL_SECONDS,
      );
    },
  };
}

/** For a single process (tests, scripts): the same contract without Redis. */
export function createMemoryThrottleStatusStore(): ThrottleStatusStore {
  const buckets = new Map<string, ObservedThrottleStatus>();
  const reservations = new Map<string, Map<string, { points: number; expiresAt: number }>>();
  return {
    async reserve(shop, cost, nowMs) {
      const held = reservations.get(shop) ?? new Map<string, { points: number; expiresAt: number }>();
      reservations.set(shop, held);
      for (const [id, reservation] of held) if (reservation.expiresAt <= nowMs) held.delete(id);
      const bucket = buckets.get(shop) ?? null;
      const reserved = [...held.values()].reduce((sum, reservation) => sum + reservation.points, 0);
      const waitMs = reserveWaitMs(bucket, reserved, cost, nowMs);
      const id = randomUUID();
      const points = bucket ? Math.min(cost, bucket.maximumAvailable) : cost;
      held.set(id, { points, expiresAt: nowMs + waitMs + RESERVATION_HOLD_MS });
      return { waitMs, id };
    },
    async settle(shop, reservationId, status) {
      reservations.get(shop)?.delete(reservationId);
      const last = buckets.get(shop);
      if (status && !(last && last.observedAtMs > status.observedAtMs)) buckets.set(shop, status);
    },
  };
}
