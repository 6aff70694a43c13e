// "Where customers answer": the order status block, and the signed link per order that the
// merchant's own Shopify notifications and Flow include from the order metafield.
import { BlockStack, Box, Card, Text } from "@shopify/polaris";

const NOTIFICATION_LIQUID = `{% if order.metafields.kinship.survey_url %}
  <a href="{{ order.metafields.kinship.survey_url }}">How did we do?</a>
{% endif %}`;

const FLOW_LIQUID = `{% for metafields_item in order.metafields %}{% if metafields_item.namespace == "kinship" and metafields_item.key == "survey_url" %}{{ metafields_item.value }}{% endif %}{% endfor %}`;

function Snippet(props: { label: string; code: string }) {
  return (
    <BlockStack gap="100">
      <Text as="p" variant="bodySm" tone="subdued">
        {props.label}
      </Text>
      <Box background="bg-surface-secondary" padding="200" borderRadius="200">
        <pre aria-label={props.label} style={{ margin: 0, whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
          <code>{props.code}</code>
        </pre>
      </Box>
    </BlockStack>
  );
}

export function SurveyChannelsCard(props: { surveysOn: boolean; linkValidDays: number }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Where customers answer
        </Text>
        <Text as="p">
          On the order status page of customer accounts: add the “Kinship survey” block in the checkout and accounts
          editor. It asks once the order is delivered (or shipped without tracking), otherwise after the days set in
          Survey settings.
        </Text>
        <Text as="p">
          In your own e-mails and Flow: every new order of a customer gets its signed survey link in the order metafield{" "}
          <Text as="span" fontWeight="semibold">
            kinship.survey_url
          </Text>
          , valid for {props.linkValidDays} days after the order. It asks the first survey switched on (NPS, then CSAT,
          then the questionnaire), and each link answers once.
          {props.surveysOn ? "" : " No links are written while every survey is switched off."}
        </Text>
        <Snippet label="Shopify notifications (for example Shipping update or Delivered)" code={NOTIFICATION_LIQUID} />
        <Snippet label="Flow (an order trigger, then e-mail or Send HTTP request)" code={FLOW_LIQUID} />
        <Text as="p" tone="subdued">
          Every answer fires the Flow trigger “Customer answered Kinship survey” with the score and band. Each
          customer’s page in Kinship also shows the links of their recent orders.
        </Text>
      </BlockStack>
    </Card>
  );
}
