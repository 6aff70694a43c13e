// Redis connections for BullMQ. Workers need maxRetriesPerRequest: null (BullMQ's
// blocking commands); the app's enqueue side fails fast instead of hanging a request.
import { Redis, type RedisOptions } from "ioredis";

export function createRedisConnection(redisUrl: string, role: "worker" | "producer"): Redis {
  const options: RedisOptions =
    role === "worker"
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 2, enableOfflineQueue: false, connectTimeout: 2_000 };
  return new Redis(redisUrl, { lazyConnect: false, ...options });
}
