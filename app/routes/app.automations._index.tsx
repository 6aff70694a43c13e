import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";

import { AutomationsIndexPage } from "../components/automations/automations-index-page";
import { automationsIndexAction, automationsIndexPage } from "../crm/automations/automations-page.server";
import { loyaltyAppDeps } from "../crm/loyalty/loyalty-app-deps.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return automationsIndexPage(loyaltyAppDeps(session.shop), session.shop);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return automationsIndexAction(
    loyaltyAppDeps(session.shop),
    session.shop,
    Object.fromEntries(await request.formData()),
  );
};

export default function AutomationsIndexRoute() {
  return <AutomationsIndexPage data={useLoaderData<typeof loader>()} outcome={useActionData<typeof action>()} />;
}
