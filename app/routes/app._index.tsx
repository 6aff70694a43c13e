import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { Badge, BlockStack, Card, EmptyState, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";

import { AnalyticsSection } from "../components/analytics/analytics-section";
import { DataHealthCard } from "../components/data-health-card";
import { HistoryImportCard } from "../components/history-import-card";
import { PrivacyRequestsCard } from "../components/privacy-requests-card";
import { loadAnalyticsDashboard } from "../crm/dashboard/analytics-dashboard.server";
import { loadHomePage, type HomePageData } from "../crm/overview/home-page.server";
import { db } from "../db.server";
import { jobs } from "../jobs/jobs.server";
import { authenticate } from "../shopify.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisVizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [home, analytics] = await Promise.all([
    loadHomePage(db(), session.shop),
    loadAnalyticsDashboard({ db: db(), jobs: jobs() }, session.shop),
  ]);
  return { home, analytics };
};

const SYNC_KIND_LABELS: Record<string, string> = {
  demo_seed: "Demo store import",
  history_import: "History import",
  reconciliation: "Daily reconciliation",
};

function Figure({ label, value, help }: { label: string; value: string; help: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {help}
        </Text>
      </BlockStack>
    </Card>
  );
}

function SyncCard({ lastSync }: { lastSync: HomePageData["lastSync"] }) {
  if (!lastSync) {
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Data sync
          </Text>
          <Text as="p" tone="subdued">
            No import has run yet. Your customers and orders appear here once the history import finishes.
          </Text>
        </BlockStack>
      </Card>
    );
  }
  const tone = lastSync.status === "succeeded" ? "success" : lastSync.status === "failed" ? "critical" : "info";
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Data sync
          </Text>
          <Badge tone={tone}>{lastSync.status}</Badge>
        </InlineStack>
        <Text as="p">
          {SYNC_KIND_LABELS[lastSync.kind] ?? lastSync.kind}: {lastSync.customers} customers and {lastSync.orders}{" "}
          orders
          {lastSync.finishedAt ? `, finished ${lastSync.finishedAt}` : `, started ${lastSync.startedAt}`}.
        </Text>
        {lastSync.error ? (
          <Text as="p" tone="critical">
            {lastSync.error}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const { home, analytics } = useLoaderData<typeof loader>();
  if (!home) {
    return (
      <Page title="Dashboard">
        <Card>
          <EmptyState heading="Setting up Kinship" image="">
            <p>We are recording your shop. Reload this page in a moment.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  const { figures } = home;
  return (
    <Page title="Dashboard" subtitle={home.shopName}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            <Figure label="Customers" value={figures.customers} help="Customer profiles in your store" />
            <Figure label="Orders" value={figures.orders} help="Orders, not counting cancelled ones" />
            <Figure label="Revenue" value={figures.netRevenue} help="Order totals net of refunds" />
            <Figure
              label="Repeat customers"
              value={figures.repeatCustomerShare}
              help="Share of buyers with two or more orders"
            />
          </InlineGrid>
        </Layout.Section>
        {analytics ? <AnalyticsSection dashboard={analytics} /> : null}
        <Layout.Section>
          <BlockStack gap="400">
            <SyncCard lastSync={home.lastSync} />
            <HistoryImportCard state={home.historyImport} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <DataHealthCard health={home.dataHealth} />
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <PrivacyRequestsCard requests={home.privacyRequests} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
