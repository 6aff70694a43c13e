import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { SegmentBuilderPage } from "../components/segments/segment-builder-page";
import { staffMemberOf } from "../crm/audit/staff-member";
import { loadSegmentBuilder, saveSegment } from "../crm/segments/segments.server";
import { segmentsAppDeps } from "../crm/segments/segments-app-deps.server";
import { authenticate } from "../shopify.server";

const segmentId = (params: Record<string, string | undefined>) => {
  const parsed = z.coerce.number().int().positive().max(2_147_483_647).safeParse(params.id);
  if (!parsed.success) throw new Response("Segment not found", { status: 404 });
  return parsed.data;
};

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadSegmentBuilder(segmentsAppDeps(session.shop), session.shop, {
    segmentId: segmentId(params),
    filterParam: null,
  });
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const staff = staffMemberOf({
    associatedUser: session.onlineAccessInfo?.associated_user,
    sessionTokenSub: sessionToken?.sub,
  });
  const id = segmentId(params);
  const outcome = await saveSegment(
    segmentsAppDeps(session.shop),
    session.shop,
    staff,
    id,
    Object.fromEntries(await request.formData()),
  );
  return outcome.ok ? redirect(`/app/segments/${id}`) : outcome;
};

export default function EditSegmentPage() {
  return <SegmentBuilderPage data={useLoaderData<typeof loader>()} />;
}
