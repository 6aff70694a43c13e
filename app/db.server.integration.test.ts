// The process's client under a burst: every connection of its pool busy for longer than Prisma's
// default 2 s wait. A shop-scoped query (a transaction of its own) waits for a free connection
// and answers, instead of failing with "Unable to start a transaction in the given time".
import { afterAll, describe, expect, it } from "vitest";

import { createTestPrisma } from "../test/helpers/test-database";
import { shopScopedDb } from "./crm/tenancy/shop-scoped-db.repository.server";

const db = createTestPrisma();
afterAll(() => db.$disconnect());

describe("a query while the pool is full", () => {
  it("waits for a connection for more than 2 s", async () => {
    // Given the pool's 10 connections each held for 3 s
    const held = Array.from({ length: 10 }, () =>
      db.$transaction(async (tx) => tx.$queryRawUnsafe("SELECT pg_sleep(3)::text AS slept"), { timeout: 10_000 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    // When a request's scoped query comes in
    const started = Date.now();
    const answer = await shopScopedDb(db, "no-such-shop.myshopify.com").$queryRawUnsafe<{ one: number }[]>(
      "SELECT 1 AS one",
    );
    // Then it answers once a connection is free
    expect(answer).toEqual([{ one: 1 }]);
    expect(Date.now() - started).toBeGreaterThan(2_000);
    await Promise.all(held);
  });
});
