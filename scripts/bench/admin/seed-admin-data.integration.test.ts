// The bench's admin data on a small generated shop: order figures, profiles, ~30% loyalty members
// whose ledger matches their balance and tier, the saved segments; a second run writes nothing.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma, testDatabaseUrl } from "../../../test/helpers/test-database";
import { generateShopHistory } from "../analytics/generate-shop-history";
import { BENCH_SEGMENTS, BENCH_TIERS, seedAdminData } from "./seed-admin-data";

const db = createTestPrisma();
const pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });

afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

describe("seedAdminData", () => {
  it("adds profiles, loyalty members and segments once", { timeout: 120_000 }, async () => {
    // Given a generated shop of 2,000 customers and 6,000 orders, without profiles or loyalty
    const shop = await createTestShop(db);
    const client = await pool.connect();
    try {
      await generateShopHistory(client, shop.id, { customers: 2_000, orders: 6_000, end: new Date(), seed: 3 });

      // When the admin data is added
      const first = await seedAdminData(db, client, shop.id);

      // Then every customer has figures from its orders (all but those whose orders were all cancelled) and a profile
      expect(first.aggregatesUpdated).toBeGreaterThan(1_950);
      expect(first.profilesFilled).toBe(2_000);
      const customers = await db.customer.findMany({ where: { shopId: shop.id } });
      expect(customers.every((customer) => customer.email && customer.countryCode)).toBe(true);
      expect(customers.filter((customer) => customer.lastOrderAt).length).toBe(first.aggregatesUpdated);
      expect(customers.reduce((sum, customer) => sum + customer.ordersCount, 0)).toBeGreaterThan(5_000);
      const vip = customers.filter((customer) => customer.tags.includes("vip")).length;
      expect(vip).toBeGreaterThan(50);
      expect(vip).toBeLessThan(170);

      // And about 30% are members whose one ledger entry is their balance, in the tier it reaches
      const members = await db.loyaltyMember.findMany({ where: { shopId: shop.id }, include: { tier: true } });
      expect(members.length).toBeGreaterThan(500);
      expect(members.length).toBeLessThan(700);
      expect(first.membersAdded).toBe(members.length);
      const ledger = await db.loyaltyLedgerEntry.groupBy({
        by: ["memberId"],
        where: { shopId: shop.id },
        _sum: { points: true },
      });
      const ledgerSum = new Map(ledger.map((row) => [row.memberId, row._sum.points ?? 0]));
      for (const member of members) {
        expect(ledgerSum.get(member.id) ?? 0).toBe(member.pointsBalance);
        const reached = [...BENCH_TIERS].reverse().find((tier) => BigInt(member.pointsBalance) >= tier.threshold)!;
        expect(member.tier?.name).toBe(reached.name);
      }
      expect(members.some((member) => member.tier?.name === "Gold")).toBe(true);
      await expect(db.segment.count({ where: { shopId: shop.id } })).resolves.toBe(BENCH_SEGMENTS.length);

      // When it runs again, it adds nothing
      const second = await seedAdminData(db, client, shop.id);
      expect(second).toEqual({
        aggregatesUpdated: 0,
        profilesFilled: 0,
        membersAdded: 0,
        ledgerEntriesAdded: 0,
        segmentsAdded: 0,
      });
      await expect(db.loyaltyTier.count({ where: { shopId: shop.id } })).resolves.toBe(BENCH_TIERS.length);
    } finally {
      client.release();
    }
  });
});
