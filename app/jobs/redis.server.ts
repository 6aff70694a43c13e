// Redis connections for BullMQ. Workers need maxRetriesPerRequest: null (BullMQ's
// blocking commands); the app's enqueue side fails fast instead of hanging a request: a command
// waits for the first connection (the offline queue: without it the first command of a fresh
// connection failed with "Stream isn't writeable"), but is given up after two reconnection attempts.
import { Redis, type RedisOptions } from "ioredis";

export function createRedisConnection(redisUrl: string, role: "worker" | "producer"): Redis {
  const options: RedisOptions =
    role === "worker"
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 2_000 };
  return new Redis(redisUrl, { lazyConnect: false, ...options });
}
