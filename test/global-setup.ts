// One throwaway PostgreSQL database per test run, migrated by our own runner
// (the same code path as `npm run setup`), dropped at the end.
import { randomBytes } from "node:crypto";

import type { TestProject } from "vitest/node";

import { applyMigrations, dropDatabase, ensureDatabase } from "../prisma/migrator";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const base = new URL(
    process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/kinship",
  );
  base.pathname = `/kinship_test_${randomBytes(4).toString("hex")}`;
  const databaseUrl = base.toString();
  await ensureDatabase(databaseUrl);
  await applyMigrations(databaseUrl);
  project.provide("databaseUrl", databaseUrl);
  return async () => {
    await dropDatabase(databaseUrl);
  };
}
