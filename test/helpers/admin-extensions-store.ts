// Two shops for the admin UI extensions' tests, and requests to the extensions' routes made as
// Shopify admin makes them: the staff member's ID token (HS256 with the app secret) as a bearer
// header, from the extensions' origin.
//   shop (EUR, Europe/Paris, loyalty program with a Gold tier):
//     Ada — scored ("Can't lose them", high churn risk), a Gold member with 250 points
//     Ben — neither scored nor a member
//   otherShop (USD): a customer with Ada's Shopify id and Olga, both scored members with 777 points
import { randomUUID } from "node:crypto";

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { envSchema } from "../../app/config/env.server";
import type { PrismaClient } from "../../app/db.server";
import type { JobQueues } from "../../app/jobs/job-queues.server";
import { logger } from "../../app/lib/logger.server";
import { adjustPoints } from "../../app/crm/loyalty/member-bonuses.server";
import { mintSessionToken } from "../shopify-double/session-token";
import { createTestShop } from "./create-test-shop";
import { storeOfflineSession } from "./store-offline-session";
import { createProgram, createTier } from "./loyalty-test-setup";

export const ADA = 9_100_000_001n;
export const BEN = 9_100_000_002n;
export const OLGA = 9_100_000_003n;
export const STAFF_ID = "4242";
export const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";

export const customerGid = (id: bigint) => `gid://shopify/Customer/${id}`;

type Loader = (args: LoaderFunctionArgs) => Promise<Response>;
type Action = (args: ActionFunctionArgs) => Promise<Response>;
interface RouteModules {
  customer: { loader: Loader };
  adjust: { loader: Loader; action: Action };
}

export async function openAdminExtensionsStore(db: PrismaClient, jobs: JobQueues) {
  const appUrl = process.env.SHOPIFY_APP_URL!;
  const shop = await createTestShop(db, { currencyCode: "EUR", ianaTimezone: "Europe/Paris" });
  const otherShop = await createTestShop(db, { currencyCode: "USD" });
  for (const domain of [shop.domain, otherShop.domain]) {
    // An installed shop: its offline session is stored, so no token exchange is needed.
    await storeOfflineSession(db, {
      shop: domain,
      scope: envSchema.shape.SCOPES.parse(undefined),
      accessToken: `shpat_${randomUUID().replaceAll("-", "")}`,
    });
  }

  const addCustomer = (shopId: number, shopifyId: bigint, email: string) =>
    db.customer.create({
      data: {
        shopId,
        shopifyId,
        email,
        firstName: email.split("@")[0],
        shopifyCreatedAt: new Date("2024-01-01T00:00:00Z"),
        shopifyUpdatedAt: new Date("2024-01-01T00:00:00Z"),
      },
    });
  const addScore = (shopId: number, customerId: bigint, segment: string, clvMinor: bigint) =>
    db.customerScore.create({
      data: {
        customerId,
        shopId,
        runId: 1,
        recencyDays: 200,
        purchaseDays: 4,
        netSpentMinor: 40_000n,
        rScore: 2,
        fScore: 4,
        mScore: 5,
        rfmSegment: segment,
        frequency: 3,
        recency: 20,
        T: 60,
        monetaryValue: 100,
        pAlive: 0.23,
        churnRisk: "high",
        clvMinor,
        lifecycleStage: "at_risk",
        computedAt: new Date("2025-03-01T08:00:00Z"),
      },
    });
  const addMember = async (shopId: number, customerId: bigint, points: number, tierId: number | null) => {
    const member = await db.loyaltyMember.create({
      data: { shopId, customerId, referralCode: `R${randomUUID().slice(0, 8)}`, tierId },
    });
    await adjustPoints(
      { db, logger, jobs },
      {
        memberId: member.id,
        points,
        reason: "Opening balance",
        staffUserId: null,
        staffName: null,
        requestId: `open-${member.id}`,
      },
    );
    return member;
  };

  await createProgram(db, shop.id);
  const gold = await createTier(db, shop.id, {
    name: "Gold",
    threshold: 1000n,
    earnMultiplierPermille: 1500,
    entryBonusPoints: 0,
  });
  const ada = await addCustomer(shop.id, ADA, "ada@example.com");
  await addCustomer(shop.id, BEN, "ben@example.com");
  await addScore(shop.id, ada.id, "Can't lose them", 12_345n);
  const adaMember = await addMember(shop.id, ada.id, 250, gold.id);

  await createProgram(db, otherShop.id);
  for (const [shopifyId, email] of [
    [ADA, "secret-ada@other.example"],
    [OLGA, "olga@other.example"],
  ] as const) {
    const row = await addCustomer(otherShop.id, shopifyId, email);
    await addScore(otherShop.id, row.id, "Champions", 99_999n);
    await addMember(otherShop.id, row.id, 777, null);
  }

  /** The staff member's ID token, as Shopify admin adds it to an extension's fetch(). */
  const staffToken = (domain = shop.domain, secret = process.env.SHOPIFY_API_SECRET!) =>
    mintSessionToken({ shop: domain, apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: secret, userId: STAFF_ID });

  return {
    shop,
    otherShop,
    adaMemberId: adaMember.id,
    staffToken,
    /** A request from an extension: the bearer token unless `token` is null, JSON when a body is given. */
    extensionRequest(path: string, init: { method?: string; token?: string | null; body?: string } = {}) {
      const headers: Record<string, string> = { Origin: EXTENSION_ORIGIN, Accept: "application/json" };
      const token = init.token === undefined ? staffToken() : init.token;
      if (token) headers.Authorization = `Bearer ${token}`;
      if (init.body !== undefined) headers["Content-Type"] = "application/json";
      return new Request(new URL(path, appUrl), { method: init.method ?? "GET", headers, body: init.body });
    },
    /** Routes a request as Remix would (GET and OPTIONS to the loader), a thrown Response as the answer. */
    async call(routes: RouteModules, request: Request): Promise<Response> {
      const { pathname } = new URL(request.url);
      const customer = /^\/api\/admin-extensions\/customer\/([^/]+)$/.exec(pathname);
      const params: Record<string, string> = customer ? { id: customer[1]! } : {};
      const args = { request, params, context: {} };
      const mutation = !["GET", "HEAD", "OPTIONS"].includes(request.method);
      try {
        if (customer) return await routes.customer.loader(args);
        if (pathname === "/api/admin-extensions/adjust-points") {
          return await (mutation ? routes.adjust.action(args) : routes.adjust.loader(args));
        }
        return new Response("Not found", { status: 404 });
      } catch (thrown) {
        if (thrown instanceof Response) return thrown;
        throw thrown;
      }
    },
    async cleanUp() {
      await db.shop.deleteMany({ where: { id: { in: [shop.id, otherShop.id] } } });
      await db.session.deleteMany({ where: { shop: { in: [shop.domain, otherShop.domain] } } });
    },
  };
}
