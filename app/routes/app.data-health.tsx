import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { z } from "zod";

import { DataHealthCard } from "../components/data-health-card";
import { loadDataHealth, retryFailedDeliveries, shopTimeZone } from "../crm/data-health/data-health.server";
import { shopDb } from "../db.server";
import { jobs } from "../jobs/jobs.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const timeZone = await shopTimeZone(shopDb(session.shop), session.shop);
  return { health: await loadDataHealth(shopDb(session.shop), session.shop, timeZone) };
};

const retryForm = z.object({ intent: z.literal("retry-failed") });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = retryForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ error: "Unknown action" }, { status: 400 });
  // Remix revalidates the page's loaders after this action: the card shows the new counts.
  return { retried: await retryFailedDeliveries({ db: shopDb(session.shop), jobs: jobs() }, session.shop) };
};

export default function DataHealthPage() {
  const { health } = useLoaderData<typeof loader>();
  return (
    <Page title="Data health" backAction={{ content: "Dashboard", url: "/app" }}>
      <Layout>
        <Layout.Section>
          <DataHealthCard health={health} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
