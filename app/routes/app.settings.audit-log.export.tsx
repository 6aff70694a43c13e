import type { LoaderFunctionArgs } from "@remix-run/node";

import { staffAuditCsvStream } from "../crm/settings/staff-audit-log.server";
import { shopDb } from "../db.server";
import { authenticate } from "../shopify.server";

// The staff audit log as CSV, streamed in keyset batches (formula-like cells neutralised).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const stream = await staffAuditCsvStream(shopDb(session.shop), session.shop);
  if (!stream) throw new Response("Not found", { status: 404 });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="kinship-staff-audit-log.csv"',
      "Cache-Control": "private, no-store",
    },
  });
};
