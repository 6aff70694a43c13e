import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { SegmentBuilderPage } from "../components/segments/segment-builder-page";
import { staffMemberOf } from "../crm/audit/staff-member";
import { loadSegmentBuilder, saveSegment } from "../crm/segments/segments.server";
import { segmentsAppDeps } from "../crm/segments/segments-app-deps.server";
import { authenticate } from "../shopify.server";

// `?filter=<CustomerFilter JSON>`: "Create segment from this filter" on the Customers page.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const filterParam = new URL(request.url).searchParams.get("filter");
  return loadSegmentBuilder(segmentsAppDeps(session.shop), session.shop, { segmentId: null, filterParam });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const staff = staffMemberOf({
    associatedUser: session.onlineAccessInfo?.associated_user,
    sessionTokenSub: sessionToken?.sub,
  });
  const outcome = await saveSegment(
    segmentsAppDeps(session.shop),
    session.shop,
    staff,
    null,
    Object.fromEntries(await request.formData()),
  );
  return outcome.ok ? redirect(`/app/segments/${outcome.segmentId}`) : outcome;
};

export default function NewSegmentPage() {
  return <SegmentBuilderPage data={useLoaderData<typeof loader>()} />;
}
