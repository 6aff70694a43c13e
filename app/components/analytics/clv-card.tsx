import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";

import type { AnalyticsDashboard } from "../../crm/dashboard/analytics-dashboard";
import { ClientBarChart } from "./client-chart";

type Clv = NonNullable<AnalyticsDashboard["latest"]>["clv"];

/** Predicted customer lifetime value: how it spreads over customers, and the ten highest. */
export function ClvCard({ clv, computedAt, horizon }: { clv: Clv; computedAt: string; horizon: string | null }) {
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="050">
          <Text as="h2" variant="headingMd">
            Predicted customer lifetime value
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {clv.scoredCustomers} customers with a prediction{horizon ? ` (${horizon})` : ""}. Computed {computedAt}.
          </Text>
        </BlockStack>
        {clv.bands.length === 0 ? (
          <Text as="p" tone="subdued">
            No customer has a CLV prediction: the model could not be fitted for this shop (see Model below).
          </Text>
        ) : (
          <ClientBarChart
            label="Customers per predicted CLV band"
            seriesName="Customers"
            points={clv.bands.map((band) => ({ key: band.label, value: band.customers }))}
          />
        )}
      </BlockStack>
    </Card>
  );
}

/** The ten customers with the highest predicted CLV (names only; there is no customer page yet). */
export function TopCustomersCard({ clv, computedAt }: { clv: Clv; computedAt: string }) {
  if (clv.topCustomers.length === 0) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="050">
          <Text as="h2" variant="headingMd">
            Top customers by predicted CLV
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            Computed {computedAt}.
          </Text>
        </BlockStack>
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "text", "text"]}
          headings={["Customer", "Predicted CLV", "P(alive)", "Orders", "Spent", "Segment", "Stage"]}
          rows={clv.topCustomers.map((row) => [
            row.name,
            row.clv,
            row.pAlive,
            row.orders,
            row.spent,
            row.segment,
            row.stage,
          ])}
        />
      </BlockStack>
    </Card>
  );
}
