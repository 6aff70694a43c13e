import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { adjustPointsFromAdmin } from "../crm/admin-extensions/adjust-points.server";
import { staffMemberOf } from "../crm/audit/staff-member";
import { loyaltyAppDeps } from "../crm/loyalty/loyalty-app-deps.server";
import { authenticate } from "../shopify.server";

// The adjust-points admin action's POST (extensions/adjust-points-action), authenticated by the
// staff member's ID token that Shopify adds to the extension's fetch().

// A CORS preflight (OPTIONS) reaches the loader: authenticate.admin answers it. Nothing is read here.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { cors } = await authenticate.admin(request);
  return cors(new Response(null, { status: 405, headers: { Allow: "POST" } }));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken, cors } = await authenticate.admin(request);
  if (request.method !== "POST") return cors(new Response(null, { status: 405, headers: { Allow: "POST" } }));
  const body: unknown = await request.json().catch(() => null);
  const outcome = await adjustPointsFromAdmin(loyaltyAppDeps(session.shop), {
    shopDomain: session.shop,
    staff: staffMemberOf({
      associatedUser: session.onlineAccessInfo?.associated_user,
      sessionTokenSub: sessionToken?.sub,
    }),
    body,
  });
  return cors(Response.json(outcome.body, { status: outcome.status, headers: { "Cache-Control": "no-store" } }));
};
