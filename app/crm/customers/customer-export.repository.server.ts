// Streams the customers matching a filter (or a saved segment's members) as CSV. One pg
// connection holds a server-side cursor (DECLARE … CURSOR in a read-only transaction) and the
// stream FETCHes 2,000 rows each time the reader asks for more, so memory stays flat whatever
// the row count, and a slow download applies back-pressure instead of buffering.
import { Prisma, type PrismaClient } from "@prisma/client";
import pg from "pg";

import { scopePgTransactionToShop } from "../tenancy/shop-scope.repository.server";
import type { CustomerFilter } from "./customer-filter";
import { CUSTOMER_FILTER_FROM, customerFilterWhere, SHOP_SCOPED_FILTER_COLUMNS } from "./customer-filter-sql";
import { customerCsvHeader, customerCsvLine, EXPORT_FETCH_SIZE, type CustomerExportRow } from "./customer-export";

export type ExportSource = { kind: "filter"; filter: CustomerFilter } | { kind: "segment"; segmentId: number };

export function customerExportQuery(shop: { id: number; ianaTimezone: string }, source: ExportSource): Prisma.Sql {
  const membership =
    source.kind === "segment"
      ? Prisma.sql`JOIN segment_members sm ON sm.customer_id = c.id AND sm.segment_id = ${source.segmentId}
          AND sm.shop_id = ${shop.id}`
      : Prisma.empty;
  const filter = source.kind === "filter" ? source.filter : { combinator: "and" as const, conditions: [] };
  // The cursor runs inside the shop's scope (customerCsvStream): the search that keeps its indexes there.
  const where = customerFilterWhere(shop.id, filter, {
    timeZone: shop.ianaTimezone,
    columns: SHOP_SCOPED_FILTER_COLUMNS,
  });
  return Prisma.sql`SELECT c.shopify_id, c.first_name, c.last_name, c.email, c.country_code, c.orders_count,
      c.net_spent_minor,
      to_char(c.last_order_at AT TIME ZONE ${shop.ianaTimezone}, 'YYYY-MM-DD HH24:MI') AS last_order_local,
      s.rfm_segment, s.lifecycle_stage, s.churn_risk, s.clv_minor, m.points_balance, t.name AS tier_name,
      c.tags, c.email_consent
    ${CUSTOMER_FILTER_FROM}
    LEFT JOIN loyalty_tiers t ON t.id = m.tier_id
    ${membership}
    WHERE ${where}
    ORDER BY c.id`;
}

/** The CSV as a byte stream; the connection closes when the stream ends, fails or is cancelled. */
export function customerCsvStream(input: {
  databaseUrl: string;
  shop: { id: number; ianaTimezone: string; currencyCode: string };
  source: ExportSource;
  onDone?: (rows: number) => void;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const query = customerExportQuery(input.shop, input.source);
  let client: pg.Client | null = null;
  let rows = 0;
  const close = async (outcome: "COMMIT" | "ROLLBACK") => {
    const open = client;
    client = null;
    if (!open) return;
    try {
      await open.query(outcome);
    } finally {
      await open.end();
    }
  };
  return new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        client = new pg.Client({ connectionString: input.databaseUrl });
        try {
          await client.connect();
          await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
          // Personal data leaving the app: row-level security keeps the cursor inside the shop too.
          await scopePgTransactionToShop(client, input.shop.id);
          await client.query(`DECLARE customers_export NO SCROLL CURSOR FOR ${query.text}`, query.values);
        } catch (error) {
          const failed = client;
          client = null;
          await failed.end().catch(() => undefined);
          throw error;
        }
        controller.enqueue(encoder.encode(customerCsvHeader()));
      },
      async pull(controller) {
        if (!client) return;
        try {
          const batch = await client.query<CustomerExportRow>(`FETCH ${EXPORT_FETCH_SIZE} FROM customers_export`);
          if (batch.rows.length > 0) {
            let chunk = "";
            for (const row of batch.rows) chunk += customerCsvLine(row, input.shop.currencyCode);
            rows += batch.rows.length;
            controller.enqueue(encoder.encode(chunk));
          }
          if (batch.rows.length < EXPORT_FETCH_SIZE) {
            await close("COMMIT");
            input.onDone?.(rows);
            controller.close();
          }
        } catch (error) {
          await close("ROLLBACK").catch(() => undefined);
          controller.error(error);
        }
      },
      async cancel() {
        await close("ROLLBACK");
      },
    },
    // One fetched batch at a time: the next FETCH waits for the reader.
    { highWaterMark: 1 },
  );
}

export async function liveSegmentOf(
  db: PrismaClient,
  shopId: number,
  segmentId: number,
): Promise<{ id: number; name: string } | null> {
  return db.segment.findFirst({ where: { id: segmentId, shopId, deletedAt: null }, select: { id: true, name: true } });
}
