import type { LoaderFunctionArgs } from "@remix-run/node";

import { authenticate } from "../shopify.server";

// Storefront requests through the app proxy (/apps/kinship/*). The library verifies
// Shopify's signature; the loyalty widget's endpoints come with the loyalty issue.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.public.appProxy(request);
  return Response.json({ ok: true, shop: session?.shop ?? null }, { headers: { "Cache-Control": "no-store" } });
};
