// The analytics settings form: CLV discount rate and horizon, churn risk bands. Field errors come
// from the server's zod parse; after a save, "Recalculate now" applies the values at once.
import { Form } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, InlineGrid, InlineStack, Text } from "@shopify/polaris";

import type { Recalculation } from "../../crm/dashboard/analytics-dashboard";
import type { AnalyticsSettingsField } from "../../crm/settings/analytics-settings-form";
import { RecalculationProgress, useRecalculation } from "../analytics/recalculate-button";
import { FormTextField } from "../loyalty/form-fields";

export type AnalyticsSettingsActionData =
  | { formKey: "analytics"; ok: true; changed: boolean; message: string }
  | { formKey: "analytics"; ok: false; errors: Partial<Record<AnalyticsSettingsField, string>> };

export function AnalyticsSettingsCard({
  values,
  recalculation,
  actionData,
  saving,
}: {
  values: Record<AnalyticsSettingsField, string>;
  recalculation: Recalculation;
  actionData: AnalyticsSettingsActionData | undefined;
  saving: boolean;
}) {
  const controls = useRecalculation(recalculation);
  const errors = actionData && !actionData.ok ? actionData.errors : {};
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="analytics-settings" />
        <BlockStack gap="400">
          {actionData?.ok ? (
            <Banner
              tone={actionData.changed ? "success" : "info"}
              title={actionData.message}
              action={
                actionData.changed
                  ? { content: "Recalculate now", onAction: controls.request, disabled: controls.busy }
                  : undefined
              }
            />
          ) : actionData ? (
            <Banner tone="critical" title="Some fields need attention">
              <p>Nothing was saved. Check the highlighted fields below.</p>
            </Banner>
          ) : null}
          <RecalculationProgress recalculation={controls.current} />
          <FormLayout>
            <Text as="h3" variant="headingSm">
              Customer lifetime value
            </Text>
            <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
              <FormTextField
                label="Monthly discount rate"
                name="monthlyDiscountRatePercent"
                type="number"
                step={0.1}
                suffix="%"
                helpText="Future purchases are worth less today by this much a month."
                defaultValue={values.monthlyDiscountRatePercent}
                error={errors.monthlyDiscountRatePercent}
              />
              <FormTextField
                label="CLV horizon"
                name="clvHorizonMonths"
                type="number"
                step={1}
                suffix="months"
                helpText="How far ahead predicted lifetime value looks."
                defaultValue={values.clvHorizonMonths}
                error={errors.clvHorizonMonths}
              />
            </InlineGrid>
            <Text as="h3" variant="headingSm">
              Churn risk bands
            </Text>
            <Text as="p" tone="subdued">
              Churn risk is 1 − P(alive), from 0 (surely still a customer) to 1 (surely gone). Below the medium
              threshold a customer is low risk.
            </Text>
            <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
              <FormTextField
                label="Medium risk from"
                name="churnMediumThreshold"
                type="number"
                step={0.05}
                helpText="Between 0 and 1, e.g. 0.3"
                defaultValue={values.churnMediumThreshold}
                error={errors.churnMediumThreshold}
              />
              <FormTextField
                label="High risk from"
                name="churnHighThreshold"
                type="number"
                step={0.05}
                helpText="Above the medium threshold and below 1, e.g. 0.7"
                defaultValue={values.churnHighThreshold}
                error={errors.churnHighThreshold}
              />
            </InlineGrid>
          </FormLayout>
          <InlineStack align="end" gap="200">
            <Button onClick={controls.request} disabled={controls.busy}>
              Recalculate now
            </Button>
            <Button submit variant="primary" loading={saving}>
              Save
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}
