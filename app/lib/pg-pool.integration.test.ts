// A pool of createPgPool across a whole PostgreSQL server crash and restart, on a throwaway
// server of the test's own (the shared one serves everyone else): nobody tells the pool, and
// the workers and the webhook server rely on it finding the server again by itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startPrivatePostgres, type PrivatePostgres } from "../../scripts/chaos/private-postgres";
import { createPgPool, PG_CONNECTION_TIMEOUT_MS } from "./pg-pool.server";

describe("createPgPool across a PostgreSQL crash and restart", () => {
  let server: PrivatePostgres;
  beforeAll(async () => {
    server = await startPrivatePostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("fails its callers while the server is down, then serves every slot again once it is back", async () => {
    // Given a pool whose connections are all open: two idle, one checked out and never released
    const pool = createPgPool(server.url, { name: "restart-test", max: 3 });
    const held = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
    held[0]!.release();
    held[1]!.release();
    const neverReleased = held[2]!;

    // When the server crashes (immediate stop: every connection cut, no checkpoint)
    await server.crash();

    // Then a caller gets an error at once instead of waiting, and the cut idle connections
    // do not crash the process (an 'error' without a listener would)
    const started = performance.now();
    await expect(pool.query("SELECT 1")).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(PG_CONNECTION_TIMEOUT_MS);
    await expect(neverReleased.query("SELECT 1")).rejects.toThrow();

    // When the server is started again (crash recovery first)
    await server.start();

    // Then all three slots serve at once: the checked-out connection's slot was taken back
    const answers = await Promise.all(
      [1, 2, 3].map((n) => pool.query<{ n: number }>("SELECT $1::int AS n, pg_sleep(0.2)", [n])),
    );
    expect(answers.map((answer) => answer.rows[0]!.n)).toEqual([1, 2, 3]);
    expect(pool.totalCount).toBeLessThanOrEqual(3);
    await pool.end();
  }, 60_000);
});
