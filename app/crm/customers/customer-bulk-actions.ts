// The Customers list's bulk actions as data: what to do (add a tag, adjust points, add to a
// segment) and to whom (selected customers, or every customer matching a filter). Pure.
import { z } from "zod";

import { customerFilterSchema } from "./customer-filter";

/** Selections up to this size run in the request; larger ones go to a background job. */
export const INLINE_BULK_LIMIT = 50;
export const MAX_SELECTED_CUSTOMERS = 250;

export const bulkActionSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("addTag"),
    tag: z
      .string()
      .trim()
      .min(1, "Enter a tag")
      .max(255, "Tags are at most 255 characters")
      .refine((tag) => !tag.includes(","), "A tag cannot contain a comma"),
  }),
  z.object({
    kind: z.literal("adjustPoints"),
    points: z.coerce
      .number({ message: "Enter a whole number of points" })
      .int("Enter a whole number of points")
      .min(-1_000_000, "At most 1,000,000 points at once")
      .max(1_000_000, "At most 1,000,000 points at once")
      .refine((points) => points !== 0, "Enter a number other than 0"),
    reason: z.string().trim().min(1, "A reason is required").max(500, "At most 500 characters"),
  }),
  z.object({
    kind: z.literal("addToSegment"),
    segmentId: z.coerce.number({ message: "Choose a segment" }).int().positive("Choose a segment"),
  }),
]);
export type BulkAction = z.infer<typeof bulkActionSchema>;

export const bulkTargetSchema = z.union([
  z.object({
    customerIds: z
      .array(z.string().regex(/^\d{1,19}$/))
      .min(1)
      .max(MAX_SELECTED_CUSTOMERS),
  }),
  z.object({ filter: customerFilterSchema }),
]);
export type BulkTarget = z.infer<typeof bulkTargetSchema>;

export const bulkRequestSchema = z.object({
  /** One per submitted form: makes points adjustments idempotent per customer. */
  requestId: z.string().uuid(),
  action: bulkActionSchema,
  target: bulkTargetSchema,
});
export type BulkRequest = z.infer<typeof bulkRequestSchema>;

export type BulkFieldErrors = Partial<Record<"tag" | "points" | "reason" | "segmentId" | "form", string>>;

/** Parses the bulk form's JSON payload, with messages by field for the modal. */
export function parseBulkRequest(
  payload: unknown,
): { ok: true; value: BulkRequest } | { ok: false; errors: BulkFieldErrors } {
  let json: unknown = payload;
  if (typeof payload === "string") {
    try {
      json = JSON.parse(payload);
    } catch {
      return { ok: false, errors: { form: "The request could not be read. Reload the page and try again." } };
    }
  }
  const parsed = bulkRequestSchema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: BulkFieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[issue.path.length - 1];
    if (
      issue.path[0] === "action" &&
      (field === "tag" || field === "points" || field === "reason" || field === "segmentId")
    )
      errors[field] ??= issue.message;
    else errors.form ??= "Select customers, then try again.";
  }
  return { ok: false, errors };
}

/** The ledger idempotency request id of one customer's share of a bulk adjustment. */
export function bulkAdjustRequestId(requestId: string, customerId: bigint): string {
  return `bulk:${requestId}:${customerId}`;
}
