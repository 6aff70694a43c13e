// Tenant isolation through the embedded admin and admin extension routes: signed in as shop A,
// every route and parameter that could name shop B's customers, segments, ledger, rewards, tiers,
// privacy documents or audit entries is refused exactly like an id that exists nowhere, nothing
// of B appears in any answer, and B's rows are the same afterwards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { tenantSnapshot } from "../helpers/seed-tenant";
import { createTestPrisma } from "../helpers/test-database";
import { openTestQueues } from "../helpers/test-queues";
import { callRoute, closeTenantPair, fingerprints, openTenantPair, type TenantPair } from "./tenant-harness";
import { ROUTE_ENTRIES, type AdminCase } from "./tenant-route-cases";

const db = createTestPrisma();
const queues = openTestQueues();
let pair: TenantPair;
let bBefore: Awaited<ReturnType<typeof tenantSnapshot>>;

beforeAll(async () => {
  pair = await openTenantPair(db);
  bBefore = await tenantSnapshot(db, pair.b.shopId);
});

afterAll(async () => {
  await closeTenantPair(db, pair);
  await queues.cleanUp();
  await db.$disconnect();
});

// Built lazily: the ids exist only after beforeAll.
const adminRoutes = Object.entries(ROUTE_ENTRIES).flatMap(([file, entry]) =>
  entry.auth === "admin" ? [{ file, entry }] : [],
);

describe.each(adminRoutes)("$file as shop A", ({ file, entry }) => {
  it("refuses or ignores every attempt at shop B and leaks nothing", async () => {
    const cases: AdminCase[] = entry.cases(pair.a, pair.b);
    expect(cases.length).toBeGreaterThan(0);
    for (const attack of cases) {
      const outcome = await callRoute(pair.double, pair.a.domain, file, attack.call);
      const label = `${file} · ${attack.name} → ${outcome.status} ${outcome.body.slice(0, 300)}`;
      expect(outcome.status, label).toBeLessThan(500);
      for (const fingerprint of fingerprints(pair.b)) expect(outcome.body, label).not.toContain(fingerprint);
      if (attack.expect === "not-found") {
        const twin = await callRoute(pair.double, pair.a.domain, file, attack.unknownTwin!);
        // B's record and no record at all are indistinguishable.
        const [bId, unknownId] = attack.echo!;
        expect(normalise(outcome.body, bId), label).toBe(normalise(twin.body, unknownId));
        expect(outcome.status, label).toBe(twin.status);
        if (attack.call.method === "GET") expect([401, 403, 404], label).toContain(outcome.status);
      }
    }
  });
});

describe("shop B afterwards", () => {
  it("has exactly the rows it had before every attack", async () => {
    expect(await tenantSnapshot(db, pair.b.shopId)).toEqual(bBefore);
  });
});

// Request ids differ between two calls, formKey and messages ("No automation 12") repeat the id
// the caller posted; nothing else may differ.
function normalise(body: string, echoedId: string) {
  return body
    .replace(/"formKey":"[^"]*"/g, '"formKey":"<echo>"')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
    .replace(new RegExp(`\\b${echoedId}\\b`, "g"), "<id>");
}
