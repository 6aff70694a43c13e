// Fixed-window request counters in Redis, shared by every app process: each key counts the
// requests of its window (INCR; the first request of a window sets its expiry), in one
// script so the count and the expiry can never drift apart. A denied request still counts,
// so a client that keeps hammering stays limited until the window ends.
import type { Redis } from "ioredis";

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the fullest counter's window ends (0 when allowed). */
  retryAfterSeconds: number;
}

// KEYS: one counter per limit; ARGV: window (ms) of each, in the same order.
// Returns for each key: count, then the window's remaining ms.
const COUNT_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('PEXPIRE', key, ARGV[i]) end
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then redis.call('PEXPIRE', key, ARGV[i]); ttl = tonumber(ARGV[i]) end
  table.insert(out, count)
  table.insert(out, ttl)
end
return out`;

export function createRateLimiter(redis: Redis, prefix: string) {
  return {
    /** Counts one request against every `[key, limit]`; allowed only if all are within their limit. */
    async hit(checks: readonly (readonly [string, RateLimit])[]): Promise<RateLimitDecision> {
      if (checks.length === 0) return { allowed: true, retryAfterSeconds: 0 };
      const keys = checks.map(([key]) => `${prefix}:rate-limit:${key}`);
      const windows = checks.map(([, limit]) => String(limit.windowMs));
      const result = (await redis.eval(COUNT_SCRIPT, keys.length, ...keys, ...windows)) as number[];
      let retryAfterMs = 0;
      checks.forEach(([, limit], index) => {
        const count = result[index * 2]!;
        const ttl = result[index * 2 + 1]!;
        if (count > limit.limit) retryAfterMs = Math.max(retryAfterMs, ttl);
      });
      return { allowed: retryAfterMs === 0, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) };
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
