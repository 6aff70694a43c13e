// Discount codes, customer metafields and tags: what loyalty rewards and the Shopify-side
// loyalty data need. Codes are unique per shop (Shopify answers a duplicate with a TAKEN user
// error); `refuseDiscountCodes` makes the next creations fail with user errors, for tests.
import { metafieldValuesOf, writeMetafield } from "./customer-metafields";
import type { FieldArgs, GqlObject, ResolverContext, RootResolvers } from "./graphql-types";
import { gid, parseGid } from "./ids";
import { findCustomer, findOrder } from "./store-lookups";

export interface DoubleDiscount {
  id: string;
  code: string;
  kind: "basic" | "free_shipping";
  input: Record<string, unknown>;
  createdAt: string;
}

const refusals = new Map<string, number>();
/** Discounts created per shop domain, for tests to inspect. */
const createdByShop = new Map<string, Map<string, DoubleDiscount>>();
let nextId = 1_000_000_000_001;

/** The next `times` discount creations in the shop answer with user errors. */
export function refuseDiscountCodes(shopDomain: string, times = 1): void {
  refusals.set(shopDomain, (refusals.get(shopDomain) ?? 0) + times);
}

export function discountsOf(shopDomain: string): DoubleDiscount[] {
  return [...(createdByShop.get(shopDomain)?.values() ?? [])];
}

function codesOf(shopDomain: string): Map<string, DoubleDiscount> {
  let codes = createdByShop.get(shopDomain);
  if (!codes) {
    codes = new Map();
    createdByShop.set(shopDomain, codes);
  }
  return codes;
}

function discountNode(discount: DoubleDiscount): GqlObject {
  const codeDiscount: GqlObject = {
    __typename: discount.kind === "basic" ? "DiscountCodeBasic" : "DiscountCodeFreeShipping",
    title: discount.input.title,
    usageLimit: discount.input.usageLimit ?? null,
    appliesOncePerCustomer: discount.input.appliesOncePerCustomer ?? false,
    startsAt: discount.input.startsAt,
    endsAt: discount.input.endsAt ?? null,
    createdAt: discount.createdAt,
    status: "ACTIVE",
  };
  return { __typename: "DiscountCodeNode", id: discount.id, codeDiscount };
}

function userError(message: string, code: string, field: string[]): GqlObject {
  return { __typename: "DiscountUserError", message, code, field, extraInfo: null };
}

function createDiscount(kind: DoubleDiscount["kind"], inputName: string) {
  return (args: FieldArgs, ctx: ResolverContext): Record<string, unknown> => {
    const input = (args[inputName] ?? {}) as Record<string, unknown>;
    const shop = ctx.store.domain;
    const fail = (error: GqlObject) => ({ codeDiscountNode: null, userErrors: [error] });
    const refusalsLeft = refusals.get(shop) ?? 0;
    if (refusalsLeft > 0) {
      refusals.set(shop, refusalsLeft - 1);
      return fail(userError("Discount could not be created (refused by the test double)", "INVALID", [inputName]));
    }
    const code = typeof input.code === "string" ? input.code : "";
    if (code === "") return fail(userError("Code can't be blank", "BLANK", [inputName, "code"]));
    const codes = codesOf(shop);
    if (codes.has(code.toUpperCase()))
      return fail(userError("Code must be unique. Please try a different code.", "TAKEN", [inputName, "code"]));
    const context = input.context as { customers?: { add?: string[] } } | undefined;
    for (const customerGid of context?.customers?.add ?? []) {
      const ref = parseGid(customerGid);
      if (!ref || ref.type !== "Customer" || !findCustomer(ctx.store, ref.id)) {
        return fail(
          userError(`Customer ${customerGid} does not exist`, "INVALID", [inputName, "context", "customers", "add"]),
        );
      }
    }
    const discount: DoubleDiscount = {
      id: gid("DiscountCodeNode", nextId++),
      code,
      kind,
      input,
      createdAt: new Date().toISOString(),
    };
    codes.set(code.toUpperCase(), discount);
    return { codeDiscountNode: discountNode(discount), userErrors: [] };
  };
}

function customerOwner(ctx: ResolverContext, ownerId: unknown) {
  const ref = typeof ownerId === "string" ? parseGid(ownerId) : null;
  return ref?.type === "Customer" ? findCustomer(ctx.store, ref.id) : undefined;
}

/** metafieldsSet owners the double knows: customers, and orders (the survey link metafield). */
function metafieldOwner(ctx: ResolverContext, ownerId: unknown) {
  const ref = typeof ownerId === "string" ? parseGid(ownerId) : null;
  if (ref?.type === "Order") return findOrder(ctx.store, ref.id);
  return customerOwner(ctx, ownerId);
}

export function discountResolvers(): Partial<RootResolvers> {
  return {
    query: {
      codeDiscountNodeByCode: (args, ctx) => {
        const found = codesOf(ctx.store.domain).get(String(args.code ?? "").toUpperCase());
        return found ? discountNode(found) : null;
      },
    },
    mutation: {
      discountCodeBasicCreate: createDiscount("basic", "basicCodeDiscount"),
      discountCodeFreeShippingCreate: createDiscount("free_shipping", "freeShippingCodeDiscount"),
      metafieldsSet: (args, ctx) => {
        const inputs = (args.metafields ?? []) as {
          ownerId: string;
          namespace?: string;
          key: string;
          type?: string;
          value: string;
        }[];
        const metafields = metafieldValuesOf(ctx.store.domain);
        const nodes: GqlObject[] = [];
        for (const input of inputs) {
          if (!metafieldOwner(ctx, input.ownerId)) {
            return {
              metafields: null,
              userErrors: [
                {
                  __typename: "MetafieldsSetUserError",
                  field: ["metafields", "ownerId"],
                  message: "Owner does not exist",
                  code: "INVALID",
                },
              ],
            };
          }
          writeMetafield(ctx.store.domain, input.ownerId, {
            namespace: input.namespace ?? "$app",
            key: input.key,
            type: input.type ?? "single_line_text_field",
            value: input.value,
          });
          nodes.push({
            __typename: "Metafield",
            id: gid("Metafield", metafields.size),
            key: input.key,
            namespace: input.namespace ?? "$app",
            value: input.value,
            type: input.type ?? "single_line_text_field",
          });
        }
        return { metafields: nodes, userErrors: [] };
      },
      tagsAdd: (args, ctx) => {
        const customer = customerOwner(ctx, args.id);
        if (!customer)
          return {
            node: null,
            userErrors: [{ __typename: "UserError", field: ["id"], message: "Resource not found" }],
          };
        for (const tag of (args.tags ?? []) as string[]) if (!customer.tags.includes(tag)) customer.tags.push(tag);
        return { node: null, userErrors: [] };
      },
      tagsRemove: (args, ctx) => {
        const customer = customerOwner(ctx, args.id);
        if (!customer)
          return {
            node: null,
            userErrors: [{ __typename: "UserError", field: ["id"], message: "Resource not found" }],
          };
        const drop = new Set((args.tags ?? []) as string[]);
        customer.tags = customer.tags.filter((tag) => !drop.has(tag));
        return { node: null, userErrors: [] };
      },
    },
  };
}

/** Metafields the app set in the shop, "<customer or order gid>|<namespace>.<key>" → value (tests). */
export function customerMetafieldsOf(shopDomain: string): Map<string, string> {
  return metafieldValuesOf(shopDomain);
}
