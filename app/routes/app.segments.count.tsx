// The rule builder's live count (a resource route the builder's fetcher calls, debounced):
// GET ?rule=<CustomerFilter JSON> → { status: "counted", count } | { status: "timeout" } | { status: "invalid" }.
import type { LoaderFunctionArgs } from "@remix-run/node";

import { liveSegmentCount } from "../crm/segments/segments.server";
import { segmentsAppDeps } from "../crm/segments/segments-app-deps.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return liveSegmentCount(segmentsAppDeps(session.shop), session.shop, new URL(request.url).searchParams.get("rule"));
};
