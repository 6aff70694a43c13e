// Customer 360: postal addresses, read live from Shopify while the rest of the page is already shown.
import { Await } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineStack, SkeletonBodyText, Text } from "@shopify/polaris";
import { Suspense } from "react";

import type { AddressesResult } from "../../crm/customer-360/customer-addresses.server";

function AddressesBody({ result }: { result: AddressesResult }) {
  if (result.status === "failed") {
    return (
      <Banner tone="warning" title="Addresses could not be loaded from Shopify">
        <p>Reload the page to try again.</p>
      </Banner>
    );
  }
  if (result.status === "redacted") {
    return (
      <Text as="p" tone="subdued">
        Not shown: this customer&apos;s personal data was erased.
      </Text>
    );
  }
  if (result.status === "not_in_shopify") {
    return (
      <Text as="p" tone="subdued">
        Shopify no longer has this customer.
      </Text>
    );
  }
  if (result.addresses.length === 0) {
    return (
      <Text as="p" tone="subdued">
        No addresses saved in Shopify.
      </Text>
    );
  }
  return (
    <BlockStack gap="400">
      {result.addresses.map((address) => (
        <BlockStack key={address.id} gap="050">
          {address.isDefault ? (
            <InlineStack>
              <Badge tone="info">Default</Badge>
            </InlineStack>
          ) : null}
          {address.lines.map((line, index) => (
            <Text as="p" key={index}>
              {line}
            </Text>
          ))}
          {address.phone ? (
            <Text as="p" tone="subdued">
              {address.phone}
            </Text>
          ) : null}
        </BlockStack>
      ))}
    </BlockStack>
  );
}

export function AddressesCard({ addresses }: { addresses: Promise<AddressesResult> | AddressesResult }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Addresses
        </Text>
        <Suspense fallback={<SkeletonBodyText lines={4} />}>
          <Await
            resolve={addresses}
            errorElement={
              <Banner tone="warning" title="Addresses could not be loaded from Shopify">
                <p>Reload the page to try again.</p>
              </Banner>
            }
          >
            {(result) => <AddressesBody result={result} />}
          </Await>
        </Suspense>
      </BlockStack>
    </Card>
  );
}
