// The admin UI extensions' backend through the real routes: the library verifies the staff member's
// ID token (HS256 with the app secret, as Shopify adds it to the extension's fetch), the shop is the
// token's, and another shop's customer is not found. The adjustment is booked once per request id,
// with its staff audit entry.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  ADA as ada,
  BEN as ben,
  OLGA as olga,
  STAFF_ID,
  customerGid as gid,
  openAdminExtensionsStore,
} from "../../../test/helpers/admin-extensions-store";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { createJobQueues } from "../../jobs/job-queues.server";
import { loadCustomerInsights } from "./customer-insights.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const APP_URL = process.env.SHOPIFY_APP_URL!;

let store: Awaited<ReturnType<typeof openAdminExtensionsStore>>;
let routes: Parameters<typeof store.call>[0];
let shop: { id: number; domain: string };
let otherShop: { id: number; domain: string };
let adaMemberId: bigint;

beforeAll(async () => {
  routes = {
    customer: await import("../../routes/api.admin-extensions.customer.$id"),
    adjust: await import("../../routes/api.admin-extensions.adjust-points"),
  };
  store = await openAdminExtensionsStore(db, jobs);
  ({ shop, otherShop, adaMemberId } = store);
});

afterAll(async () => {
  await store.cleanUp();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

const staffToken = (...args: Parameters<typeof store.staffToken>) => store.staffToken(...args);

const getCustomer = (id: string, token?: string | null) =>
  store.call(routes, store.extensionRequest(`/api/admin-extensions/customer/${id}`, { token }));

const postAdjustment = (body: unknown, token?: string | null) =>
  store.call(
    routes,
    store.extensionRequest("/api/admin-extensions/adjust-points", {
      method: "POST",
      token,
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );

describe("customer details block data", () => {
  it("answers with the scores, points and tier of the shop's own customer, with CORS headers", async () => {
    const response = await getCustomer(String(ada));
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
    expect(await response.json()).toEqual({
      customerId: String(ada),
      customer360Path: `/app/customers/${ada}`,
      redacted: false,
      scores: {
        lifecycleStage: "At risk",
        rfmSegment: "Can't lose them",
        churnRisk: { band: "high", label: "High churn risk" },
        pAlive: "23%",
        predictedClv: { minor: "12345", currencyCode: "EUR" },
        computedAt: expect.stringMatching(/^Mar 1, 2025, 9:00\sAM GMT\+1$/),
      },
      loyalty: { status: "member", points: 250, tier: "Gold" },
    });
  });

  it("says a customer is not scored yet and not a member", async () => {
    const response = await getCustomer(String(ben));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ scores: null, loyalty: { status: "not_member" } });
  });

  it("answers 404 with nothing else for another shop's customer, and reads the own shop's row for a shared id", async () => {
    const response = await getCustomer(String(olga));
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: "not_found" });
    expect(text).not.toMatch(/olga|Champions|777|99999/);
    // The other shop's token sees its own customer with Ada's Shopify id, not this shop's.
    const theirs = await getCustomer(String(ada), staffToken(otherShop.domain));
    expect(await theirs.json()).toMatchObject({
      scores: { rfmSegment: "Champions", predictedClv: { minor: "99999", currencyCode: "USD" } },
      loyalty: { status: "member", points: 777, tier: null },
    });
  });

  it("answers 404 for an id that is not a Shopify customer id", async () => {
    for (const id of ["abc", "0", "99999999999999999999"]) expect((await getCustomer(id)).status).toBe(404);
  });

  it("answers the CORS preflight, and refuses a request without a valid token", async () => {
    const preflight = await store.call(
      routes,
      new Request(`${APP_URL}/api/admin-extensions/customer/${ada}`, {
        method: "OPTIONS",
        headers: { Origin: "https://extensions.shopifycdn.com", "Access-Control-Request-Headers": "authorization" },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const forged = await getCustomer(String(ada), staffToken(shop.domain, "not-the-app-secret"));
    expect(forged.status).toBe(401);
    expect(await forged.text()).not.toContain("Gold");
  });

  it("loads by shop id in one point lookup (what bench:admin times)", async () => {
    expect(await loadCustomerInsights(db, shop.id, ada)).toMatchObject({ loyalty: { points: 250 } });
    expect(await loadCustomerInsights(db, shop.id, olga)).toBeNull();
  });
});

describe("adjust points action", () => {
  const ledger = () =>
    db.loyaltyLedgerEntry.findMany({ where: { memberId: adaMemberId, kind: "adjust" }, orderBy: { id: "asc" } });

  it("answers 400 with field errors for a bad body, booking nothing", async () => {
    const before = (await ledger()).length;
    const bad = await postAdjustment({ customerId: gid(ada), points: "lots", reason: "", requestId: randomUUID() });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { ok: boolean; errors: Record<string, string> };
    expect(body.ok).toBe(false);
    expect(body.errors.points).toMatch(/whole number/);
    expect(body.errors.reason).toMatch(/reason/);

    const noCustomer = await postAdjustment({ customerId: "42", points: 5, reason: "x", requestId: randomUUID() });
    expect(noCustomer.status).toBe(400);
    expect(((await noCustomer.json()) as { errors: Record<string, string> }).errors.customerId).toBeDefined();

    const notJson = await postAdjustment("points=5");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ ok: false, errors: { form: "Send the adjustment as a JSON object" } });
    expect((await ledger()).length).toBe(before);
  });

  it("answers 404 for another shop's customer and books nothing there", async () => {
    const response = await postAdjustment({
      customerId: gid(olga),
      points: 10,
      reason: "Goodwill",
      requestId: randomUUID(),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ ok: false, error: "not_found" });
    const olgaEntries = await db.loyaltyLedgerEntry.count({
      where: { shopId: otherShop.id, reason: "Goodwill" },
    });
    expect(olgaEntries).toBe(0);
  });

  it("refuses a customer who is not a member, and takes away no more than the balance", async () => {
    const notMember = await postAdjustment({ customerId: gid(ben), points: 10, reason: "x", requestId: randomUUID() });
    expect(notMember.status).toBe(400);
    expect(((await notMember.json()) as { errors: Record<string, string> }).errors.form).toMatch(
      /not a loyalty member/,
    );
    const overdraw = await postAdjustment({
      customerId: gid(ada),
      points: -100000,
      reason: "x",
      requestId: randomUUID(),
    });
    expect(overdraw.status).toBe(400);
    expect(((await overdraw.json()) as { errors: Record<string, string> }).errors.points).toMatch(/balance is/);
  });

  it("books an adjustment once for a repeated request id, with one staff audit entry", async () => {
    const requestId = randomUUID();
    const adjustment = { customerId: gid(ada), points: 40, reason: "Late delivery", requestId };
    const before = await db.loyaltyMember.findUniqueOrThrow({ where: { id: adaMemberId } });

    const first = await postAdjustment(adjustment);
    const second = await postAdjustment(adjustment);

    expect(first.status).toBe(200);
    expect(first.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(await first.json()).toEqual({ ok: true, message: `Balance is now ${before.pointsBalance + 40} points` });
    expect(second.status).toBe(200);
    const after = await db.loyaltyMember.findUniqueOrThrow({ where: { id: adaMemberId } });
    expect(after.pointsBalance).toBe(before.pointsBalance + 40);
    const booked = (await ledger()).filter((entry) => entry.reason === "Late delivery");
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ points: 40, staffUserId: BigInt(STAFF_ID), staffName: "staff" });
    const audit = await db.staffAuditEntry.findMany({ where: { shopId: shop.id, action: "points.adjusted" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      staffUserId: BigInt(STAFF_ID),
      details: { points: 40, reason: "Late delivery", source: "admin_action" },
    });
    // The block now shows the new balance.
    expect(await (await getCustomer(String(ada))).json()).toMatchObject({
      loyalty: { points: before.pointsBalance + 40 },
    });
    // And a Shopify sync of the member's points is queued.
    expect((await queues.jobs("shopify-calls")).map((job) => job.name)).toContain("sync-member-to-shopify");
  });

  it("refuses a GET and a request without a token", async () => {
    const get = await store.call(routes, store.extensionRequest("/api/admin-extensions/adjust-points"));
    expect(get.status).toBe(405);
    const forged = await postAdjustment(
      { customerId: gid(ada), points: 1, reason: "x", requestId: randomUUID() },
      staffToken(shop.domain, "not-the-app-secret"),
    );
    expect(forged.status).toBe(401);
  });
});
