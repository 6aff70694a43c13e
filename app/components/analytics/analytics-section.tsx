// The home page's analytics: the run that computed them, then KPIs, RFM segments, lifecycle,
// CLV, cohorts and the model. Before any run: an empty state with the Recalculate button.
import { Banner, BlockStack, Card, EmptyState, InlineStack, Layout, Text } from "@shopify/polaris";

import type { AnalyticsDashboard } from "../../crm/dashboard/analytics-dashboard";
import { ClvCard, TopCustomersCard } from "./clv-card";
import { CohortRetentionHeatmap } from "./cohort-retention-heatmap";
import { KpiCards } from "./kpi-cards";
import { LifecycleCard } from "./lifecycle-card";
import { ModelCard } from "./model-card";
import { RfmSegmentGrid } from "./rfm-segment-grid";
import { RecalculateButton, RecalculationProgress, useRecalculation } from "./recalculate-button";

function FailureBanner({ failure }: { failure: AnalyticsDashboard["lastFailure"] }) {
  if (!failure) return null;
  return (
    <Banner tone="critical" title="The last analytics run failed">
      <p>
        {failure.at}: {failure.error}. The figures below are from the last run that finished.
      </p>
    </Banner>
  );
}

// A small inline illustration: EmptyState needs an image, and a data URL loads offline too.
export const EMPTY_STATE_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="150" viewBox="0 0 226 150">' +
    '<rect x="1" y="1" width="224" height="148" rx="12" fill="#f1f1f1" stroke="#e3e3e3"/>' +
    '<rect x="30" y="90" width="24" height="40" rx="3" fill="#b4cff0"/>' +
    '<rect x="66" y="64" width="24" height="66" rx="3" fill="#7faee3"/>' +
    '<rect x="102" y="76" width="24" height="54" rx="3" fill="#b4cff0"/>' +
    '<rect x="138" y="40" width="24" height="90" rx="3" fill="#3f7fcc"/>' +
    '<rect x="174" y="22" width="24" height="108" rx="3" fill="#1d4f91"/></svg>',
)}`;

function NoRunYet({ dashboard }: { dashboard: AnalyticsDashboard }) {
  const { current, busy, request } = useRecalculation(dashboard.recalculation);
  return (
    <Card>
      <EmptyState
        heading="Customer analytics are not computed yet"
        image={EMPTY_STATE_IMAGE}
        action={{ content: "Recalculate now", onAction: request, loading: busy, disabled: busy }}
      >
        <BlockStack gap="300">
          <p>
            Kinship scores every customer (RFM segments, lifecycle stage, P(alive), churn risk and predicted lifetime
            value) and computes your KPIs and cohorts every night at 03:00 in your shop's time zone. Run it now to see
            them today.
          </p>
          <RecalculationProgress recalculation={current} />
          <FailureBanner failure={dashboard.lastFailure} />
        </BlockStack>
      </EmptyState>
    </Card>
  );
}

export function AnalyticsSection({ dashboard }: { dashboard: AnalyticsDashboard }) {
  if (!dashboard.latest) {
    return (
      <Layout.Section>
        <NoRunYet dashboard={dashboard} />
      </Layout.Section>
    );
  }
  return <ComputedAnalytics dashboard={dashboard} latest={dashboard.latest} />;
}

function ComputedAnalytics({
  dashboard,
  latest,
}: {
  dashboard: AnalyticsDashboard;
  latest: NonNullable<AnalyticsDashboard["latest"]>;
}) {
  const recalculation = useRecalculation(dashboard.recalculation);
  const horizon = latest.model.kind === "fitted" ? latest.model.settings : null;
  const scoresAt = latest.scoresUpdatedAt ?? latest.computedAt;
  return (
    <>
      <Layout.Section>
        <Card>
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="center" gap="300">
              <BlockStack gap="050">
                <Text as="h2" variant="headingLg">
                  Customer analytics
                </Text>
                <Text as="p" tone="subdued">
                  Computed {latest.computedAt} by the {latest.trigger} in {latest.duration}: {latest.customers}{" "}
                  customers, {latest.orders} orders, {latest.repeatCustomers} repeat customers. Next nightly run at
                  03:00 shop time.
                </Text>
              </BlockStack>
              <RecalculateButton controls={recalculation} />
            </InlineStack>
            <RecalculationProgress recalculation={recalculation.current} />
            <FailureBanner failure={dashboard.lastFailure} />
            {latest.readLive ? (
              <Text as="p" variant="bodySm" tone="subdued">
                This run is older than the stored dashboard figures, so segments, stages and predicted lifetime value
                are counted from every score on each view, which is slow on a large store. Recalculate, or wait for the
                nightly run, to store them.
              </Text>
            ) : null}
            {latest.model.kind === "fallback" ? (
              <Banner tone="warning" title="Not enough repeat customers for predictions yet">
                <p>
                  {latest.model.reason}. Segments, lifecycle stages, KPIs and cohorts are below; P(alive), churn risk
                  and predicted lifetime value appear once enough customers have bought twice.
                </p>
              </Banner>
            ) : null}
          </BlockStack>
        </Card>
      </Layout.Section>
      <Layout.Section>
        <KpiCards periods={latest.kpis} />
      </Layout.Section>
      <Layout.Section>
        <RfmSegmentGrid tiles={latest.segments} computedAt={scoresAt} />
      </Layout.Section>
      <Layout.Section variant="oneHalf">
        <LifecycleCard lifecycle={latest.lifecycle} flows={latest.flows} computedAt={scoresAt} />
      </Layout.Section>
      <Layout.Section variant="oneHalf">
        <ClvCard clv={latest.clv} computedAt={scoresAt} horizon={horizon} />
      </Layout.Section>
      <Layout.Section>
        <TopCustomersCard clv={latest.clv} computedAt={scoresAt} />
      </Layout.Section>
      <Layout.Section>
        <CohortRetentionHeatmap heatmap={latest.cohorts} />
      </Layout.Section>
      <Layout.Section>
        <ModelCard model={latest.model} clusters={latest.clusters} />
      </Layout.Section>
    </>
  );
}
