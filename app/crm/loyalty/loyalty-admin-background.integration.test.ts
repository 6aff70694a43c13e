// Admin edits whose heavy part leaves the request: excluded collections read from Shopify when the
// settings are saved, and tier edits re-placing members in a per-shop `loyalty` job. Real
// PostgreSQL, Redis (a BullMQ worker) and the Shopify double.
import { randomUUID } from "node:crypto";

import { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createProgram, deliver, loyaltyDepsFor, runLoyaltyJobs } from "../../../test/helpers/loyalty-test-setup";
import { smallTestStore } from "../../../test/helpers/small-test-store";
import { startTestDouble } from "../../../test/helpers/start-test-double";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { defineTestCollection } from "../../../test/shopify-double/customer-metafields";
import type { ShopifyDouble } from "../../../test/shopify-double/index";
import { customerPayload, orderPayload } from "../../../test/shopify-double/rest-payloads";
import type { StoreShop } from "../../../test/shopify-double/store-data";
import { createJobQueues } from "../../jobs/job-queues.server";
import { excludedProductIds } from "./loyalty-program";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { saveSettingsWithCollections } from "./loyalty-settings-admin.server";
import { saveTierEdit } from "./loyalty-tiers-admin.server";
import { findProgram } from "./loyalty.repository.server";
import { runTierReplacement, tierReplacementJobId, tierReplacementPending } from "./tier-replacement.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
let double: ShopifyDouble;
let deps: LoyaltyDeps;
let store: StoreShop;
let shopId: number;

beforeAll(async () => {
  double = await startTestDouble([]);
});

afterAll(async () => {
  await double.close();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

async function givenShop(settings: Parameters<typeof createProgram>[2] = {}) {
  store = smallTestStore(`admin-bg-${randomUUID().slice(0, 8)}.myshopify.com`);
  store.products.push({
    id: 8000000000002,
    title: "Kind of Blue",
    vendor: "Columbia",
    productType: "Jazz",
    variants: [],
  });
  await double.close();
  double = await startTestDouble([store]);
  deps = loyaltyDepsFor(db, jobs, double.url);
  shopId = (
    await db.shop.create({ data: { domain: store.domain, name: store.name, currencyCode: "EUR", ianaTimezone: "UTC" } })
  ).id;
  await createProgram(db, shopId, settings);
}

/** The settings form as the page posts it. */
const settingsForm = (excludedCollectionIds: string, version: number) => ({
  pointsPerCurrencyUnit: "1",
  signupBonus: "50",
  birthdayBonus: "0",
  referrerBonus: "0",
  referredFriendBonus: "0",
  firstOrderBonus: "0",
  excludedProductIds: "",
  excludedCollectionIds,
  expiryPolicy: "none",
  expiryMonths: "",
  expiryWarningDays: "30",
  enabled: "on",
  version: String(version),
});

describe("saving settings with excluded collections", () => {
  it("takes gids or numeric ids and stores the products Shopify lists in them", async () => {
    // Given a collection holding both products of the shop
    await givenShop();
    defineTestCollection(store.domain, 4500000001, [8000000000001, 8000000000002]);

    // When the merchant saves it as a gid
    const outcome = await saveSettingsWithCollections(
      deps,
      store.domain,
      settingsForm("gid://shopify/Collection/4500000001", 1),
    );

    // Then both products are excluded from earning, stored with the collection's numeric id
    expect(outcome).toEqual({ ok: true, message: "Settings saved; 2 products excluded through collections" });
    const program = (await findProgram(db, shopId))!;
    expect(program.settings.exclusions.collections).toEqual([
      { id: "4500000001", productIds: ["8000000000001", "8000000000002"] },
    ]);
    expect([...excludedProductIds(program.settings)].sort()).toEqual(["8000000000001", "8000000000002"]);

    // When Shopify cannot be reached, the settings are still saved and the stored products kept
    double.throttle.failNext(store.domain, 401, 1);
    const offline = await saveSettingsWithCollections(deps, store.domain, settingsForm("4500000001", program.version));
    expect(offline).toMatchObject({ ok: true, message: expect.stringContaining("will be read again tonight") });
    expect((await findProgram(db, shopId))!.settings.exclusions.collections).toEqual(
      program.settings.exclusions.collections,
    );
  });

  it("refuses an id that is not a collection's, and says which collection Shopify does not have", async () => {
    await givenShop();
    expect(await saveSettingsWithCollections(deps, store.domain, settingsForm("gid://shopify/Product/1", 1))).toEqual({
      ok: false,
      intent: "settings",
      errors: { excludedCollectionIds: expect.stringContaining("gid://shopify/Product/1") },
    });
    const missing = await saveSettingsWithCollections(deps, store.domain, settingsForm("4599999999", 1));
    expect(missing).toEqual({
      ok: true,
      message: "Settings saved; 0 products excluded through collections; Shopify has no collection 4599999999",
    });
  });
});

describe("tier edits", () => {
  const silver = { intent: "create-tier", name: "Silver", threshold: "10", earnMultiplier: "1", entryBonusPoints: "0" };

  it("are saved at once and re-place members in one job per shop, shown as pending until it is done", async () => {
    // Given Ada with 25 points earned on her order (what tiers count) and no tiers yet
    await givenShop({ bonuses: { signup: 50 } });
    await deliver(deps, store.domain, "customers/create", customerPayload(store, store.customers[0]!));
    await deliver(deps, store.domain, "orders/create", orderPayload(store, store.orders[0]!));
    await runLoyaltyJobs(deps);
    const adaTier = async () => (await db.loyaltyMember.findFirstOrThrow({ where: { shopId } })).tierId;

    // When the merchant adds two tiers in a row
    expect(await saveTierEdit(deps, store.domain, silver)).toEqual({
      ok: true,
      message: "Tiers saved; re-placing members…",
    });
    await saveTierEdit(deps, store.domain, { ...silver, name: "Gold", threshold: "20" });

    // Then the request placed nobody, and one job waits for the shop
    expect(await adaTier()).toBeNull();
    const waiting = (await queues.jobs("loyalty")).filter((job) => job.name === "reevaluate-shop-tiers");
    expect(waiting.map((job) => job.id)).toEqual([tierReplacementJobId(store.domain)]);
    expect(await tierReplacementPending(deps, store.domain)).toBe(true);

    // When a worker runs it, Ada (25) is in Gold (20) and nothing is pending any more
    const worker = new Worker(
      "loyalty",
      async (job) => (job.name === "reevaluate-shop-tiers" ? runTierReplacement(deps, job.data.shopDomain) : null),
      { connection: queues.connection.duplicate(), prefix: queues.prefix },
    );
    try {
      const deadline = Date.now() + 15_000;
      while ((await tierReplacementPending(deps, store.domain)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await worker.close();
    }
    expect(await tierReplacementPending(deps, store.domain)).toBe(false);
    const gold = await db.loyaltyTier.findFirstOrThrow({ where: { shopId, name: "Gold" } });
    expect(await adaTier()).toBe(gold.id);

    // And the next edit queues a new job (the finished one does not hold its id)
    await saveTierEdit(deps, store.domain, { ...silver, name: "Platinum", threshold: "5000" });
    expect(await tierReplacementPending(deps, store.domain)).toBe(true);
  });

  it("repeats the pass when the tiers changed while it ran", async () => {
    // Given Ada with 25 points earned on her order and Silver at 60: she does not qualify
    await givenShop({ bonuses: { signup: 50 } });
    await deliver(deps, store.domain, "customers/create", customerPayload(store, store.customers[0]!));
    await deliver(deps, store.domain, "orders/create", orderPayload(store, store.orders[0]!));
    await runLoyaltyJobs(deps);
    await saveTierEdit(deps, store.domain, { ...silver, threshold: "60" });

    // When the merchant lowers Silver to 10 while the pass is placing Ada (its clock is read then)
    // (the pass's database client commits the edit before it reads her member row, once)
    let edited = false;
    const racingDb = db.$extends({
      query: {
        loyaltyMember: {
          async findUniqueOrThrow({ args, query }) {
            if (!edited) {
              edited = true;
              await db.loyaltyTier.updateMany({ where: { shopId, name: "Silver" }, data: { threshold: 10n } });
            }
            return query(args);
          },
        },
      },
    });
    // The extended client has the same API; its type only differs by the extension.
    const racing: LoyaltyDeps = { ...deps, db: racingDb as unknown as LoyaltyDeps["db"] };
    const result = await runTierReplacement(racing, store.domain);
    expect(edited).toBe(true);

    // Then the job ran a second pass with the new threshold, and Ada is Silver
    expect(result.passes).toBe(2);
    const silverTier = await db.loyaltyTier.findFirstOrThrow({ where: { shopId, name: "Silver" } });
    expect((await db.loyaltyMember.findFirstOrThrow({ where: { shopId } })).tierId).toBe(silverTier.id);
  });
});
