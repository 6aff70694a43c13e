// Customer 360: the customer's survey answers, and signed survey links for their recent orders
// (to paste into the shop's own e-mail or a Flow "send e-mail" step).
import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";

import { formatShopDateTime } from "../../lib/shop-time";
import { SURVEY_LABELS, bandTone } from "../feedback/feedback-format";

export interface CustomerFeedbackView {
  answers: {
    id: string;
    kind: string;
    score: number;
    band: string | null;
    comment: string | null;
    answeredAt: string;
    pointsAwarded: number;
    recoveryReward: boolean;
  }[];
  links: { orderName: string; kind: string; url: string }[];
}

export function FeedbackCard({ feedback, timeZone }: { feedback: CustomerFeedbackView | null; timeZone: string }) {
  if (!feedback) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Feedback
        </Text>
        {feedback.answers.length === 0 ? (
          <Text as="p" tone="subdued">
            No survey answers yet.
          </Text>
        ) : (
          feedback.answers.map((answer) => (
            <BlockStack key={answer.id} gap="100">
              <InlineStack gap="200" blockAlign="center">
                <Badge
                  tone={bandTone(answer.band)}
                >{`${SURVEY_LABELS[answer.kind] ?? answer.kind} ${answer.score}`}</Badge>
                <Text as="span" variant="bodySm" tone="subdued">
                  {formatShopDateTime(answer.answeredAt, timeZone)}
                </Text>
                {answer.pointsAwarded > 0 ? <Badge>{`+${answer.pointsAwarded} points`}</Badge> : null}
                {answer.recoveryReward ? <Badge tone="info">Recovery reward</Badge> : null}
              </InlineStack>
              {answer.comment ? (
                <Text as="p" breakWord>
                  {answer.comment}
                </Text>
              ) : null}
            </BlockStack>
          ))
        )}
        {feedback.links.length > 0 ? (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Survey links
            </Text>
            {feedback.links.map((link) => (
              <BlockStack key={link.url} gap="050">
                <Text as="span" variant="bodySm">{`${link.orderName} · ${SURVEY_LABELS[link.kind] ?? link.kind}`}</Text>
                <input
                  readOnly
                  aria-label={`Survey link for ${link.orderName}`}
                  value={link.url}
                  onFocus={(event) => event.currentTarget.select()}
                  style={{ width: "100%", fontSize: 12, padding: 4 }}
                />
              </BlockStack>
            ))}
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
