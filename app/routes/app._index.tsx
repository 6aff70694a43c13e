import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, EmptyState, InlineGrid, Layout, Page, Text } from "@shopify/polaris";

import { AnalyticsSection, EMPTY_STATE_IMAGE } from "../components/analytics/analytics-section";
import { DataStatusCard } from "../components/analytics/data-status-card";
import { DataHealthCard } from "../components/data-health-card";
import { HistoryImportCard } from "../components/history-import-card";
import { loadDashboard } from "../crm/dashboard/dashboard.server";
import type { HomePageData } from "../crm/overview/home-page.server";
import { shopDb } from "../db.server";
import { jobs } from "../jobs/jobs.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const dashboard = await loadDashboard({ db: shopDb(session.shop), jobs: jobs() }, session.shop);
  return dashboard ?? { home: null, analytics: null, activity: null };
};

function Figure({ label, value, help }: { label: string; value: string; help: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        {/* A large store's revenue ("$301,303,134.96") does not fit the card at the largest size. */}
        <Text as="p" variant={value.length > 12 ? "headingLg" : "heading2xl"}>
          {value}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {help}
        </Text>
      </BlockStack>
    </Card>
  );
}

// A large store's figures come from the last analytics run (counting it live takes seconds).
function StoreFiguresNote({ counted }: { counted: HomePageData["figuresCounted"] }) {
  if (counted.by === "live") return null;
  return (
    <Layout.Section>
      <Text as="p" variant="bodySm" tone="subdued">
        {counted.by === "run"
          ? `Store figures as of ${counted.at}, counted by the last analytics run.`
          : `Your store has more than ${counted.limit} customers or orders: its figures appear after the first analytics run.`}
      </Text>
    </Layout.Section>
  );
}

export default function Home() {
  const { home, analytics, activity } = useLoaderData<typeof loader>();
  if (!home || !activity) {
    return (
      <Page title="Dashboard">
        <Card>
          <EmptyState heading="Setting up Kinship" image={EMPTY_STATE_IMAGE}>
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
        <StoreFiguresNote counted={home.figuresCounted} />
        {analytics ? <AnalyticsSection dashboard={analytics} /> : null}
        <Layout.Section variant="oneHalf">
          <BlockStack gap="400">
            <DataStatusCard lastSync={home.lastSync} activity={activity} analytics={analytics} />
            {home.historyImport.status === "running" || home.historyImport.status === "never" ? (
              <HistoryImportCard state={home.historyImport} />
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <DataHealthCard health={home.dataHealth} />
        </Layout.Section>
        <Layout.Section>
          <Text as="p" tone="subdued" alignment="center">
            Re-import history and privacy requests are in Settings.
          </Text>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
