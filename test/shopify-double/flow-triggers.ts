// Shopify Flow triggers (`flowTriggerReceive(handle:, payload:)`) and `metafieldsDelete`, for
// the segments sync. The double knows the app's triggers from its own extensions
// (extensions/*/shopify.extension.toml of type flow_trigger) and checks a payload as Flow does:
// a known handle, a JSON object under 50,000 bytes holding every declared field (a customer
// reference as `customer_id` of a customer of the shop, custom fields by their key). Accepted
// triggers are recorded per shop for tests (`flowTriggersOf`).
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { parse } from "smol-toml";

import { writeMetafield } from "./customer-metafields";
import type { GqlObject, ResolverContext, RootResolvers } from "./graphql-types";
import { parseGid } from "./ids";
import { findCustomer } from "./store-lookups";

const extensionsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../extensions");
const MAX_PAYLOAD_BYTES = 50_000;

interface TriggerField {
  type: string;
  key?: string;
}

export interface ReceivedFlowTrigger {
  handle: string;
  payload: Record<string, unknown>;
  receivedAt: Date;
}

const receivedByShop = new Map<string, ReceivedFlowTrigger[]>();

/** Triggers the app sent to this shop, oldest first (live: tests keep it). */
export function flowTriggersOf(shopDomain: string): ReceivedFlowTrigger[] {
  let list = receivedByShop.get(shopDomain);
  if (!list) {
    list = [];
    receivedByShop.set(shopDomain, list);
  }
  return list;
}

let declared: Map<string, TriggerField[]> | undefined;

/** handle → fields of every flow_trigger extension of the app. */
export function declaredFlowTriggers(): Map<string, TriggerField[]> {
  if (declared) return declared;
  declared = new Map();
  if (!existsSync(extensionsDir)) return declared;
  for (const entry of readdirSync(extensionsDir, { withFileTypes: true })) {
    const file = path.join(extensionsDir, entry.name, "shopify.extension.toml");
    if (!entry.isDirectory() || !existsSync(file)) continue;
    const toml = parse(readFileSync(file, "utf8")) as {
      extensions?: { type?: string; handle?: string }[];
      settings?: { fields?: TriggerField[] };
    };
    for (const extension of toml.extensions ?? []) {
      if (extension.type === "flow_trigger" && extension.handle)
        declared.set(extension.handle, toml.settings?.fields ?? []);
    }
  }
  return declared;
}

const REFERENCE_KEYS: Record<string, string> = {
  customer_reference: "customer_id",
  order_reference: "order_id",
  product_reference: "product_id",
};

function payloadErrors(ctx: ResolverContext, fields: TriggerField[], payload: Record<string, unknown>): string[] {
  const errors: string[] = [];
  for (const field of fields) {
    const key = REFERENCE_KEYS[field.type] ?? field.key ?? "";
    const value = payload[key];
    if (value === undefined || value === null) {
      errors.push(`Missing field '${key}'`);
    } else if (field.type === "customer_reference") {
      if (typeof value !== "number" || !findCustomer(ctx.store, value))
        errors.push(`Customer ${String(value)} not found`);
    } else if (field.type === "single_line_text_field" && (typeof value !== "string" || value.includes("\n"))) {
      errors.push(`Field '${key}' must be a single line of text`);
    }
  }
  return errors;
}

const userError = (field: string[], message: string): GqlObject => ({ __typename: "UserError", field, message });

export function flowTriggerResolvers(): Partial<RootResolvers> {
  return {
    mutation: {
      flowTriggerReceive: (args, ctx) => {
        const handle = typeof args.handle === "string" ? args.handle : "";
        const fields = declaredFlowTriggers().get(handle);
        if (!fields) return { userErrors: [userError(["handle"], `Trigger '${handle}' not found`)] };
        const payload = args.payload;
        if (payload === null || typeof payload !== "object" || Array.isArray(payload))
          return { userErrors: [userError(["payload"], "Payload must be a JSON object")] };
        if (Buffer.byteLength(JSON.stringify(payload), "utf8") >= MAX_PAYLOAD_BYTES)
          return { userErrors: [userError(["payload"], "Payload must be under 50000 bytes")] };
        const errors = payloadErrors(ctx, fields, payload as Record<string, unknown>);
        if (errors.length > 0) return { userErrors: errors.map((message) => userError(["payload"], message)) };
        flowTriggersOf(ctx.store.domain).push({
          handle,
          payload: structuredClone(payload as Record<string, unknown>),
          receivedAt: new Date(),
        });
        return { userErrors: [] };
      },
      metafieldsDelete: (args, ctx) => {
        const inputs = (args.metafields ?? []) as { ownerId: string; namespace: string; key: string }[];
        const deleted: GqlObject[] = [];
        for (const input of inputs) {
          const ref = parseGid(input.ownerId);
          if (ref?.type !== "Customer" || !findCustomer(ctx.store, ref.id)) {
            return {
              deletedMetafields: null,
              userErrors: [{ __typename: "UserError", field: ["metafields", "ownerId"], message: "Owner not found" }],
            };
          }
          writeMetafield(ctx.store.domain, input.ownerId, { ...input, type: "", value: null });
          deleted.push({ __typename: "MetafieldIdentifier", ...input });
        }
        return { deletedMetafields: deleted, userErrors: [] };
      },
    },
  };
}
