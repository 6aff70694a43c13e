import type { LoaderFunctionArgs } from "@remix-run/node";

import { customerInsightsForShop } from "../crm/admin-extensions/customer-insights.server";
import { parseCustomerShopifyId } from "../crm/customer-360/customer-360-input";
import { shopDb } from "../db.server";
import { authenticate } from "../shopify.server";

// The customer details block's data (extensions/customer-insights-block). Admin UI extensions call
// it with fetch(); Shopify adds the staff member's ID token as a bearer header, which
// authenticate.admin verifies (and answers the CORS preflight for). The shop is the token's.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  const customerShopifyId = parseCustomerShopifyId(params.id);
  const insights =
    customerShopifyId === null
      ? null
      : await customerInsightsForShop(shopDb(session.shop), session.shop, customerShopifyId);
  const headers = { "Cache-Control": "no-store" };
  if (!insights) return cors(Response.json({ error: "not_found" }, { status: 404, headers }));
  return cors(Response.json(insights, { headers }));
};
