// The data-request download route with the embedded admin's real auth (session token →
// token exchange against the local Shopify double): a shop gets its own documents only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestPrisma } from "../../../test/helpers/test-database";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import type { ShopifyDouble } from "../../../test/shopify-double/index";
import { startTestDouble } from "../../../test/helpers/start-test-double";
import { recordPrivacyRequest } from "./privacy-requests.repository.server";
import { loadPrivacyRequests } from "./privacy-requests.server";

type Loader = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;

const db = createTestPrisma();
const stamp = Date.now();
const mine = smallTestStore(`download-a-${stamp}.myshopify.com`);
const theirs = smallTestStore(`download-b-${stamp}.myshopify.com`);
let double: ShopifyDouble;
let loader: Loader;

beforeAll(async () => {
  double = await startTestDouble([mine, theirs]);
  loader = ((await import("../../routes/app.privacy.$id")) as { loader: Loader }).loader;
});

afterAll(async () => {
  const domains = [mine.domain, theirs.domain];
  await db.privacyRequest.deleteMany({ where: { shopDomain: { in: domains } } });
  await db.session.deleteMany({ where: { shop: { in: domains } } });
  await db.shop.deleteMany({ where: { domain: { in: domains } } });
  await db.$disconnect();
  await double.close();
});

async function download(shopDomain: string, id: string): Promise<Response> {
  const request = new Request(`${process.env.SHOPIFY_APP_URL}/app/privacy/${id}`, {
    headers: { Authorization: `Bearer ${double.mintSessionToken(shopDomain)}`, "User-Agent": "Mozilla/5.0 Chrome/120" },
  });
  try {
    return await loader({ request, params: { id }, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function givenDataRequest(shopDomain: string) {
  const shop = await db.shop.upsert({
    where: { domain: shopDomain },
    create: { domain: shopDomain, name: "Shop", currencyCode: "EUR", ianaTimezone: "Europe/Berlin" },
    update: {},
  });
  return recordPrivacyRequest(db, {
    shopId: shop.id,
    shopDomain,
    topic: "customers/data_request",
    customerShopifyId: 7000000000001n,
    requestId: "77",
    document: { format: "kinship.customer-data.v1", sections: [{ key: "profile", data: { firstName: "Ada" } }] },
    receivedAt: new Date("2026-11-01T10:00:00Z"),
    completedAt: new Date("2026-11-01T10:00:05Z"),
  });
}

describe("data request download", () => {
  it("serves the shop's own document as a JSON attachment", async () => {
    // Given a data request answered for my shop
    const request = await givenDataRequest(mine.domain);
    // When my admin downloads it
    const response = await download(mine.domain, String(request.id));
    // Then it is the document, as an attachment
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="kinship-customer-7000000000001-request-77.json"`,
    );
    expect(await response.json()).toMatchObject({ sections: [{ key: "profile", data: { firstName: "Ada" } }] });
    // And the card lists it with its download path, in the shop's time zone
    expect(await loadPrivacyRequests(db, mine.domain)).toEqual([
      expect.objectContaining({
        id: request.id,
        label: "Customer data request",
        customerShopifyId: "7000000000001",
        receivedAt: "Nov 1, 2026, 11:00 AM GMT+1",
        downloadPath: `/app/privacy/${request.id}`,
      }),
    ]);
  });

  it("answers 404 for another shop's request, exactly as for one that does not exist", async () => {
    // Given a data request of their shop
    const request = await givenDataRequest(theirs.domain);
    // When my admin asks for it by id, or for an id that does not exist, or a malformed one
    const foreign = await download(mine.domain, String(request.id));
    const missing = await download(mine.domain, "2147483647");
    const malformed = await download(mine.domain, "1;DROP");
    // Then each is a 404 with nothing of the document
    for (const response of [foreign, missing, malformed]) {
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("Not found");
    }
    expect((await loadPrivacyRequests(db, mine.domain)).map((row) => row.id)).not.toContain(request.id);
  });
});
