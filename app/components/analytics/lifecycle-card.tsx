import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";

import type { AnalyticsDashboard } from "../../crm/dashboard/analytics-dashboard";
import { ClientHorizontalBarChart } from "./client-chart";

type Latest = NonNullable<AnalyticsDashboard["latest"]>;

/** Customers per lifecycle stage, and who moved between stages lately. */
export function LifecycleCard({
  lifecycle,
  flows,
  computedAt,
}: {
  lifecycle: Latest["lifecycle"];
  flows: Latest["flows"];
  computedAt: string;
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="050">
          <Text as="h2" variant="headingMd">
            Lifecycle stages
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {lifecycle.total} customers with a purchase. Computed {computedAt}.
          </Text>
        </BlockStack>
        <ClientHorizontalBarChart
          label="Customers per lifecycle stage"
          seriesName="Customers"
          points={lifecycle.stages.map((stage) => ({ key: stage.label, value: stage.customers }))}
        />
        <DataTable
          columnContentTypes={["text", "numeric", "numeric"]}
          headings={["Stage", "Customers", "Share"]}
          rows={lifecycle.stages.map((stage) => [stage.label, stage.customers.toLocaleString("en-US"), stage.share])}
        />
        <Text as="h3" variant="headingSm">
          Moves in the last {flows.windowDays} days
        </Text>
        {flows.rows.length === 0 ? (
          <Text as="p" tone="subdued">
            No customer changed stage in the last {flows.windowDays} days. Moves appear from the second run on.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "numeric"]}
            headings={["From", "To", "Customers"]}
            rows={flows.rows.slice(0, 8).map((flow) => [flow.from, flow.to, flow.customers])}
          />
        )}
      </BlockStack>
    </Card>
  );
}
