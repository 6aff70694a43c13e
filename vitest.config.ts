import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Integration tests use a real PostgreSQL database made for this run (test/global-setup.ts)
// and real Redis under a per-file key prefix.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: [
      "app/**/*.test.{ts,tsx}",
      "workers/**/*.test.ts",
      "test/**/*.test.ts",
      "prisma/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup-env.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: {
      NODE_ENV: "test",
      SHOPIFY_API_KEY: "kinship-test-api-key",
      SHOPIFY_API_SECRET: "kinship-test-api-secret",
      SHOPIFY_APP_URL: "http://127.0.0.1:3456",
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      LOG_LEVEL: "silent",
    },
  },
});
