// Prisma CLI config: the JS schema engine and the pg driver adapter, so that
// `prisma generate` and `prisma migrate diff` run with no native engine download.
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  adapter: async () =>
    new PrismaPg({
      connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/kinship",
      // Let the CLI exit as soon as it is done instead of waiting for idle connections to time out.
      allowExitOnIdle: true,
      idleTimeoutMillis: 100,
    }),
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
