import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";

import type { DataHealth } from "../crm/data-health/data-health.server";

const STATUS_LABELS = [
  { key: "received", label: "Waiting" },
  { key: "applied", label: "Applied" },
  { key: "ignored", label: "Ignored" },
  { key: "failed", label: "Failed" },
] as const;

/** Webhook deliveries of the last days, and a retry of the failed ones (posts to /app/data-health). */
export function DataHealthCard({ health }: { health: DataHealth }) {
  const fetcher = useFetcher<{ retried?: number }>();
  const retrying = fetcher.state !== "idle";
  const failed = health.counts.failed;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Data health
          </Text>
          <Badge tone={failed > 0 ? "critical" : "success"}>{failed > 0 ? `${failed} failed` : "Healthy"}</Badge>
        </InlineStack>
        <Text as="p" tone="subdued">
          Updates Shopify sent in the last {health.windowDays} days
        </Text>
        <InlineGrid columns={4} gap="200">
          {STATUS_LABELS.map(({ key, label }) => (
            <BlockStack key={key} gap="100">
              <Text as="span" variant="bodySm" tone="subdued">
                {label}
              </Text>
              <Text as="span" variant="headingLg">
                {health.counts[key].toLocaleString("en-US")}
              </Text>
            </BlockStack>
          ))}
        </InlineGrid>
        <Text as="p">
          {health.oldestPendingAge
            ? `The oldest update still waiting arrived ${health.oldestPendingAge} ago.`
            : "No update is waiting."}
        </Text>
        {health.lastError ? (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Last error
            </Text>
            <Text as="p" tone="critical">
              {health.lastError.topic}, {health.lastError.at}: {health.lastError.message}
            </Text>
          </BlockStack>
        ) : null}
        {failed > 0 || fetcher.data?.retried !== undefined ? (
          <fetcher.Form method="post" action="/app/data-health">
            <input type="hidden" name="intent" value="retry-failed" />
            <InlineStack gap="200" blockAlign="center">
              <Button submit loading={retrying} disabled={failed === 0}>
                Retry failed deliveries
              </Button>
              {fetcher.data?.retried !== undefined && !retrying ? (
                <Text as="span" tone="subdued">
                  {fetcher.data.retried} sent again
                </Text>
              ) : null}
            </InlineStack>
          </fetcher.Form>
        ) : null}
      </BlockStack>
    </Card>
  );
}
