// The customer details admin block (extensions/customer-insights-block) shows "Picked for this
// customer" from the real route once the shop's rules are mined, and nothing of it before.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { ADA, BEN, customerGid, openAdminExtensionsStore } from "../../../test/helpers/admin-extensions-store";
import { renderAdminExtension } from "../../../test/helpers/render-admin-extension";
import { givenCustomerOrder, seedCoPurchases } from "../../../test/helpers/seed-co-purchases";
import { createTestPrisma, testDatabaseUrl } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { createJobQueues } from "../../jobs/job-queues.server";
import { logger } from "../../lib/logger.server";
import { mineShopRecommendations } from "./mine-recommendations.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const LAMP = { id: 7_700_000_001n, title: "Brass Lamp" };
const SHADE = { id: 7_700_000_002n, title: "Linen Shade" };
const BULBS = { id: 7_700_000_003n, title: "Warm Bulbs" };
type Entry = Parameters<typeof renderAdminExtension>[0];
let store: Awaited<ReturnType<typeof openAdminExtensionsStore>>;
let routes: Parameters<typeof store.call>[0];
let block: Entry;

beforeAll(async () => {
  routes = {
    customer: await import("../../routes/api.admin-extensions.customer.$id"),
    adjust: await import("../../routes/api.admin-extensions.adjust-points"),
  };
  store = await openAdminExtensionsStore(db, jobs);
  block = (await import("../../../extensions/customer-insights-block/src/CustomerInsightsBlock")).default as Entry;
  vi.stubGlobal("fetch", async (input: string, init: RequestInit = {}) =>
    store.call(routes, store.extensionRequest(input, { method: init.method })),
  );
});

afterAll(async () => {
  vi.unstubAllGlobals();
  await store.cleanUp();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

const render = (customer: bigint) =>
  renderAdminExtension(block, "admin.customer-details.block.render", { customerGid: customerGid(customer) });

describe("customer details block: recommendations", () => {
  it("shows nothing of them before the first mining", async () => {
    const text = await (await render(ADA)).waitFor(/Open in Kinship Customer 360/);
    expect(text).not.toContain("Picked for this customer");
  });

  it("shows the picks once the rules are mined, co-purchases first", async () => {
    // Given guests who bought the lamp with the shade, and Ada who bought the lamp
    const ada = await db.customer.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: store.shop.id, shopifyId: ADA } },
    });
    await seedCoPurchases(db, store.shop.id, { pair: [LAMP, SHADE], bestseller: BULBS });
    await givenCustomerOrder(db, store.shop.id, ada.id, 7_000_001n, [LAMP]);
    await mineShopRecommendations({ db, logger, databaseUrl: testDatabaseUrl() }, store.shop.id);

    // When the block renders for Ada, and for Ben who bought nothing
    const adaText = await (await render(ADA)).waitFor(/Picked for this customer/);
    const benText = await (await render(BEN)).waitFor(/Picked for this customer/);

    // Then Ada sees the shade first (not the lamp she owns), Ben the bestseller
    expect(adaText).toMatch(/Linen Shade · Often bought with their purchases.*Warm Bulbs · Popular in the shop/s);
    expect(adaText).not.toContain("Brass Lamp ·");
    expect(benText).toContain("Warm Bulbs · Popular in the shop");
  });
});
