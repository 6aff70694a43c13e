// Reads the analyst CLI's order file: a CSV with the header customer_id,ordered_at,amount (other
// columns ignored). Any bad row stops the run with an error naming its line.
import { readFileSync } from "node:fs";

import { parse } from "csv-parse/sync";
import { z } from "zod";

export interface OrderRow {
  customerId: string;
  orderedAt: Date;
  /** In the file's currency units, e.g. dollars. */
  amount: number;
}

/** Bad input: the CLI prints the message and exits with code 2. */
export class InputError extends Error {}

const REQUIRED_COLUMNS = ["customer_id", "ordered_at", "amount"] as const;

// A date (midnight UTC) or a date-time with an optional offset (UTC when it has none).
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export const isoInstant = z.string().transform((text, context) => {
  const instant = parseIsoInstant(text.trim());
  if (!instant) {
    context.addIssue({
      code: "custom",
      message: `unparseable date "${text}" (expected YYYY-MM-DD or an ISO date-time)`,
    });
    return z.NEVER;
  }
  return instant;
});

const orderRowSchema = z.object({
  customer_id: z.string().trim().min(1, "empty customer_id"),
  ordered_at: isoInstant,
  amount: z
    .string()
    .trim()
    .refine((text) => !/^-\d*\.?\d+$/.test(text), { message: "negative amount" })
    .refine((text) => /^\+?(\d+\.?\d*|\.\d+)$/.test(text), { message: "unparseable amount" })
    .transform(Number),
});

export function parseIsoInstant(text: string): Date | null {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return null;
  const [, year, month, day, hours, minutes, seconds, zone] = match;
  const dateOnly = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  // Reject days that do not exist (2023-02-30) instead of letting Date roll them over.
  if (dateOnly.getUTCMonth() !== Number(month) - 1 || dateOnly.getUTCDate() !== Number(day)) return null;
  if (hours === undefined) return dateOnly;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds ?? 0) > 59) return null;
  const normalised = text.replace(" ", "T") + (zone ? "" : "Z");
  const instant = new Date(normalised);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

export function readOrdersCsv(file: string): OrderRow[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, info: true, skip_empty_lines: true, bom: true, trim: true });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new InputError(`${file}${line ? ` line ${line}` : ""}: ${(error as Error).message}`);
  }
  const header = text
    .split(/\r?\n/, 1)[0]!
    .replace(/^\uFEFF/, "")
    .split(",")
    .map((column) => column.trim());
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new InputError(
      `${file} line 1: missing column ${missing.join(", ")} (the header needs ${REQUIRED_COLUMNS.join(",")})`,
    );
  }
  return records.map(({ record, info }) => {
    const parsed = orderRowSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InputError(`${file} line ${info.lines}: ${String(issue.path[0] ?? "row")}: ${issue.message}`);
    }
    return { customerId: parsed.data.customer_id, orderedAt: parsed.data.ordered_at, amount: parsed.data.amount };
  });
}
