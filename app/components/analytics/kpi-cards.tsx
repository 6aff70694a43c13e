import { Badge, BlockStack, Button, ButtonGroup, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";

import type { KpiCard, KpiPeriod } from "../../crm/dashboard/kpi-cards";

function KpiTile({ card }: { card: KpiCard }) {
  return (
    <div role="group" aria-label={card.label}>
      <Card>
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm" tone="subdued">
            {card.label}
          </Text>
          <InlineStack gap="200" blockAlign="center" wrap={false}>
            <Text as="p" variant="headingXl">
              {card.value}
            </Text>
            {card.change ? (
              <Badge tone={card.change.tone === "neutral" ? undefined : card.change.tone}>{card.change.label}</Badge>
            ) : null}
          </InlineStack>
          <Text as="p" variant="bodySm" tone="subdued">
            {card.change ? `Previous period: ${card.change.previous}. ` : ""}
            {card.help}
          </Text>
        </BlockStack>
      </Card>
    </div>
  );
}

/** The KPIs of one period at a time, with a switch between the periods the run computed. */
export function KpiCards({ periods }: { periods: KpiPeriod[] }) {
  const [selected, setSelected] = useState(periods[0]?.period ?? "");
  const period = periods.find((entry) => entry.period === selected) ?? periods[0];
  if (!period) return null;
  return (
    <BlockStack gap="300">
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <BlockStack gap="050">
          <Text as="h2" variant="headingMd">
            Key figures · {period.label}
          </Text>
          <Text as="p" variant="bodySm" tone="subdued">
            {period.range}. Computed {period.computedAt}.{" "}
            {period.comparedWith
              ? `Compared with ${period.comparedWith}.`
              : "No earlier period recorded to compare with yet."}
          </Text>
        </BlockStack>
        <ButtonGroup variant="segmented">
          {periods.map((entry) => (
            <Button
              key={entry.period}
              pressed={entry.period === period.period}
              onClick={() => setSelected(entry.period)}
            >
              {entry.label}
            </Button>
          ))}
        </ButtonGroup>
      </InlineStack>
      <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="300">
        {period.cards.map((card) => (
          <KpiTile key={card.key} card={card} />
        ))}
      </InlineGrid>
    </BlockStack>
  );
}
