// The backup path for real on the demo data: seed the demo shop (profiles, loyalty, a segment
// and a session with an encrypted-looking token) into a fresh database, `pg_dump` it, restore
// into an empty database, and find the same figures there. A second restore over the now
// populated database is refused.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPrismaClient, type PrismaClient } from "../../app/db.server";
import { createJobQueues, type JobQueues } from "../../app/jobs/job-queues.server";
import { logger } from "../../app/lib/logger.server";
import { recomputeSegmentMembers } from "../../app/crm/segments/segment-membership.repository.server";
import { createSegment } from "../../app/crm/segments/segments.repository.server";
import { decryptToken, encryptToken, generateTokenKey, parseTokenKeyring } from "../../app/crm/security/token-cipher";
import { withShop } from "../../app/crm/tenancy/shop-scope.repository.server";
import { applyMigrations, dropDatabase, ensureDatabase } from "../../prisma/migrator";
import { generateDemoStore } from "../../test/shopify-double/demo-store";
import { testDatabaseUrl } from "../../test/helpers/test-database";
import { openTestQueues } from "../../test/helpers/test-queues";
import { ensureDemoLoyalty } from "../demo/demo-loyalty";
import { seedDemoShop } from "../demo/seed-demo-shop";
import { figuresOf } from "./backup-figures";
import { backupDatabase, restoreDatabase } from "./pg-backup";

const suffix = randomBytes(3).toString("hex");
const databaseAt = (name: string) => {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_${name}_${suffix}`;
  return url.toString();
};
const sourceUrl = databaseAt("bk_src");
const restoredUrl = databaseAt("bk_dst");
const dir = mkdtempSync(path.join(tmpdir(), "kinship-backup-"));
const storeDay = new Date("2026-06-01T00:00:00Z");
const domain = `backup-demo-${suffix}.myshopify.com`;
const keyring = parseTokenKeyring(generateTokenKey("backup"));

let db: PrismaClient;
let queues: ReturnType<typeof openTestQueues>;
let jobs: JobQueues;

beforeAll(async () => {
  await ensureDatabase(sourceUrl);
  await applyMigrations(sourceUrl);
  db = createPrismaClient(sourceUrl);
  queues = openTestQueues();
  jobs = createJobQueues(queues.connection, queues.prefix);
});

afterAll(async () => {
  await db?.$disconnect();
  await jobs?.close();
  await queues?.cleanUp();
  await dropDatabase(sourceUrl);
  await dropDatabase(restoredUrl);
  rmSync(dir, { recursive: true, force: true });
});

describe("backup and restore", () => {
  it("brings the demo shop back with the same counts, spend, ledger balances, segment members and tokens", async () => {
    // Given the demo shop with its loyalty program, a computed segment and an offline session
    const { shopId } = await seedDemoShop(db, generateDemoStore({ seed: 11, now: storeDay, shopDomain: domain }));
    await ensureDemoLoyalty({ db, logger, jobs }, domain, storeDay);
    const segment = await createSegment(
      db,
      shopId,
      {
        name: "Repeat buyers",
        rule: { combinator: "and", conditions: [{ field: "ordersCount", op: "gte", value: 2 }] },
        syncToShopify: false,
      },
      null,
    );
    await recomputeSegmentMembers(db, segment, { timeZone: "UTC", runId: null, now: storeDay });
    await db.session.create({
      data: {
        id: `offline_${domain}`,
        shop: domain,
        state: "",
        accessToken: encryptToken("shpat_backup", domain, keyring),
      },
    });
    const before = await figuresOf(sourceUrl);
    const shop = before.shops.find((figures) => figures.domain === domain)!;
    expect(shop.customers).toBeGreaterThan(1000);
    expect(shop.ledgerEntries).toBeGreaterThan(100);
    expect(shop.segmentMembers).toBeGreaterThan(0);
    expect(shop.balancesNotEqualToLedger).toBe(0);
    expect(shop.sessionsDigest).not.toBeNull();

    // When it is backed up and restored into an empty database
    const file = path.join(dir, "kinship.dump");
    await backupDatabase(sourceUrl, file);
    await restoreDatabase(file, restoredUrl);

    // Then every figure is the same, and the restored schema is fully migrated
    expect(await figuresOf(restoredUrl)).toEqual(before);
    const restored = createPrismaClient(restoredUrl);
    try {
      // And the app writes on it: sequences were restored too, so a new row gets a fresh id
      const newest = await restored.customer.findFirstOrThrow({ where: { shopId }, orderBy: { id: "desc" } });
      const added = await restored.customer.create({
        data: {
          shopId,
          shopifyId: newest.shopifyId + 1_000_000n,
          shopifyCreatedAt: storeDay,
          shopifyUpdatedAt: storeDay,
        },
      });
      expect(added.id).toBeGreaterThan(newest.id);
      // And row-level security still scopes a shop's reads (grants and policies came back)
      const scoped = await withShop(restored, shopId, (tx) => tx.customer.count());
      expect(scoped).toBe(shop.customers + 1);
      // And the token is still encrypted, and opens with the same key
      const session = await restored.session.findUniqueOrThrow({ where: { id: `offline_${domain}` } });
      expect(session.accessToken).not.toContain("shpat_backup");
      expect(decryptToken(session.accessToken, domain, keyring)).toBe("shpat_backup");
    } finally {
      await restored.$disconnect();
    }

    // And a restore over a database that has tables is refused
    await expect(restoreDatabase(file, restoredUrl)).rejects.toThrow(/already has \d+ tables/);
  }, 120_000);
});
