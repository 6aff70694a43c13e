// Startup checks: PostgreSQL and Redis must answer before a process starts work,
// and a failure is one clear line, not a stack dump.
import { Redis } from "ioredis";
import pg from "pg";

export class ServiceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ServiceUnavailableError";
  }
}

function where(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol.startsWith("redis") ? "6379" : "5432")}`;
}

export async function checkPostgres(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    const code = (error as { code?: string }).code;
    const database = new URL(databaseUrl).pathname.slice(1);
    if (code === "3D000") {
      throw new ServiceUnavailableError(`PostgreSQL database "${database}" does not exist: run \`npm run setup\`.`);
    }
    throw new ServiceUnavailableError(
      `PostgreSQL is not answering at ${where(databaseUrl)} (${(error as Error).message || code}): start it or set DATABASE_URL.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkRedis(redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on("error", () => undefined); // reported below, once
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new ServiceUnavailableError(
      `Redis is not answering at ${where(redisUrl)} (${(error as Error).message}): start it or set REDIS_URL.`,
    );
  } finally {
    redis.disconnect();
  }
}

export async function checkServices(config: { DATABASE_URL: string; REDIS_URL: string }): Promise<void> {
  await checkPostgres(config.DATABASE_URL);
  await checkRedis(config.REDIS_URL);
}
