// What the merchant admin needs on top of the analytics bench's generated shop, added in place and
// idempotently (each step only touches rows it has not filled yet, so a second run writes nothing):
// - the customers' order figures (orders count, spend, last order), through the profile's own
//   recompute, when the generator left them empty;
// - names, e-mails, countries, tags and marketing consent, drawn from a hash of the Shopify id so
//   every run draws the same;
// - a loyalty program with three tiers and members for ~30% of the customers, each with an
//   exponential points balance backed by one ledger entry (so the ledger and the cached balance
//   agree) and the tier its balance reaches;
// - a few saved segments.
import type { Prisma } from "@prisma/client";
import type pg from "pg";

import { customerFilterSchema, type CustomerFilter } from "../../../app/crm/customers/customer-filter";
import { createTier, findProgram, saveProgramSettings } from "../../../app/crm/loyalty/loyalty.repository.server";
import { parseProgramSettings } from "../../../app/crm/loyalty/loyalty-program";
import { recomputeCustomerAggregates } from "../../../app/crm/profile/customer-aggregates.repository.server";
import type { PrismaClient } from "../../../app/db.server";

export const BENCH_TIERS = [
  { name: "Bronze", threshold: 0n },
  { name: "Silver", threshold: 500n },
  { name: "Gold", threshold: 2_000n },
] as const;

/** Share of customers who are loyalty members, in tenths (the hash bucket below it joins). */
const MEMBER_TENTHS = 3;
const LEDGER_KEY_PREFIX = "bench-admin-seed:";

export const BENCH_SEGMENTS: { handle: string; name: string; filter: CustomerFilter }[] = [
  {
    handle: "kinship:bench-at-risk-vips",
    name: "At-risk VIPs",
    filter: {
      combinator: "and",
      conditions: [
        { field: "lifecycleStage", op: "in", values: ["at_risk"] },
        { field: "netSpent", op: "gte", value: "50000" },
      ],
    },
  },
  {
    handle: "kinship:bench-champions-subscribed",
    name: "Champions who take e-mail",
    filter: {
      combinator: "and",
      conditions: [
        { field: "rfmSegment", op: "in", values: ["Champions"] },
        { field: "emailConsent", op: "in", values: ["SUBSCRIBED"] },
      ],
    },
  },
  {
    handle: "kinship:bench-gold-or-big-spenders",
    name: "Gold members or big spenders",
    filter: {
      combinator: "or",
      conditions: [
        { field: "points", op: "gte", value: 2000 },
        { field: "netSpent", op: "gte", value: "200000" },
      ],
    },
  },
];

export interface SeedReport {
  aggregatesUpdated: number;
  profilesFilled: number;
  membersAdded: number;
  ledgerEntriesAdded: number;
  segmentsAdded: number;
}

// Independent draws per customer: PostgreSQL's 64-bit hash of the Shopify id with a seed per use.
const draw = (seed: number, modulo: number) => `(abs(hashint8extended(shopify_id, ${seed})) % ${modulo})`;

export async function seedAdminData(
  db: PrismaClient,
  client: pg.ClientBase,
  shopId: number,
  log: (line: string) => void = () => {},
): Promise<SeedReport> {
  const report: SeedReport = {
    aggregatesUpdated: 0,
    profilesFilled: 0,
    membersAdded: 0,
    ledgerEntriesAdded: 0,
    segmentsAdded: 0,
  };
  const started = () => {
    const at = Date.now();
    return () => `${((Date.now() - at) / 1000).toFixed(1)} s`;
  };

  const { rows: aggregateRows } = await client.query<{ missing: boolean }>(
    `SELECT NOT EXISTS (SELECT 1 FROM customers WHERE shop_id = $1 AND last_order_at IS NOT NULL)
            AND EXISTS (SELECT 1 FROM orders WHERE shop_id = $1) AS missing`,
    [shopId],
  );
  if (aggregateRows[0]?.missing) {
    const took = started();
    report.aggregatesUpdated = await recomputeCustomerAggregates(db, shopId);
    log(`customer order figures: ${report.aggregatesUpdated.toLocaleString("en")} customers in ${took()}`);
  }

  const filled = started();
  const profiles = await client.query(
    `UPDATE customers SET
       first_name = (ARRAY['Ada','Grace','Alan','Linus','Hedy','Katherine','Tim','Margaret','Dennis','Barbara',
                           'Ken','Radia','Edsger','Frances','John','Sophie','Yukihiro','Anita','Guido','Lovelace'])
                    [1 + ${draw(1, 20)}],
       last_name = (ARRAY['Smith','Johnson','Müller','García','Martin','Rossi','Dubois','Tanaka','Kowalski','Nielsen',
                          'Brown','Schmidt','Silva','Jensen','Novak','Murphy','Andersson','Costa','Yilmaz','Ivanova'])
                   [1 + ${draw(2, 20)}],
       email = 'customer' || shopify_id || '@example.com',
       country_code = CASE
         WHEN ${draw(3, 100)} < 40 THEN 'US' WHEN ${draw(3, 100)} < 52 THEN 'GB'
         WHEN ${draw(3, 100)} < 62 THEN 'CA' WHEN ${draw(3, 100)} < 71 THEN 'DE'
         WHEN ${draw(3, 100)} < 78 THEN 'FR' WHEN ${draw(3, 100)} < 84 THEN 'AU'
         WHEN ${draw(3, 100)} < 88 THEN 'NL' WHEN ${draw(3, 100)} < 92 THEN 'ES'
         WHEN ${draw(3, 100)} < 96 THEN 'IT' WHEN ${draw(3, 100)} < 98 THEN 'SE' ELSE 'JP' END,
       tags = array_remove(ARRAY[
         CASE WHEN ${draw(4, 20)} = 0 THEN 'vip' END,
         CASE WHEN ${draw(5, 10)} < 3 THEN 'newsletter' END,
         CASE WHEN ${draw(6, 40)} = 0 THEN 'wholesale' END,
         CASE WHEN ${draw(7, 200)} = 0 THEN 'influencer' END
       ], NULL),
       email_consent = CASE WHEN ${draw(8, 100)} < 45 THEN 'SUBSCRIBED'
                            WHEN ${draw(8, 100)} < 85 THEN 'NOT_SUBSCRIBED' ELSE 'UNSUBSCRIBED' END,
       sms_consent = CASE WHEN ${draw(9, 10)} = 0 THEN 'SUBSCRIBED' ELSE 'NOT_SUBSCRIBED' END
     WHERE shop_id = $1 AND email IS NULL AND redacted_at IS NULL`,
    [shopId],
  );
  report.profilesFilled = profiles.rowCount ?? 0;
  if (report.profilesFilled) log(`names, e-mails, countries, tags, consent: ${report.profilesFilled} in ${filled()}`);

  if (!(await findProgram(db, shopId))) {
    await saveProgramSettings(
      db,
      shopId,
      parseProgramSettings({ earn: { pointsPerCurrencyUnit: 1 }, bonuses: { signup: 50 } }),
    );
  }
  const tiers = await db.loyaltyTier.findMany({ where: { shopId, archivedAt: null }, orderBy: { threshold: "asc" } });
  for (const tier of BENCH_TIERS) {
    if (tiers.some((existing) => existing.name === tier.name)) continue;
    tiers.push(await createTier(db, shopId, { ...tier, earnMultiplierPermille: 1000, entryBonusPoints: 0 }));
  }
  const tierId = (name: string) => tiers.find((tier) => tier.name === name)!.id;

  const joined = started();
  // Balance: exponential with a mean of 600 points; the tier is the one the balance reaches.
  const members = await client.query(
    `INSERT INTO loyalty_members (shop_id, customer_id, referral_code, points_balance, balance_version, tier_id,
                                  tier_since, joined_at, last_activity_at, updated_at)
     SELECT shop_id, id, 'BENCH' || upper(to_hex(shopify_id)), balance, CASE WHEN balance > 0 THEN 1 ELSE 0 END,
            CASE WHEN balance >= ${BENCH_TIERS[2].threshold} THEN $2::int
                 WHEN balance >= ${BENCH_TIERS[1].threshold} THEN $3::int ELSE $4::int END,
            joined, joined, COALESCE(last_order_at, joined), now()
     FROM (
       SELECT shop_id, id, shopify_id, last_order_at, COALESCE(first_order_at, shopify_created_at) AS joined,
              floor(-ln(1 - ${draw(11, 100_000)} / 100000.0) * 600)::int AS balance
       FROM customers AS c WHERE shop_id = $1 AND deleted_at IS NULL AND ${draw(10, 10)} < ${MEMBER_TENTHS}
         AND NOT EXISTS (SELECT 1 FROM loyalty_members AS lm WHERE lm.customer_id = c.id)
     ) AS drawn
     ON CONFLICT DO NOTHING`,
    [shopId, tierId("Gold"), tierId("Silver"), tierId("Bronze")],
  );
  report.membersAdded = members.rowCount ?? 0;
  const ledger = await client.query(
    `INSERT INTO loyalty_ledger_entries (shop_id, member_id, kind, points, idempotency_key, reason, created_at)
     SELECT shop_id, id, 'adjust', points_balance, '${LEDGER_KEY_PREFIX}' || id, 'Opening balance (bench)', joined_at
     FROM loyalty_members WHERE shop_id = $1 AND points_balance > 0 AND last_entry_id IS NULL
     ON CONFLICT DO NOTHING`,
    [shopId],
  );
  report.ledgerEntriesAdded = ledger.rowCount ?? 0;
  await client.query(
    `UPDATE loyalty_members AS m SET last_entry_id = e.id
     FROM loyalty_ledger_entries AS e
     WHERE m.shop_id = $1 AND m.last_entry_id IS NULL AND e.shop_id = $1
       AND e.idempotency_key = '${LEDGER_KEY_PREFIX}' || m.id`,
    [shopId],
  );
  if (report.membersAdded) log(`loyalty members: ${report.membersAdded.toLocaleString("en")} in ${joined()}`);

  for (const segment of BENCH_SEGMENTS) {
    const existing = await db.segment.findUnique({ where: { shopId_handle: { shopId, handle: segment.handle } } });
    if (existing) continue;
    await db.segment.create({
      data: {
        shopId,
        handle: segment.handle,
        name: segment.name,
        filter: customerFilterSchema.parse(segment.filter) as Prisma.InputJsonValue,
      },
    });
    report.segmentsAdded++;
  }

  if (report.aggregatesUpdated || report.profilesFilled || report.membersAdded) {
    await client.query("VACUUM ANALYZE customers");
    await client.query("VACUUM ANALYZE loyalty_members");
    await client.query("VACUUM ANALYZE loyalty_ledger_entries");
  }
  return report;
}
