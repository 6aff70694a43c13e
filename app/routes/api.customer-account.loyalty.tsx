import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { loyaltyAppDeps } from "../crm/loyalty/loyalty-app-deps.server";
import { handleLoyaltyProxy } from "../crm/loyalty/loyalty-proxy.server";
import { authenticate } from "../shopify.server";

// The customer account block's data: the same answer as the storefront proxy's GET, for the
// customer the session token names (`sub`, a Customer gid) in the shop it was issued for (`dest`).
const claims = z.object({
  sub: z.string().regex(/^gid:\/\/shopify\/Customer\/\d+$/),
  dest: z.string().transform((dest) => dest.replace(/^https:\/\//, "").replace(/\/.*$/, "")),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { sessionToken, cors } = await authenticate.public.customerAccount(request);
  const parsed = claims.safeParse(sessionToken);
  if (!parsed.success) return cors(Response.json({ error: "not_a_customer" }, { status: 403 }));
  const result = await handleLoyaltyProxy(loyaltyAppDeps(parsed.data.dest), {
    shopDomain: parsed.data.dest,
    customerShopifyId: BigInt(parsed.data.sub.split("/").at(-1)!),
    method: "GET",
    path: "loyalty",
    body: null,
  });
  return cors(Response.json(result.body, { status: result.status, headers: { "Cache-Control": "no-store" } }));
};
