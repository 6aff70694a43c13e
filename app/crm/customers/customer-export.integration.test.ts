// The streamed customers CSV on real PostgreSQL: a shop of a few thousand customers arrives in
// several chunks (one per FETCH) and holds exactly the filtered set; formula-like cells are
// neutralised; a saved segment's members export through ?segment=<id>; each export is audited;
// a cancelled download closes its cursor's transaction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestShop } from "../../../test/helpers/create-test-shop";
import { createTestPrisma, testDatabaseUrl } from "../../../test/helpers/test-database";
import type { CustomerFilter } from "./customer-filter";
import { EXPORT_FETCH_SIZE } from "./customer-export";
import { customerCsvStream } from "./customer-export.repository.server";
import { exportCustomersCsv } from "./customers-export.server";

const db = createTestPrisma();
const staff = { userId: 7n, name: "Export Staff" };
let shop: Awaited<ReturnType<typeof createTestShop>>;
const CUSTOMERS = 4_500;

async function readChunks(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(decoder.decode(value));
  }
}

/** Splits RFC 4180 CSV (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  return rows;
}

beforeAll(async () => {
  shop = await createTestShop(db, { currencyCode: "EUR", ianaTimezone: "Europe/Paris" });
  await db.$executeRaw`INSERT INTO customers (shop_id, shopify_id, first_name, last_name, email, orders_count,
      net_spent_minor, last_order_at, tags, shopify_created_at, shopify_updated_at, updated_at)
    SELECT ${shop.id}, 800000 + g,
      CASE WHEN g = 7 THEN '=HYPERLINK("http://evil","x")' WHEN g = 8 THEN '@SUM(A1)' ELSE 'C' || g END,
      CASE WHEN g = 9 THEN '-2+3' ELSE 'Last, ' || g END,
      'c' || g || '@example.com', g % 4, g * 100 + 5,
      timestamptz '2025-06-30 22:30:00+00', ARRAY['t' || (g % 3)], now(), now(), now()
    FROM generate_series(1, ${CUSTOMERS}) g`;
});

afterAll(async () => {
  await db.shop.deleteMany({ where: { id: shop.id } });
  await db.$disconnect();
});

describe("customers CSV export", () => {
  it("streams the filtered set in chunks, exactly", async () => {
    const filter: CustomerFilter = { combinator: "and", conditions: [{ field: "ordersCount", op: "gte", value: 2 }] };
    const chunks = await readChunks(
      customerCsvStream({
        databaseUrl: testDatabaseUrl(),
        shop,
        source: { kind: "filter", filter },
      }),
    );
    const expected = await db.customer.findMany({
      where: { shopId: shop.id, ordersCount: { gte: 2 } },
      select: { shopifyId: true },
      orderBy: { id: "asc" },
    });
    expect(expected.length).toBeGreaterThan(EXPORT_FETCH_SIZE);
    // The header, then one chunk per FETCH of 2,000 rows.
    expect(chunks.length).toBe(1 + Math.ceil(expected.length / EXPORT_FETCH_SIZE));
    const rows = parseCsv(chunks.join(""));
    expect(rows[0]![0]).toBe("shopify_customer_id");
    expect(rows.slice(1).map((row) => row[0])).toEqual(expected.map((c) => String(c.shopifyId)));
    // Money in major units of the shop currency, dates in the shop's zone.
    const c10 = rows.find((row) => row[0] === "800010")!;
    expect(c10.slice(5, 9)).toEqual(["2", "10.05", "EUR", "2025-07-01 00:30"]);
    expect(c10[2]).toBe("Last, 10");
  });

  it("neutralises cells a spreadsheet would run as formulas", async () => {
    const text = (
      await readChunks(
        customerCsvStream({
          databaseUrl: testDatabaseUrl(),
          shop,
          source: { kind: "filter", filter: { combinator: "and", conditions: [] } },
        }),
      )
    ).join("");
    const rows = parseCsv(text);
    expect(rows).toHaveLength(CUSTOMERS + 1);
    expect(rows.find((row) => row[0] === "800007")![1]).toBe(`'=HYPERLINK("http://evil","x")`);
    expect(rows.find((row) => row[0] === "800008")![1]).toBe("'@SUM(A1)");
    expect(rows.find((row) => row[0] === "800009")![2]).toBe("'-2+3");
  });

  it("exports a saved segment's members with ?segment=<id>, and audits both kinds of export", async () => {
    const segment = await db.segment.create({
      data: { shopId: shop.id, name: "Some", handle: `kinship:some-${shop.id}`, filter: {} },
    });
    await db.$executeRaw`INSERT INTO segment_members (segment_id, customer_id, shop_id, entered_at)
      SELECT ${segment.id}, id, shop_id, now() FROM customers WHERE shop_id = ${shop.id} AND shopify_id % 100 = 0`;
    const exported = await exportCustomersCsv(
      { db, databaseUrl: testDatabaseUrl() },
      { shopDomain: shop.domain, staff, url: new URL(`http://app/app/customers/export?segment=${segment.id}`) },
    );
    expect(exported.filename).toMatch(/^kinship-segment-\d+-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parseCsv((await readChunks(exported.stream)).join("")).slice(1);
    expect(rows).toHaveLength(CUSTOMERS / 100);
    expect(rows.every((row) => Number(row[0]) % 100 === 0)).toBe(true);

    const filtered = await exportCustomersCsv(
      { db, databaseUrl: testDatabaseUrl() },
      { shopDomain: shop.domain, staff, url: new URL("http://app/app/customers/export?tags=t1&orders_min=3") },
    );
    const filteredRows = parseCsv((await readChunks(filtered.stream)).join("")).slice(1);
    const expected = await db.customer.count({
      where: { shopId: shop.id, ordersCount: { gte: 3 }, tags: { has: "t1" } },
    });
    expect(filteredRows).toHaveLength(expected);

    const audit = await db.staffAuditEntry.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    expect(audit.map((entry) => entry.action)).toEqual(["segment.exported", "customers.exported"]);
    expect(audit[0]!.details).toEqual({ segmentId: segment.id });
    expect(audit.every((entry) => entry.staffUserId === 7n)).toBe(true);

    await expect(
      exportCustomersCsv(
        { db, databaseUrl: testDatabaseUrl() },
        { shopDomain: shop.domain, staff, url: new URL("http://app/app/customers/export?segment=999999") },
      ),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      exportCustomersCsv(
        { db, databaseUrl: testDatabaseUrl() },
        { shopDomain: shop.domain, staff, url: new URL("http://app/app/customers/export?orders_min=lots") },
      ),
    ).rejects.toMatchObject({ status: 400 });
  });

  it("closes the cursor's transaction when the download is cancelled", async () => {
    const stream = customerCsvStream({
      databaseUrl: testDatabaseUrl(),
      shop,
      source: { kind: "filter", filter: { combinator: "and", conditions: [] } },
    });
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    const open = async () =>
      (
        await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND query LIKE 'FETCH % FROM customers_export'`
      )[0]!.n;
    expect(await open()).toBe(1);
    await reader.cancel();
    await expect.poll(open, { timeout: 5_000 }).toBe(0);
  });
});
