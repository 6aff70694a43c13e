// "Sync and computation": when the store's history was last imported, when an update from Shopify
// was last applied, and when the analytics were last computed (and by what).
import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";

import type { AnalyticsDashboard } from "../../crm/dashboard/analytics-dashboard";
import type { DashboardActivity } from "../../crm/dashboard/dashboard.server";
import type { HomePageData } from "../../crm/overview/home-page.server";

const SYNC_KIND_LABELS: Record<string, string> = {
  demo_seed: "Demo store import",
  history_import: "History import",
  reconciliation: "Daily reconciliation",
};

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <BlockStack gap="050">
      <Text as="h3" variant="headingSm" tone="subdued">
        {label}
      </Text>
      {children}
    </BlockStack>
  );
}

export function DataStatusCard({
  lastSync,
  activity,
  analytics,
}: {
  lastSync: HomePageData["lastSync"];
  activity: DashboardActivity;
  analytics: AnalyticsDashboard | null;
}) {
  const syncTone = !lastSync
    ? undefined
    : lastSync.status === "succeeded"
      ? "success"
      : lastSync.status === "failed"
        ? "critical"
        : "info";
  const latest = analytics?.latest ?? null;
  const running = analytics && analytics.recalculation.state !== "idle" ? analytics.recalculation : null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Sync and computation
        </Text>
        <Row label="Last sync">
          {lastSync ? (
            <BlockStack gap="100">
              <InlineStack gap="200" blockAlign="center">
                <Text as="p">
                  {SYNC_KIND_LABELS[lastSync.kind] ?? lastSync.kind}: {lastSync.customers} customers and{" "}
                  {lastSync.orders} orders
                  {lastSync.finishedAt ? `, finished ${lastSync.finishedAt}` : `, started ${lastSync.startedAt}`}.
                </Text>
                <Badge tone={syncTone}>{lastSync.status}</Badge>
              </InlineStack>
              {lastSync.error ? (
                <Text as="p" tone="critical">
                  {lastSync.error}
                </Text>
              ) : null}
            </BlockStack>
          ) : (
            <Text as="p" tone="subdued">
              No import has run yet. Your customers and orders appear once the history import finishes.
            </Text>
          )}
        </Row>
        <Row label="Last update from Shopify">
          <Text as="p" tone={activity.lastUpdateApplied ? undefined : "subdued"}>
            {activity.lastUpdateApplied
              ? `${activity.lastUpdateApplied.topic} applied ${activity.lastUpdateApplied.at}`
              : `No update applied in the last ${activity.lastUpdateWindowDays} days`}
          </Text>
        </Row>
        <Row label="Last computation">
          <Text as="p" tone={latest ? undefined : "subdued"}>
            {latest
              ? `Analytics computed ${latest.computedAt} by the ${latest.trigger} in ${latest.duration}`
              : "Analytics not computed yet"}
            {running
              ? ` · ${running.state === "queued" ? "recalculation queued" : `recalculating (${running.percent}%)`}`
              : ""}
          </Text>
        </Row>
      </BlockStack>
    </Card>
  );
}
