import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";

import type { PrivacyRequestListItem } from "../crm/privacy/privacy-requests.server";

/** Recent compliance requests from Shopify, with the data-request documents to download. */
export function PrivacyRequestsCard({ requests }: { requests: PrivacyRequestListItem[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Privacy requests
        </Text>
        {requests.length === 0 ? (
          <Text as="p" tone="subdued">
            No customer has asked for their data or its erasure.
          </Text>
        ) : (
          requests.map((request) => (
            <InlineStack key={request.id} align="space-between" blockAlign="center" gap="200">
              <BlockStack gap="050">
                <Text as="span" fontWeight="semibold">
                  {request.label}
                  {request.customerShopifyId ? ` · customer ${request.customerShopifyId}` : ""}
                </Text>
                <Text as="span" variant="bodySm" tone="subdued">
                  Received {request.receivedAt}
                  {request.completedAt ? `, done ${request.completedAt}` : ", in progress"}
                </Text>
              </BlockStack>
              {request.downloadPath ? (
                <Button url={request.downloadPath} download variant="plain">
                  Download data
                </Button>
              ) : null}
            </InlineStack>
          ))
        )}
      </BlockStack>
    </Card>
  );
}
