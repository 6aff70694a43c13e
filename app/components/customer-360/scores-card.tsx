// Customer 360: RFM, cluster, lifecycle (with its history), P(alive) explained, predictions and CLV.
import { Badge, BlockStack, Card, DataTable, Divider, InlineGrid, InlineStack, Text } from "@shopify/polaris";

import type { LifecycleHistoryView, ScoresView } from "../../crm/customer-360/customer-360-view";
import { Figure } from "./figure";

export function ScoresCard({
  scores,
  history,
  timeZone,
}: {
  scores: ScoresView | null;
  history: LifecycleHistoryView;
  timeZone: string;
}) {
  if (!scores) {
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Scores
          </Text>
          <Text as="p" tone="subdued">
            Not computed yet. Scores appear after the next analytics run (nightly), or right away when you recalculate
            on the dashboard. Customers without an order have none.
          </Text>
        </BlockStack>
      </Card>
    );
  }
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Scores
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">{`Computed ${scores.computedAt}`}</Text>
        </InlineStack>
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
          <Figure label="RFM segment" help={`R ${scores.rfm.r} · F ${scores.rfm.f} · M ${scores.rfm.m}`}>
            {scores.rfm.segment}
          </Figure>
          <Figure label="Cluster">{scores.cluster ?? "Not clustered"}</Figure>
          <Figure label="Lifecycle stage">{scores.lifecycleStage ?? "–"}</Figure>
          <Figure label="Churn risk">
            <InlineStack>
              <Badge tone={scores.churnRisk.tone}>{scores.churnRisk.label}</Badge>
            </InlineStack>
          </Figure>
        </InlineGrid>
        <Divider />
        <BlockStack gap="200">
          <InlineStack gap="200" blockAlign="baseline">
            <Text as="h3" variant="headingSm">
              Chance still active (P(alive))
            </Text>
            <Text as="p" variant="headingLg">
              {scores.pAlive ?? "Not estimated"}
            </Text>
          </InlineStack>
          <Text as="p">{scores.pAliveExplanation}</Text>
        </BlockStack>
        <Divider />
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            Predictions
          </Text>
          <InlineGrid columns={{ xs: 2, md: 5 }} gap="400">
            <Figure label="Orders, next 30 days">{scores.expectedPurchases?.days30 ?? "–"}</Figure>
            <Figure label="Orders, next 90 days">{scores.expectedPurchases?.days90 ?? "–"}</Figure>
            <Figure label="Orders, next 365 days">{scores.expectedPurchases?.days365 ?? "–"}</Figure>
            <Figure label="Expected order value">{scores.expectedAverageOrderValue ?? "–"}</Figure>
            <Figure
              label="Predicted CLV"
              help={scores.clvHorizon ? `Next ${scores.clvHorizon}, discounted` : undefined}
            >
              {scores.clv ?? "Not predicted"}
            </Figure>
          </InlineGrid>
        </BlockStack>
        <Divider />
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            Lifecycle history
          </Text>
          {history.length === 0 ? (
            <Text as="p" tone="subdued">
              No stage changes recorded yet.
            </Text>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "text", "text"]}
              headings={[`When (${timeZone})`, "From", "To", "Seen by"]}
              rows={history.map((row) => [row.at, row.from, row.to, row.source])}
            />
          )}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
