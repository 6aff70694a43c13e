import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { requestHistoryReimport } from "../crm/history/shop-schedules.server";
import { jobs } from "../jobs/jobs.server";
import { authenticate } from "../shopify.server";

const reimportForm = z.object({ intent: z.literal("reimport") });

// The merchant's "Re-import history" (history-import-card.tsx): enqueue, then back home.
export const action = async ({ request }: ActionFunctionArgs) => {
  // The library's redirect keeps the embedded app's shop and host parameters.
  const { session, redirect } = await authenticate.admin(request);
  const parsed = reimportForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return new Response("Unknown request", { status: 400 });
  await requestHistoryReimport(jobs(), session.shop);
  return redirect("/app");
};
