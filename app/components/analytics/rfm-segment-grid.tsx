import { BlockStack, Box, Card, InlineGrid, Text } from "@shopify/polaris";

import type { SegmentTile } from "../../crm/dashboard/analytics-dashboard";

const TONE_COLOURS: Record<SegmentTile["tone"], string> = {
  success: "var(--p-color-bg-fill-success)",
  info: "var(--p-color-bg-fill-info)",
  warning: "var(--p-color-bg-fill-warning)",
  critical: "var(--p-color-bg-fill-critical)",
};

function Tile({ tile }: { tile: SegmentTile }) {
  return (
    <div
      role="group"
      aria-label={tile.segment}
      style={{
        borderLeft: `6px solid ${TONE_COLOURS[tile.tone]}`,
        borderRadius: "var(--p-border-radius-200)",
        background: "var(--p-color-bg-surface-secondary)",
        minHeight: "100%",
      }}
    >
      <Box padding="300">
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm">
            {tile.segment}
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {tile.rule}
          </Text>
          <Text as="p" variant="headingLg">
            {tile.customers}
          </Text>
          <Text as="p" variant="bodySm">
            {tile.customerShare} of customers · {tile.revenueShare} of revenue
          </Text>
          <div
            aria-hidden
            style={{ height: 4, background: "var(--p-color-border-secondary)", borderRadius: 2, overflow: "hidden" }}
          >
            <div
              style={{ width: `${Math.round(tile.weight * 100)}%`, height: 4, background: TONE_COLOURS[tile.tone] }}
            />
          </div>
          <Text as="p" variant="bodySm" tone="subdued">
            {tile.averageClv ? `Average predicted CLV ${tile.averageClv}` : "No CLV prediction"}
          </Text>
        </BlockStack>
      </Box>
    </div>
  );
}

/** The eleven named RFM segments, best first, each with its cells of the R × FM grid. */
export function RfmSegmentGrid({ tiles, computedAt }: { tiles: SegmentTile[]; computedAt: string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="050">
          <Text as="h2" variant="headingMd">
            RFM segments
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            Recency (R) and the average of frequency and monetary (FM) scores, 1 to 5 by quintiles. Computed{" "}
            {computedAt}.
          </Text>
        </BlockStack>
        <InlineGrid columns={{ xs: 1, sm: 2, md: 3, lg: 4 }} gap="300">
          {tiles.map((tile) => (
            <Tile key={tile.segment} tile={tile} />
          ))}
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}
