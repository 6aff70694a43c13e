import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { handleLoyaltyProxy } from "../crm/loyalty/loyalty-proxy.server";
import { loyaltyAppDeps } from "../crm/loyalty/loyalty-app-deps.server";
import { authenticate } from "../shopify.server";

// Storefront requests through the app proxy (/apps/kinship/*), JSON for the loyalty widget.
// The library checks Shopify's `signature` (and that `timestamp` is within 90 s, so a replayed
// URL fails); it answers 400, which the storefront API reports as 401.
async function handle(request: Request, splat: string | undefined) {
  try {
    await authenticate.public.appProxy(request);
  } catch (thrown) {
    if (thrown instanceof Response && thrown.status === 400) return json(401, { error: "invalid_signature" });
    throw thrown;
  }
  const url = new URL(request.url);
  const customer = url.searchParams.get("logged_in_customer_id");
  const body = request.method === "GET" ? null : await request.json().catch(() => null);
  const result = await handleLoyaltyProxy(loyaltyAppDeps(), {
    shopDomain: url.searchParams.get("shop") ?? "",
    customerShopifyId: customer && /^\d+$/.test(customer) ? BigInt(customer) : null,
    method: request.method,
    path: splat ?? "",
    body,
  });
  return json(result.status, result.body);
}

function json(status: number, body: unknown) {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

export const loader = ({ request, params }: LoaderFunctionArgs) => handle(request, params["*"]);
export const action = ({ request, params }: ActionFunctionArgs) => handle(request, params["*"]);
