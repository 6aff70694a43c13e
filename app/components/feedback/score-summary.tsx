// The headline cards: NPS with its interval and bands, CSAT average, and the answer distributions.
import { BlockStack, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";

import type { FeedbackSummary } from "../../crm/feedback/feedback-report";
import { formatAverage, formatInterval, formatNps } from "./feedback-format";

function Bars({ counts, first, label }: { counts: number[]; first: number; label: string }) {
  const max = Math.max(1, ...counts);
  return (
    <div role="img" aria-label={`${label}: ${counts.map((c, i) => `${i + first}: ${c}`).join(", ")}`}>
      <div style={{ display: "flex", alignItems: "flex-end", gap: 4, height: 80 }}>
        {counts.map((count, index) => (
          <div key={index} style={{ flex: 1, textAlign: "center" }}>
            <div
              title={`${index + first}: ${count}`}
              style={{
                height: `${Math.round((70 * count) / max)}px`,
                minHeight: count > 0 ? 2 : 0,
                background: "var(--p-color-bg-fill-brand)",
                borderRadius: 3,
              }}
            />
          </div>
        ))}
      </div>
      <div style={{ display: "flex", gap: 4 }}>
        {counts.map((_, index) => (
          <div key={index} style={{ flex: 1, textAlign: "center" }}>
            <Text as="span" variant="bodySm" tone="subdued">
              {String(index + first)}
            </Text>
          </div>
        ))}
      </div>
    </div>
  );
}

export function ScoreSummary({ summary }: { summary: FeedbackSummary }) {
  const { nps } = summary;
  const share = (n: number) => (nps.responses === 0 ? "–" : `${Math.round((100 * n) / nps.responses)}%`);
  return (
    <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingSm">
            Net Promoter Score
          </Text>
          <Text as="p" variant="heading2xl">
            {formatNps(nps.nps)}
          </Text>
          <Text as="p" tone="subdued">
            {`${formatInterval(nps.low, nps.high)} · ${nps.responses} answers`}
          </Text>
          <InlineStack gap="300">
            <Text as="span" tone="success">{`Promoters ${share(nps.promoters)}`}</Text>
            <Text as="span" tone="caution">{`Passives ${share(nps.passives)}`}</Text>
            <Text as="span" tone="critical">{`Detractors ${share(nps.detractors)}`}</Text>
          </InlineStack>
          <Bars counts={summary.npsDistribution} first={0} label="NPS answers per score" />
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingSm">
            Customer satisfaction (CSAT)
          </Text>
          <Text as="p" variant="heading2xl">
            {formatAverage(summary.csatAverage)}
          </Text>
          <Text as="p" tone="subdued">
            {summary.csatSatisfied === null
              ? "No answers yet"
              : `out of 5 · ${Math.round(summary.csatSatisfied)}% satisfied (4 or 5)`}
          </Text>
          <Bars counts={summary.csatDistribution} first={1} label="CSAT answers per score" />
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingSm">
            Questionnaire
          </Text>
          <Text as="p" variant="heading2xl">
            {formatAverage(summary.likertAverage)}
          </Text>
          <Text as="p" tone="subdued">
            mean agreement, 1 to 5
          </Text>
          <Bars counts={summary.likertDistribution} first={1} label="Questionnaire answers per mean score" />
        </BlockStack>
      </Card>
    </InlineGrid>
  );
}
