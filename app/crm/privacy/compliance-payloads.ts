// The three mandatory compliance webhooks, as Shopify sends them. Only ids are needed to
// act on them; the e-mail (when given) also finds the customer's guest orders.
import { z } from "zod";

import { PrivacyError } from "./privacy-error";

const numericId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform((id) => BigInt(id));
const idList = z
  .array(numericId)
  .nullish()
  .transform((ids) => ids ?? []);

const customerPart = z.object({
  id: numericId,
  email: z.string().nullish(),
});

const customerRedactSchema = z.object({
  customer: customerPart,
  orders_to_redact: idList,
});

const dataRequestSchema = z.object({
  customer: customerPart,
  orders_requested: idList,
  data_request: z.object({ id: z.union([z.number(), z.string()]).transform(String) }).nullish(),
});

export interface CustomerPrivacyRequest {
  customerShopifyId: bigint;
  /** Lower-cased; guest orders placed with it belong to the customer too. */
  email: string | null;
  /** orders_to_redact (customers/redact) or orders_requested (customers/data_request). */
  orderShopifyIds: bigint[];
  /** Shopify's data_request.id (customers/data_request only). */
  requestId: string | null;
}

function parse<T>(schema: z.ZodType<T>, topic: string, payload: unknown): T {
  const parsed = schema.safeParse(payload);
  // Zod's message can quote the payload's values: only the paths are kept.
  if (!parsed.success) {
    const paths = parsed.error.issues.map((issue) => issue.path.join(".") || "(root)").join(", ");
    throw new PrivacyError("invalid_payload", `${topic} payload is not valid at ${paths}`);
  }
  return parsed.data;
}

export function parseCustomerRedact(payload: unknown): CustomerPrivacyRequest {
  const body = parse(customerRedactSchema, "customers/redact", payload);
  return {
    customerShopifyId: body.customer.id,
    email: body.customer.email?.toLowerCase() ?? null,
    orderShopifyIds: body.orders_to_redact,
    requestId: null,
  };
}

export function parseCustomerDataRequest(payload: unknown): CustomerPrivacyRequest {
  const body = parse(dataRequestSchema, "customers/data_request", payload);
  return {
    customerShopifyId: body.customer.id,
    email: body.customer.email?.toLowerCase() ?? null,
    orderShopifyIds: body.orders_requested,
    requestId: body.data_request?.id ?? null,
  };
}
