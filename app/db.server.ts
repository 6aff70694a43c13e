// One Prisma client per process, on the pg driver adapter (no native query engine).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";

import { env } from "./config/env.server";

export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

declare global {
  // Reused across Vite dev-server reloads so that connections are not leaked.
  var kinshipPrisma: PrismaClient | undefined;
}

let client: PrismaClient | undefined = globalThis.kinshipPrisma;

/** The process's Prisma client, created on first use from DATABASE_URL. */
export function db(): PrismaClient {
  if (!client) {
    client = createPrismaClient(env().DATABASE_URL);
    globalThis.kinshipPrisma = client;
  }
  return client;
}

export type { PrismaClient };
