// The survey settings form: which surveys, the questionnaire's statements, points for answering,
// the detractor recovery reward, when to ask and how long a link lasts. Field errors from zod.
import { Form } from "@remix-run/react";
import { BlockStack, Button, Card, FormLayout, InlineGrid, Text } from "@shopify/polaris";

import type { FeedbackSettings } from "../../crm/feedback/feedback-settings";
import { FormCheckbox, FormSelect, FormTextField } from "../loyalty/form-fields";

export function SurveySettingsCard(props: {
  settings: FeedbackSettings;
  rewards: { id: number; title: string }[];
  errors: Record<string, string>;
  saving: boolean;
}) {
  const { settings, errors } = props;
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="settings" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Survey settings
          </Text>
          <FormLayout>
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="200">
              <FormCheckbox name="nps" label="NPS (0–10)" defaultChecked={settings.surveys.nps} />
              <FormCheckbox name="csat" label="CSAT (1–5)" defaultChecked={settings.surveys.csat} />
              <FormCheckbox name="likert" label="Questionnaire" defaultChecked={settings.surveys.likert} />
            </InlineGrid>
            <FormTextField
              label="Questionnaire statements"
              name="likertStatements"
              multiline={4}
              helpText="One per line, up to 5; shoppers answer each from 1 (strongly disagree) to 5 (strongly agree)."
              defaultValue={settings.likertStatements.join("\n")}
              error={errors.likertStatements}
            />
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="200">
              <FormTextField
                label="Points for answering"
                name="pointsForAnswer"
                type="number"
                helpText="0: none. Paid once per answer."
                defaultValue={String(settings.pointsForAnswer)}
                error={errors.pointsForAnswer}
              />
              <FormTextField
                label="Ask from this many days after the order"
                name="askAfterDays"
                type="number"
                helpText="On the order status page, when delivery isn't known; delivered orders are asked at once."
                defaultValue={String(settings.askAfterDays)}
                error={errors.askAfterDays}
              />
              <FormTextField
                label="Survey links valid for (days)"
                name="linkValidDays"
                type="number"
                defaultValue={String(settings.linkValidDays)}
                error={errors.linkValidDays}
              />
            </InlineGrid>
            <FormSelect
              label="Recovery reward for detractors (NPS 0–6)"
              name="recoveryRewardId"
              defaultValue={settings.recoveryRewardId === null ? "none" : String(settings.recoveryRewardId)}
              options={[
                { label: "None", value: "none" },
                ...props.rewards.map((reward) => ({ label: reward.title, value: String(reward.id) })),
              ]}
              helpText="Issued free as a single-use discount code for that customer, once per answer."
              error={errors.recoveryRewardId}
            />
          </FormLayout>
          <div>
            <Button submit variant="primary" loading={props.saving}>
              Save survey settings
            </Button>
          </div>
        </BlockStack>
      </Form>
    </Card>
  );
}
