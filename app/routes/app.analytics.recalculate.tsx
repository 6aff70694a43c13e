import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { requestRecalculation } from "../crm/analytics/analytics-jobs.server";
import { jobs } from "../jobs/jobs.server";
import { authenticate } from "../shopify.server";

const recalculateForm = z.object({ intent: z.literal("recalculate") });

// The merchant's "Recalculate" (components/analytics/recalculate-button.tsx): enqueue one run per
// shop; the home page then polls its loader for the run's progress.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = recalculateForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return new Response("Unknown request", { status: 400 });
  await requestRecalculation(jobs(), session.shop);
  return { ok: true };
};
