import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";

import { AutomationEditorPage } from "../components/automations/automation-editor-page";
import { automationEditAction, automationEditPage } from "../crm/automations/automations-page.server";
import { loyaltyAppDeps } from "../crm/loyalty/loyalty-app-deps.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return automationEditPage(loyaltyAppDeps(session.shop), session.shop, params.id);
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const outcome = await automationEditAction(
    loyaltyAppDeps(session.shop),
    session.shop,
    params.id,
    Object.fromEntries(await request.formData()),
  );
  if (outcome.ok && outcome.intent === "save" && outcome.created) return redirect(`/app/automations/${outcome.ruleId}`);
  if (outcome.ok && outcome.intent === "delete") return redirect("/app/automations");
  return outcome;
};

export default function AutomationRoute() {
  const data = useLoaderData<typeof loader>();
  // Keyed by rule: a new rule's editor starts afresh after its first save.
  return <AutomationEditorPage key={data.rule?.id ?? "new"} data={data} outcome={useActionData<typeof action>()} />;
}
