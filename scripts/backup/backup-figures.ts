// The figures a restore must bring back unchanged, per shop: row counts, money sums, loyalty
// balances (and that each still equals the sum of its ledger), segment members, and a digest
// of the session rows (their tokens are compared as stored, i.e. encrypted).
import pg from "pg";

export interface ShopFigures {
  domain: string;
  customers: number;
  orders: number;
  refunds: number;
  netSpentMinor: string;
  ledgerEntries: number;
  ledgerPoints: string;
  memberBalances: string;
  balancesNotEqualToLedger: number;
  redemptions: number;
  segmentMembers: number;
  sessionsDigest: string | null;
}

export interface DatabaseFigures {
  migrations: number;
  shops: ShopFigures[];
}

const SHOP_FIGURES = `
  SELECT s.domain,
    (SELECT count(*) FROM customers c WHERE c.shop_id = s.id)::int AS customers,
    (SELECT count(*) FROM orders o WHERE o.shop_id = s.id)::int AS orders,
    (SELECT count(*) FROM refunds r WHERE r.shop_id = s.id)::int AS refunds,
    (SELECT coalesce(sum(c.net_spent_minor), 0)::text FROM customers c WHERE c.shop_id = s.id) AS net_spent_minor,
    (SELECT count(*) FROM loyalty_ledger_entries l WHERE l.shop_id = s.id)::int AS ledger_entries,
    (SELECT coalesce(sum(l.points), 0)::text FROM loyalty_ledger_entries l WHERE l.shop_id = s.id) AS ledger_points,
    (SELECT coalesce(sum(m.points_balance), 0)::text FROM loyalty_members m WHERE m.shop_id = s.id) AS member_balances,
    (SELECT count(*) FROM loyalty_members m
       WHERE m.shop_id = s.id
         AND m.points_balance <> (SELECT coalesce(sum(l.points), 0) FROM loyalty_ledger_entries l WHERE l.member_id = m.id)
    )::int AS balances_not_equal_to_ledger,
    (SELECT count(*) FROM loyalty_redemptions r WHERE r.shop_id = s.id)::int AS redemptions,
    (SELECT count(*) FROM segment_members sm JOIN segments g ON g.id = sm.segment_id WHERE g.shop_id = s.id)::int
      AS segment_members,
    (SELECT md5(string_agg(x.id || ':' || x."accessToken", '|' ORDER BY x.id)) FROM "Session" x WHERE x.shop = s.domain)
      AS sessions_digest
  FROM shops s ORDER BY s.domain`;

export async function figuresOf(databaseUrl: string): Promise<DatabaseFigures> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const migrations = await client.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`,
    );
    const { rows } = await client.query(SHOP_FIGURES);
    return {
      migrations: migrations.rows[0]!.count,
      shops: rows.map((row) => ({
        domain: row.domain,
        customers: row.customers,
        orders: row.orders,
        refunds: row.refunds,
        netSpentMinor: row.net_spent_minor,
        ledgerEntries: row.ledger_entries,
        ledgerPoints: row.ledger_points,
        memberBalances: row.member_balances,
        balancesNotEqualToLedger: row.balances_not_equal_to_ledger,
        redemptions: row.redemptions,
        segmentMembers: row.segment_members,
        sessionsDigest: row.sessions_digest,
      })),
    };
  } finally {
    await client.end();
  }
}
