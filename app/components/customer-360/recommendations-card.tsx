// Customer 360: products picked for this customer from what shoppers with similar baskets bought
// (the nightly co-purchase mining), the same list the storefront widget and the metafield show.
import { BlockStack, Card, List, Text } from "@shopify/polaris";

import type { RecommendationsView } from "../../crm/recommendations/recommendations-view";

export function RecommendationsCard({ recommendations }: { recommendations: RecommendationsView }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Picked for this customer
        </Text>
        {recommendations.products.length === 0 ? (
          <Text as="p" tone="subdued">
            {recommendations.minedAt
              ? "No recommendation yet: too few orders to go on."
              : "Recommendations appear after the next nightly analytics run."}
          </Text>
        ) : (
          <List type="number">
            {recommendations.products.map((product) => (
              <List.Item key={product.id}>
                <BlockStack gap="0">
                  <Text as="span">{product.title}</Text>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {product.reason}
                  </Text>
                </BlockStack>
              </List.Item>
            ))}
          </List>
        )}
        {recommendations.minedAt ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {`From co-purchases computed ${recommendations.minedAt}; also in the customer metafield kinship.recommended_products.`}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
