import type { LoaderFunctionArgs } from "@remix-run/node";

import { loadRecalculationStatus } from "../crm/dashboard/analytics-dashboard.server";
import { shopDb } from "../db.server";
import { jobs } from "../jobs/jobs.server";
import { authenticate } from "../shopify.server";

// Polled every 2 s by the Recalculate progress bar (components/analytics/recalculate-button.tsx)
// while a run waits or runs; the home page reloads its figures once it reports idle.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const status = await loadRecalculationStatus({ db: shopDb(session.shop), jobs: jobs() }, session.shop);
  if (!status) return new Response("Unknown shop", { status: 404 });
  return status;
};
