import type { LoaderFunctionArgs } from "@remix-run/node";

import { staffMemberOf } from "../crm/audit/staff-member";
import { exportCustomersCsv } from "../crm/customers/customers-export.server";
import { shopDb } from "../db.server";
import { authenticate } from "../shopify.server";

// The Customers page's filtered set (same query parameters as the page) or, with
// `?segment=<id>`, a saved segment's members, as CSV streamed from a server-side cursor.
// The page downloads it with fetch (App Bridge adds the session token), not a plain link.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const staff = staffMemberOf({
    associatedUser: session.onlineAccessInfo?.associated_user,
    sessionTokenSub: sessionToken?.sub,
  });
  const { filename, stream } = await exportCustomersCsv(
    { db: shopDb(session.shop) },
    { shopDomain: session.shop, staff, url: new URL(request.url) },
  );
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
};
