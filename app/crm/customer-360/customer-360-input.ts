// Customer 360's input: the customer id in the URL, the order timeline's keyset cursor, and the
// staff note form, each parsed with zod. Pure: no Remix, no Prisma.
import { z } from "zod";

export type FieldErrors = Record<string, string>;

export const NOTE_MAX_LENGTH = 2000;

/** Shopify's numeric customer id, as in /app/customers/123. Anything else is "not found". */
export function parseCustomerShopifyId(value: string | undefined): bigint | null {
  const parsed = z
    .string()
    .regex(/^[1-9]\d{0,18}$/)
    .safeParse(value);
  if (!parsed.success) return null;
  const id = BigInt(parsed.data);
  return id <= 9_223_372_036_854_775_807n ? id : null;
}

/** A position in the order timeline (newest first): the order's processed_at and id. */
export interface OrderCursor {
  processedAt: Date;
  id: bigint;
}

export type OrderPageRequest = { direction: "older" | "newer"; cursor: OrderCursor } | null;

export function encodeOrderCursor(cursor: OrderCursor): string {
  return `${cursor.processedAt.getTime()}_${cursor.id}`;
}

export function decodeOrderCursor(value: string | null): OrderCursor | null {
  const match = value === null ? null : /^(\d{1,15})_(\d{1,19})$/.exec(value);
  if (!match) return null;
  const processedAt = new Date(Number(match[1]));
  return Number.isNaN(processedAt.getTime()) ? null : { processedAt, id: BigInt(match[2]!) };
}

/** `?older=<cursor>` pages back in time, `?newer=<cursor>` forward; a bad cursor shows the newest page. */
export function orderPageRequest(search: URLSearchParams): OrderPageRequest {
  const older = decodeOrderCursor(search.get("older"));
  if (older) return { direction: "older", cursor: older };
  const newer = decodeOrderCursor(search.get("newer"));
  return newer ? { direction: "newer", cursor: newer } : null;
}

const noteSchema = z.object({
  body: z
    .string()
    .trim()
    .min(1, "Write the note first")
    .max(NOTE_MAX_LENGTH, `At most ${NOTE_MAX_LENGTH.toLocaleString("en-US")} characters`),
});

export function parseNoteForm(
  values: Record<string, FormDataEntryValue | undefined>,
): { ok: true; body: string } | { ok: false; errors: FieldErrors } {
  const raw = values.body;
  const parsed = noteSchema.safeParse({ body: typeof raw === "string" ? raw : "" });
  if (parsed.success) return { ok: true, body: parsed.data.body };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return { ok: false, errors };
}

export const CUSTOMER_360_INTENTS = ["adjust", "note"] as const;
export type Customer360Intent = (typeof CUSTOMER_360_INTENTS)[number];

export function parseIntent(value: FormDataEntryValue | undefined | null): Customer360Intent | null {
  const parsed = z.enum(CUSTOMER_360_INTENTS).safeParse(value);
  return parsed.success ? parsed.data : null;
}
