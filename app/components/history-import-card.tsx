import { Form } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";

import type { HistoryImportState } from "../crm/history/history-import-state.server";

const count = (n: number) => n.toLocaleString("en-US");

/** The history import: progress while it runs, the last result otherwise, and a re-import button. */
export function HistoryImportCard({
  state,
  action = "/app/history",
}: {
  state: HistoryImportState;
  /** Where the re-import posts (the Settings page handles it itself and stays on the page). */
  action?: string;
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Store history
        </Text>
        {state.status === "running" ? (
          <BlockStack gap="200">
            <Text as="p">Importing your customers and orders from Shopify…</Text>
            <ProgressBar progress={state.progressPercent ?? 0} size="small" />
            <Text as="p" tone="subdued">
              {count(state.customersCount)} customers and {count(state.ordersCount)} orders so far
            </Text>
          </BlockStack>
        ) : state.status === "never" ? (
          <Text as="p">Your store's history has not been imported yet.</Text>
        ) : state.status === "succeeded" ? (
          <Text as="p">
            Last import: {count(state.customersCount)} customers and {count(state.ordersCount)} orders. Live changes
            arrive by webhook, and a daily check with Shopify catches any that were missed.
          </Text>
        ) : (
          <Banner tone="critical">The last import did not finish{state.error ? `: ${state.error}` : "."}</Banner>
        )}
        <InlineStack>
          <Form method="post" action={action}>
            <input type="hidden" name="intent" value="reimport" />
            <Button submit disabled={state.status === "running"}>
              Re-import history
            </Button>
          </Form>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
