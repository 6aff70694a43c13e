import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { staffMemberOf } from "../crm/audit/staff-member";
import { requestHistoryReimportByStaff } from "../crm/settings/settings-page.server";
import { shopDb } from "../db.server";
import { jobs } from "../jobs/jobs.server";
import { authenticate } from "../shopify.server";

const reimportForm = z.object({ intent: z.literal("reimport") });

// The merchant's "Re-import history" (history-import-card.tsx): enqueue, audit, then back home.
export const action = async ({ request }: ActionFunctionArgs) => {
  // The library's redirect keeps the embedded app's shop and host parameters.
  const { session, sessionToken, redirect } = await authenticate.admin(request);
  const parsed = reimportForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return new Response("Unknown request", { status: 400 });
  const staff = staffMemberOf({
    associatedUser: session.onlineAccessInfo?.associated_user,
    sessionTokenSub: sessionToken?.sub,
  });
  await requestHistoryReimportByStaff({ db: shopDb(session.shop), jobs: jobs() }, session.shop, staff);
  return redirect("/app");
};
