// What Customer 360 looks like while its data loads.
import { BlockStack, Card, Layout, SkeletonBodyText, SkeletonDisplayText, SkeletonPage } from "@shopify/polaris";

function SkeletonCard({ lines }: { lines: number }) {
  return (
    <Card>
      <BlockStack gap="400">
        <SkeletonDisplayText size="small" />
        <SkeletonBodyText lines={lines} />
      </BlockStack>
    </Card>
  );
}

export function Customer360Skeleton() {
  return (
    <SkeletonPage title="Customer" backAction>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <SkeletonCard lines={6} />
            <SkeletonCard lines={10} />
            <SkeletonCard lines={6} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <SkeletonCard lines={8} />
            <SkeletonCard lines={4} />
            <SkeletonCard lines={4} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </SkeletonPage>
  );
}
