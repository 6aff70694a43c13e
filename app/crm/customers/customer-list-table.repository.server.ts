// A shop's Customers list table: customer_lists.shop_<id>, one narrow row per live customer with
// every field the list filters or sorts on (from customers, customer_scores, loyalty_members), and
// one covering index per sort (sort key, id) INCLUDE (the filter fields), so that any filter with
// any sort is an index-only walk, whatever the two have to do with each other. At 1,000,000
// customers the same reads over the three joined base tables took up to seconds.
//
// The table is built in bulk and swapped in (CREATE TABLE AS, then the indexes: far cheaper than
// rewriting a million indexed rows): after an analytics run, after a history import, and on first
// use. Between builds, row triggers on the base tables patch it (migration customer_list_tables);
// writers of a whole shop turn them off with `SET LOCAL kinship.customer_list_patch = 'off'` and
// rebuild instead. A patch made while a build runs is noted in customer_lists.pending and applied
// again to the new table when it is swapped in, under the shop's exclusive lock (1801, shop).
import { randomBytes } from "node:crypto";

import { Prisma, type PrismaClient } from "@prisma/client";

import { listSearchText } from "./customer-filter-sql";

type Db = PrismaClient | Prisma.TransactionClient;

/** The advisory lock namespace the patch triggers share with the swap (see the migration). */
const PATCH_LOCK = 1801;
/** A build whose mark is older than this died with its process: another may take over. */
const STALE_BUILD_MINUTES = 15;

/** Columns the list filters on, carried in every sort index so walks never read the table. */
const FILTER_COLUMNS = [
  "rfm_segment",
  "cluster",
  "lifecycle_stage",
  "churn_risk",
  "has_score",
  "tier_id",
  "points_balance",
  "orders_count",
  "country_code",
  "email_consent",
  "sms_consent",
  "tags",
  // Search's own fields: a walk matches a common name ("smith") without reading the table.
  "first_name",
  "last_name",
  "email",
];
const SORT_COLUMNS = ["clv_minor", "net_spent_minor", "last_order_at"] as const;
/**
 * Filters whose values follow the sorts (RFM segments, stages, churn bands and clusters come from
 * recency, frequency and spend; tiers from spend): walking a sort index for one of their values can
 * pass most of the shop first, e.g. "At risk" newest first skips every recent buyer. Each gets a
 * narrow (field, sort key, id) index per sort, where its values are ranges already in order.
 */
const SORT_CORRELATED_FILTERS = ["rfm_segment", "lifecycle_stage", "churn_risk", "cluster", "tier_id"] as const;
/**
 * Range filters that follow the sorts too ("10+ orders" by lowest spend): an index of each with
 * the sort keys lets the list collect their matches and sort them without reading the table.
 */
const RANGE_FILTERS = ["orders_count", "points_balance"] as const;

function tableName(shopId: number): string {
  if (!Number.isSafeInteger(shopId) || shopId <= 0) throw new Error(`invalid shop id ${String(shopId)}`);
  return `shop_${shopId}`;
}

/** `customer_lists.shop_<id>` as SQL (the id is a checked integer, never input text). */
export function customerListTable(shopId: number): Prisma.Sql {
  return Prisma.raw(`customer_lists.${tableName(shopId)}`);
}

export async function customerListTableExists(db: Db, shopId: number): Promise<boolean> {
  const [row] = await db.$queryRaw<{ present: boolean }[]>`
    SELECT to_regclass(${`customer_lists.${tableName(shopId)}`}) IS NOT NULL AS present`;
  return row?.present ?? false;
}

/** Builds the shop's list table when it has none yet (a new shop, a restored database). */
export async function ensureCustomerListTable(db: PrismaClient, shopId: number): Promise<void> {
  // A request waits for another build of the table at most a minute.
  if (!(await customerListTableExists(db, shopId))) await rebuildCustomerListTable(db, shopId, { maxWaitMs: 60_000 });
}

export interface CustomerListBuild {
  rows: number;
  /** Customers patched during the build and re-applied at the swap. */
  reapplied: number;
  ms: { build: number; indexes: number; vacuum: number; swap: number };
}

/**
 * Builds the shop's list table afresh from the base tables and swaps it in. Safe to call at any
 * time and from several processes: one build per shop runs at a time, the others wait for it and
 * then build again (their writes may have come after its snapshot).
 */
export async function rebuildCustomerListTable(
  db: PrismaClient,
  shopId: number,
  options: { maxWaitMs?: number } = {},
): Promise<CustomerListBuild> {
  const live = tableName(shopId);
  const next = `${live}_${randomBytes(4).toString("hex")}`;
  await claimBuild(db, shopId, options.maxWaitMs ?? STALE_BUILD_MINUTES * 60_000);
  try {
    // Every patch that ran without seeing the mark has committed once this lock is granted, so
    // the snapshot below holds it; every later one records its customer in pending.
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PATCH_LOCK}::int, ${shopId}::int)`;
    });

    const { rows, build, indexes } = await db.$transaction(
      async (tx) => {
        // Index builds sort in memory rather than in temporary files (the default is 64 MB).
        await tx.$executeRawUnsafe(`SET LOCAL maintenance_work_mem = '256MB'`);
        let started = performance.now();
        const rows = await tx.$executeRawUnsafe(
          `CREATE TABLE customer_lists.${next} AS SELECT * FROM customer_lists.source_rows($1::int, NULL)`,
          shopId,
        );
        const build = performance.now() - started;
        started = performance.now();
        for (const statement of indexStatements(next)) await tx.$executeRawUnsafe(statement);
        // No row-level-security policy: the table holds one shop, and is read under that shop's
        // scope by name (customer-list.repository.server.ts inListScope). A policy comparing
        // kinship.shop_id is checked per row and estimated to keep 0.5% of them, which turned
        // every index walk into a sorted sequential scan (1 s instead of 70 ms at 1,000,000).
        return { rows, build, indexes: performance.now() - started };
      },
      { timeout: 15 * 60_000, maxWait: 10_000 },
    );

    // Sets the visibility map (index-only scans skip the heap only for all-visible pages) and
    // gives the planner the new table's statistics.
    let started = performance.now();
    await db.$executeRawUnsafe(`VACUUM (ANALYZE) customer_lists.${next}`);
    const vacuum = performance.now() - started;

    started = performance.now();
    const reapplied = await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PATCH_LOCK}::int, ${shopId}::int)`;
        const pending = await tx.$queryRaw<{ ids: bigint[] | null }[]>`
          SELECT array_agg(customer_id) AS ids FROM customer_lists.pending WHERE shop_id = ${shopId}`;
        const ids = pending[0]?.ids ?? [];
        if (ids.length > 0) {
          await tx.$executeRaw`SELECT customer_lists.apply(${shopId}::int, ${ids.map(String)}::bigint[], ${next})`;
        }
        await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS customer_lists.${live}`);
        await tx.$executeRawUnsafe(`ALTER TABLE customer_lists.${next} RENAME TO ${live}`);
        await tx.$executeRaw`DELETE FROM customer_lists.pending WHERE shop_id = ${shopId}`;
        await tx.$executeRaw`DELETE FROM customer_lists.rebuilds WHERE shop_id = ${shopId}`;
        return ids.length;
      },
      { timeout: 120_000, maxWait: 10_000 },
    );
    const swap = performance.now() - started;
    return { rows, reapplied, ms: { build, indexes, vacuum, swap } };
  } catch (error) {
    await db.$executeRawUnsafe(`DROP TABLE IF EXISTS customer_lists.${next}`).catch(() => undefined);
    await db.$executeRaw`DELETE FROM customer_lists.rebuilds WHERE shop_id = ${shopId}`.catch(() => undefined);
    throw error;
  }
}

/** The primary key, one covering index per sort, and the (field, sort key, id) indexes. */
function indexStatements(table: string): string[] {
  const statements = [`ALTER TABLE customer_lists.${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (customer_id)`];
  for (const sort of SORT_COLUMNS) {
    const included = [...FILTER_COLUMNS, ...SORT_COLUMNS.filter((other) => other !== sort)];
    statements.push(
      `CREATE INDEX ${table}_${sort} ON customer_lists.${table} (${sort}, customer_id) INCLUDE (${included.join(", ")})`,
    );
    for (const field of SORT_CORRELATED_FILTERS) {
      statements.push(
        `CREATE INDEX ${table}_${field}_${sort} ON customer_lists.${table} (${field}, ${sort}, customer_id)`,
      );
    }
  }
  // A tag few customers have: its matches are found here, not by walking the shop.
  statements.push(`CREATE INDEX ${table}_tags ON customer_lists.${table} USING gin (tags)`);
  // Search: trigrams of the names and e-mail as one text (customer-filter-sql.ts listSearchText).
  statements.push(
    `CREATE INDEX ${table}_search ON customer_lists.${table} USING gin ((${listSearchText(null)}) gin_trgm_ops)`,
  );
  for (const field of RANGE_FILTERS) {
    statements.push(
      `CREATE INDEX ${table}_${field} ON customer_lists.${table} (${field}, customer_id) INCLUDE (${SORT_COLUMNS.join(", ")})`,
    );
  }
  return statements;
}

/** Marks the shop's build as under way, waiting while another live build holds the mark. */
async function claimBuild(db: PrismaClient, shopId: number, maxWaitMs: number): Promise<void> {
  const giveUpAt = Date.now() + maxWaitMs;
  for (;;) {
    const claimed = await db.$queryRaw<{ shop_id: number }[]>`
      INSERT INTO customer_lists.rebuilds AS b (shop_id) VALUES (${shopId})
      ON CONFLICT (shop_id) DO UPDATE SET started_at = now()
        WHERE b.started_at < now() - make_interval(mins => ${STALE_BUILD_MINUTES}::int)
      RETURNING shop_id`;
    if (claimed.length > 0) return;
    if (Date.now() > giveUpAt)
      throw new Error(`The Customers list of shop ${shopId} is being built; try again shortly`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
