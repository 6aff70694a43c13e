import { describe, expect, it } from "vitest";

import { createRedisConnection } from "./redis.server";

describe("the app's Redis connection", () => {
  it("runs a command issued before the connection is up", async () => {
    // Given a connection just created (the app creates them on first use, inside a request)
    const redis = createRedisConnection(process.env.REDIS_URL!, "producer");
    try {
      // When a command is sent at once, Then it is answered instead of failing "Stream isn't writeable"
      await expect(redis.ping()).resolves.toBe("PONG");
    } finally {
      redis.disconnect();
    }
  });

  it("gives up quickly when Redis does not answer", async () => {
    // Given a connection to a port where nothing listens
    const redis = createRedisConnection("redis://127.0.0.1:1", "producer");
    const started = Date.now();
    try {
      // When a command is sent, Then it fails within seconds rather than hanging the request
      await expect(redis.ping()).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      redis.disconnect();
    }
  });
});
