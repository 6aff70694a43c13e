// The history import's write path: one PostgreSQL connection for the whole file, and per
// batch one transaction that COPYs the rows into temporary staging tables, merges them with
// the profile repository's statements (the same guards as webhooks) and records the run's
// progress. Data and `lines_done` commit together: a crash resumes exactly after the last
// committed batch, and no record is counted twice.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

import type { CustomerRecord, OrderRecord, RefundRecord } from "../profile/profile-records";
import {
  CUSTOMER_COLUMNS,
  LINE_ITEM_COLUMNS,
  mergeCustomerRows,
  mergeOrderRows,
  ORDER_COLUMNS,
  type OrderLine,
  REFUND_COLUMNS,
  type RunStatement,
  type SourceColumn,
  tableSource,
} from "../profile/profile-records.repository.server";

export interface HistoryBatch {
  customers: CustomerRecord[];
  orders: OrderRecord[];
  /** Lines of the file consumed through this batch (the resume position). */
  linesThrough: number;
}

export interface HistoryRunRef {
  runId: number;
  shopId: number;
  bulkOperationId: string;
}

/** The run moved on (taken over, finished) while this job still wrote: its batch is rolled back. */
export class HistoryRunMovedOnError extends Error {
  constructor(runId: number) {
    super(`History import ${runId} is no longer running this operation`);
    this.name = "HistoryRunMovedOnError";
  }
}

const STAGES = {
  customers: { table: "history_stage_customers", columns: CUSTOMER_COLUMNS },
  orders: { table: "history_stage_orders", columns: ORDER_COLUMNS },
  lineItems: { table: "history_stage_line_items", columns: LINE_ITEM_COLUMNS },
  refunds: { table: "history_stage_refunds", columns: REFUND_COLUMNS },
} as const;

// Temporary tables are private to the connection and not WAL-logged; ON COMMIT DELETE ROWS
// empties them after each batch's transaction.
const createStage = (stage: { table: string; columns: SourceColumn<never>[] }) =>
  `CREATE TEMP TABLE IF NOT EXISTS ${stage.table} (${stage.columns.map((c) => `${c.name} ${c.type}`).join(", ")}) ON COMMIT DELETE ROWS`;

const ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** One value in COPY's text format. */
function copyValue(value: string | number | bigint | null): string {
  if (value === null) return "\\N";
  const text = String(value);
  return /[\\\n\r\t]/.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]!) : text;
}

function copyText<T>(columns: SourceColumn<T>[], rows: readonly T[]): string {
  let text = "";
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) text += (i ? "\t" : "") + copyValue(columns[i]!.value(row));
    text += "\n";
  }
  return text;
}

async function copyRows<T>(
  client: pg.Client,
  stage: { table: string; columns: SourceColumn<T>[] },
  rows: readonly T[],
) {
  if (rows.length === 0) return;
  const columns = stage.columns.map((c) => c.name).join(", ");
  const sink = client.query(copyFrom(`COPY ${stage.table} (${columns}) FROM STDIN`));
  await pipeline(Readable.from([copyText(stage.columns, rows)]), sink);
}

export interface HistoryBatchWriter {
  write(run: HistoryRunRef, batch: HistoryBatch): Promise<void>;
  close(): Promise<void>;
}

export async function openHistoryBatchWriter(databaseUrl: string): Promise<HistoryBatchWriter> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const stage of Object.values(STAGES)) await client.query(createStage(stage as never));
  } catch (error) {
    await client.end();
    throw error;
  }
  const run: RunStatement = async (sql, params) => (await client.query(sql, params)).rowCount ?? 0;

  async function writeRows(shopId: number, batch: HistoryBatch) {
    if (batch.customers.length > 0) {
      await copyRows(client, STAGES.customers, batch.customers);
      await mergeCustomerRows(run, shopId, tableSource(STAGES.customers.table));
    }
    if (batch.orders.length > 0) {
      const lines: OrderLine[] = batch.orders.flatMap((order) => order.lineItems.map((line) => ({ order, line })));
      const refunds: RefundRecord[] = batch.orders.flatMap((order) => order.refunds);
      await copyRows(client, STAGES.orders, batch.orders);
      await copyRows(client, STAGES.lineItems, lines);
      await copyRows(client, STAGES.refunds, refunds);
      await mergeOrderRows(run, shopId, {
        orders: tableSource(STAGES.orders.table),
        lineItems: tableSource(STAGES.lineItems.table),
        refunds: tableSource(STAGES.refunds.table),
      });
    }
  }

  return {
    async write(ref, batch) {
      await client.query("BEGIN");
      try {
        // A batch of a few thousand rows against tables of millions: without this PostgreSQL
        // hash-joins whole tables (orders, customers) per batch, so each batch costs more
        // than the last. Index lookups keep every batch at the same cost.
        await client.query("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off");
        // The import rebuilds the Customers list table when it ends, rather than patching it per row.
        await client.query("SET LOCAL kinship.customer_list_patch = 'off'");
        await writeRows(ref.shopId, batch);
        const progressed = await run(
          `UPDATE sync_runs
           SET lines_done = $2, customers_count = customers_count + $3, orders_count = orders_count + $4,
               heartbeat_at = now()
           WHERE id = $1 AND status = 'running' AND bulk_operation_id = $5`,
          [ref.runId, batch.linesThrough, batch.customers.length, batch.orders.length, ref.bulkOperationId],
        );
        if (progressed !== 1) throw new HistoryRunMovedOnError(ref.runId);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}
