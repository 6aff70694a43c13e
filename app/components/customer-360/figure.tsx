// A small labelled figure used across Customer 360's cards.
import { BlockStack, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

export function Figure({ label, children, help }: { label: string; children: ReactNode; help?: string }) {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="bodySm" tone="subdued">
        {label}
      </Text>
      {typeof children === "string" ? (
        <Text as="p" variant="bodyMd" fontWeight="semibold">
          {children}
        </Text>
      ) : (
        children
      )}
      {help ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {help}
        </Text>
      ) : null}
    </BlockStack>
  );
}
