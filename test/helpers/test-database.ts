// A Prisma client on this run's throwaway database (see test/global-setup.ts).
import { createPrismaClient, type PrismaClient } from "../../app/db.server";

export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url?.includes("kinship_test_")) throw new Error("Tests must run on the throwaway test database");
  return url;
}

export function createTestPrisma(): PrismaClient {
  return createPrismaClient(testDatabaseUrl());
}
