// The parts of the daily loyalty pass that read Shopify or write for the automations, against
// real PostgreSQL and the Shopify double: birthdays from the `facts.birth_date` metafield,
// "points expiring soon" events in the loyalty_events outbox, and excluded collections.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  type createProgram,
  deliver,
  memberOfCustomer,
  openLoyaltyStore,
  runLoyaltyJobs,
} from "../../../test/helpers/loyalty-test-setup";
import { startTestDouble } from "../../../test/helpers/start-test-double";
import { createTestPrisma } from "../../../test/helpers/test-database";
import { openTestQueues } from "../../../test/helpers/test-queues";
import { defineTestCollection, setCustomerMetafield } from "../../../test/shopify-double/customer-metafields";
import type { ShopifyDouble } from "../../../test/shopify-double/index";
import { customerPayload } from "../../../test/shopify-double/rest-payloads";
import type { StoreShop } from "../../../test/shopify-double/store-data";
import { createJobQueues } from "../../jobs/job-queues.server";
import { redactCustomerProfile } from "../privacy/customer-data.repository.server";
import { readMemberBirthday } from "./birthday-from-shopify.server";
import { runDailyShop } from "./daily-shop.server";
import { refreshExcludedCollections } from "./excluded-collections.server";
import { LOYALTY_CUSTOMER_DATA_SECTION } from "./loyalty-customer-data.repository.server";
import { appendLedgerEntries } from "./loyalty-ledger.repository.server";
import { excludedProductIds } from "./loyalty-program";
import type { LoyaltyDeps } from "./loyalty-service-deps";
import { findProgram, saveProgramSettings } from "./loyalty.repository.server";
import { setBirthday } from "./member-bonuses.server";

const db = createTestPrisma();
const queues = openTestQueues();
const jobs = createJobQueues(queues.connection, queues.prefix);
const clock = { now: new Date("2026-10-01T12:00:00Z") };
let double: ShopifyDouble;
let deps: LoyaltyDeps;
let store: StoreShop;
let shop: { id: number; domain: string };

beforeAll(async () => {
  double = await startTestDouble([]);
});

afterAll(async () => {
  await double.close();
  await jobs.close();
  await queues.cleanUp();
  await db.$disconnect();
});

/** A shop on the double with a program, and Ada and Grace enrolled through customers/create. */
async function givenShopWithMembers(settings: Parameters<typeof createProgram>[2], extraProducts = 0) {
  clock.now = new Date("2026-10-01T12:00:00Z");
  const opened = await openLoyaltyStore({
    db,
    jobs,
    double,
    clock,
    handle: "daily",
    settings,
    prepare: (generated) => {
      for (let i = 1; i <= extraProducts; i++) {
        generated.products.push({
          id: 8100000000000 + i,
          title: `Record ${i}`,
          vendor: "V",
          productType: "T",
          variants: [],
        });
      }
    },
  });
  ({ store, double, deps, shop } = opened);
  for (const customer of store.customers) {
    await deliver(deps, store.domain, "customers/create", customerPayload(store, customer));
  }
  await runLoyaltyJobs(deps);
  const [ada, grace] = await Promise.all(store.customers.map((customer) => memberOf(customer.id)));
  return { ada: ada!, grace: grace! };
}

const memberOf = (customerShopifyId: number) => memberOfCustomer(db, shop.id, customerShopifyId);

const birthDate = (customerId: number, value: string | null) =>
  setCustomerMetafield(store.domain, customerId, { namespace: "facts", key: "birth_date", type: "date", value });

async function redact(customerShopifyId: number) {
  const subject = {
    shopId: shop.id,
    shopDomain: shop.domain,
    currencyCode: "EUR",
    customerShopifyId: BigInt(customerShopifyId),
    orderShopifyIds: [],
    emails: [],
  };
  await redactCustomerProfile(db, subject, clock.now);
  await LOYALTY_CUSTOMER_DATA_SECTION.redact(db, subject, clock.now);
}

describe("birthdays from the customer metafield facts.birth_date", () => {
  it("are read when a member enrols and pay the birthday bonus once", async () => {
    // Given Ada's Shopify birthday on 14 March (already past this year) and a 50-point birthday bonus
    const { ada } = await givenShopWithMembers({ bonuses: { birthday: 50 } });
    birthDate(store.customers[0]!.id, "1990-03-14");

    // When she enrolled, a job to read it was queued for her; it runs (twice: a retry)
    const jobs = (await queues.jobs("shopify-calls")).filter((j) => j.name === "read-member-birthday");
    expect(jobs.map((j) => j.id)).toContain(`read-birthday-${ada.id}`);
    expect(await readMemberBirthday(deps, store.domain, ada.id)).toEqual({ asked: 1, filled: 1, bonuses: 1 });
    expect(await readMemberBirthday(deps, store.domain, ada.id)).toEqual({ asked: 0, filled: 0, bonuses: 0 });

    // Then she has it, and one birthday entry of this year
    expect(await memberOf(store.customers[0]!.id)).toMatchObject({ birthdayMonth: 3, birthdayDay: 14 });
    const entries = await db.loyaltyLedgerEntry.findMany({ where: { memberId: ada.id, kind: "birthday" } });
    expect(entries.map((e) => [e.points, e.idempotencyKey])).toEqual([[50, expect.stringMatching(/:2026$/)]]);
  });

  it("are filled by the daily pass in one nodes(ids:) call, never over a birthday given in the widget", async () => {
    // Given Grace gave 1 July in the widget, and both have a different birthday in Shopify
    const { ada, grace } = await givenShopWithMembers({ bonuses: { birthday: 10 } });
    await setBirthday(deps, grace, 7, 1);
    birthDate(store.customers[0]!.id, "1985-12-24");
    birthDate(store.customers[1]!.id, "1970-02-02");
    const callsBefore = double.graphqlCalls(store.domain).length;

    // When the daily pass runs
    const result = await runDailyShop(deps, store.domain);

    // Then Ada's is read from Shopify (one call for the whole batch), Grace's stays hers
    expect(result?.birthdaysFromShopify).toBe(1);
    const calls = double.graphqlCalls(store.domain).slice(callsBefore);
    expect(calls.filter((call) => call.query.includes("KinshipCustomerBirthdays"))).toHaveLength(1);
    expect(await memberOf(store.customers[0]!.id)).toMatchObject({ birthdayMonth: 12, birthdayDay: 24 });
    expect(await memberOf(store.customers[1]!.id)).toMatchObject({ birthdayMonth: 7, birthdayDay: 1 });
    // December has not come yet: no bonus for Ada this year
    expect(await db.loyaltyLedgerEntry.count({ where: { memberId: ada.id, kind: "birthday" } })).toBe(0);
  });

  it("ignore a value that is not a date, and a redacted customer is never asked about", async () => {
    const { ada, grace } = await givenShopWithMembers({ bonuses: { birthday: 10 } });
    setCustomerMetafield(store.domain, store.customers[0]!.id, {
      namespace: "facts",
      key: "birth_date",
      type: "single_line_text_field",
      value: "1990-03-14",
    });
    birthDate(store.customers[1]!.id, "1990-02-30");
    await runDailyShop(deps, store.domain);
    expect(await memberOf(store.customers[0]!.id)).toMatchObject({ birthdayMonth: null });
    expect(await memberOf(store.customers[1]!.id)).toMatchObject({ birthdayMonth: null });

    // Grace is redacted (her birthday erased); Shopify still has one
    await redact(store.customers[1]!.id);
    birthDate(store.customers[1]!.id, "1990-02-03");
    const callsBefore = double.graphqlCalls(store.domain).length;
    await runDailyShop(deps, store.domain);
    const asked = double
      .graphqlCalls(store.domain)
      .slice(callsBefore)
      .flatMap((call) => (call.variables as { ids?: string[] } | undefined)?.ids ?? []);
    expect(asked).toEqual([`gid://shopify/Customer/${store.customers[0]!.id}`]);
    expect(await db.loyaltyMember.findUniqueOrThrow({ where: { id: grace.id } })).toMatchObject({
      birthdayMonth: null,
    });
    expect(ada.id).not.toBe(grace.id);
  });
});

describe("points expiring soon", () => {
  async function givenPointsExpiringOn(expiresAt: Date) {
    const members = await givenShopWithMembers({ expiry: { policy: "per_lot", months: 12 }, expiryWarningDays: 30 });
    for (const member of [members.ada, members.grace]) {
      await appendLedgerEntries(db, member.id, [
        { kind: "adjust", points: 120, idempotencyKey: `adjust:${randomUUID()}`, reason: "Welcome gift", expiresAt },
      ]);
    }
    return members;
  }

  it("are recorded once per member, expiry date and window, however often the daily pass runs", async () => {
    // Given 120 points each expiring on 20 October (19 days away)
    const { ada } = await givenPointsExpiringOn(new Date("2026-10-20T00:00:00Z"));

    // When the daily pass runs twice that day
    expect((await runDailyShop(deps, store.domain))?.expiryNotices).toBe(2);
    expect((await runDailyShop(deps, store.domain))?.expiryNotices).toBe(0);

    // Then one 30-day event per member, undelivered, in the outbox
    const events = await db.loyaltyEvent.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      memberId: ada.id,
      kind: "points_expiring",
      deliveredAt: null,
      idempotencyKey: `points_expiring:${ada.id}:2026-10-20:30d`,
      payload: { points: 120, expiresAt: "2026-10-20T00:00:00.000Z", daysAhead: 30, memberId: ada.id.toString() },
    });

    // When a week before, the 7-day reminder comes, once; after the expiry nothing more
    clock.now = new Date("2026-10-14T04:00:00Z");
    expect((await runDailyShop(deps, store.domain))?.expiryNotices).toBe(2);
    expect((await runDailyShop(deps, store.domain))?.expiryNotices).toBe(0);
    clock.now = new Date("2026-10-21T04:00:00Z");
    const after = await runDailyShop(deps, store.domain);
    expect(after).toMatchObject({ expired: 240, expiryNotices: 0 });
    expect(
      (await db.loyaltyEvent.findMany({ where: { memberId: ada.id }, orderBy: { id: "asc" } })).map(
        (event) => event.idempotencyKey,
      ),
    ).toEqual([`points_expiring:${ada.id}:2026-10-20:30d`, `points_expiring:${ada.id}:2026-10-20:7d`]);
  });

  it("hold no personal data, and a redacted customer gets none", async () => {
    // Given Grace redacted before the pass
    const { ada, grace } = await givenPointsExpiringOn(new Date("2026-10-05T00:00:00Z"));
    await setBirthday(deps, ada, 5, 17);
    await redact(store.customers[1]!.id);

    await runDailyShop(deps, store.domain);

    const events = await db.loyaltyEvent.findMany({ where: { shopId: shop.id } });
    expect(events.map((event) => event.memberId)).toEqual([ada.id]);
    expect(await db.loyaltyEvent.count({ where: { memberId: grace.id } })).toBe(0);
    // Ids and figures only: no e-mail, name, birthday, referral code or reason
    const text = JSON.stringify(events.map((event) => event.payload));
    const ada0 = store.customers[0]!;
    for (const personal of [ada0.email!, ada0.firstName, ada0.lastName, ada.referralCode, "Welcome gift", "05-17"]) {
      expect(text).not.toContain(personal);
    }
    expect(Object.keys(events[0]!.payload as object).sort()).toEqual([
      "balance",
      "daysAhead",
      "expiresAt",
      "memberId",
      "points",
    ]);
  });
});

describe("excluded collections", () => {
  it("are resolved to their products through every page, stored with the program, and refreshed daily", async () => {
    // Given a collection of 300 products (two pages of 250) and the program excluding it
    await givenShopWithMembers({}, 300);
    const productIds = store.products.map((product) => product.id);
    defineTestCollection(store.domain, 4400000001, productIds.slice(0, 300));
    const program = (await findProgram(db, shop.id))!;
    await saveProgramSettings(db, shop.id, {
      ...program.settings,
      exclusions: { productIds: [], collections: [{ id: "4400000001", productIds: [] }] },
    });

    // When the collections are refreshed
    const refreshed = await refreshExcludedCollections(deps, shop);

    // Then all 300 products are stored, read in two calls
    expect(refreshed).toEqual({ collections: 1, products: 300, missing: [], changed: true });
    const calls = double.graphqlCalls(store.domain).filter((call) => call.query.includes("KinshipCollectionProducts"));
    expect(calls).toHaveLength(2);
    const stored = excludedProductIds((await findProgram(db, shop.id))!.settings);
    expect([...stored].sort()).toEqual(productIds.slice(0, 300).map(String).sort());

    // When the merchant moves products in Shopify, the daily pass follows; unchanged, nothing is saved
    defineTestCollection(store.domain, 4400000001, [productIds[0]!]);
    expect((await runDailyShop(deps, store.domain))?.excludedProducts).toBe(1);
    // (this program pays no birthday bonus: the pass asks Shopify for no birthdays)
    const asked = double.graphqlCalls(store.domain).map((call) => call.query);
    expect(asked.filter((query) => query.includes("KinshipCustomerBirthdays"))).toEqual([]);
    const version = (await findProgram(db, shop.id))!.version;
    expect(await refreshExcludedCollections(deps, shop)).toMatchObject({ products: 1, changed: false });
    expect((await findProgram(db, shop.id))!.version).toBe(version);
  });
});
