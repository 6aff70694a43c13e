// The adjust-points action's JSON body: the customer's gid and the form's values, parsed with zod
// into field errors (the points, reason and request id rules themselves are the loyalty admin
// form's, applied by adjustMemberForm). Pure.
import { z } from "zod";

import type {
  AdjustPointsRequest,
  AdjustPointsResponse,
} from "../../../extensions/adjust-points-action/src/adjust-points-data";

export type { AdjustPointsResponse };
export type AdjustPointsErrors = Extract<AdjustPointsResponse, { ok: false }>["errors"];

const MAX_SHOPIFY_ID = 9_223_372_036_854_775_807n;

const requestSchema = z.object({
  customerId: z
    .string({ error: "The customer is missing" })
    .regex(/^gid:\/\/shopify\/Customer\/[1-9]\d{0,18}$/, "Not a Shopify customer id")
    .transform((gid) => BigInt(gid.slice(gid.lastIndexOf("/") + 1)))
    .refine((id) => id <= MAX_SHOPIFY_ID, "Not a Shopify customer id"),
  // The number field sends a number, or nothing while empty; the form rules read strings.
  points: z.union([z.number(), z.string()], { error: "Enter the points to add or take away" }).transform(String),
  reason: z.string({ error: "Say why: the reason is kept in the ledger" }),
  requestId: z.string({ error: "Reload the form and try again" }),
}) satisfies z.ZodType<unknown, AdjustPointsRequest>;

export type ParsedAdjustPoints =
  | {
      ok: true;
      customerShopifyId: bigint;
      /** As FormData strings, for the loyalty admin form's own parser. */
      values: { points: string; reason: string; requestId: string };
    }
  | { ok: false; errors: AdjustPointsErrors };

export function parseAdjustPointsRequest(body: unknown): ParsedAdjustPoints {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, errors: { form: "Send the adjustment as a JSON object" } };
  }
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return { ok: false, errors };
  }
  const { customerId, ...values } = parsed.data;
  return { ok: true, customerShopifyId: customerId, values };
}
