// The *then* of a rule: its actions in order, each with its own inputs.
import { BlockStack, Box, Button, Card, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";

import { ACTION_LABELS, newActionDraft, type ActionDraft } from "../../crm/automations/automation-draft";
import { MAX_ACTIONS, type AutomationAction } from "../../crm/automations/automation-rule";

const ACTION_TYPES = Object.keys(ACTION_LABELS) as AutomationAction["type"][];

function Inputs(props: {
  action: ActionDraft;
  currencyCode: string;
  error: (field: string) => string | undefined;
  set: (patch: Record<string, string>) => void;
}) {
  const { action, error, set } = props;
  const field = (name: string, label: string, extra: Record<string, unknown> = {}) => (
    <TextField
      label={label}
      autoComplete="off"
      value={action[name] ?? ""}
      onChange={(value) => set({ [name]: value })}
      error={error(name)}
      {...extra}
    />
  );
  const money = `Enter an amount in ${props.currencyCode}, like 10.00`;
  switch (action.type) {
    case "reward":
      return (
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
          {field("title", "Reward title", { helpText: "Shown in the discount's title" })}
          <Select
            label="Discount"
            options={[
              { value: "percentage", label: "Percentage off" },
              { value: "fixed_amount", label: "Amount off" },
              { value: "free_shipping", label: "Free shipping" },
            ]}
            value={action.kind ?? "percentage"}
            onChange={(kind) => set({ kind })}
          />
          {action.kind === "percentage" ? field("percentage", "Percent off", { type: "number", suffix: "%" }) : null}
          {action.kind === "fixed_amount"
            ? field("amount", `Amount (${props.currencyCode})`, { error: error("amountMinor") ? money : undefined })
            : null}
          {field("minimumSubtotal", `Minimum subtotal (${props.currencyCode}, optional)`, {
            error: error("minimumSubtotalMinor") ? money : undefined,
          })}
        </InlineGrid>
      );
    case "points":
      return (
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
          {field("points", "Points (negative to remove)", { type: "number" })}
          {field("reason", "Reason (in the member's history)")}
        </InlineGrid>
      );
    case "tag":
      return (
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
          <Select
            label="Add or remove"
            options={[
              { value: "add", label: "Add" },
              { value: "remove", label: "Remove" },
            ]}
            value={action.op ?? "add"}
            onChange={(op) => set({ op })}
          />
          {field("tag", "Tag")}
        </InlineGrid>
      );
    case "metafield":
      return (
        <InlineGrid columns={{ xs: 1, md: 4 }} gap="300">
          {field("namespace", "Namespace")}
          {field("key", "Key")}
          <Select
            label="Type"
            options={["single_line_text_field", "number_integer", "boolean", "date"].map((v) => ({
              value: v,
              label: v,
            }))}
            value={action.valueType ?? "single_line_text_field"}
            onChange={(valueType) => set({ valueType })}
          />
          {field("value", "Value")}
        </InlineGrid>
      );
    case "wait":
      return field("days", "Days to wait", { type: "number", helpText: "Then the conditions are checked again" });
    case "flow":
      return (
        <Text as="p" tone="subdued">
          Fires the Kinship Flow trigger of this event&apos;s family, with the customer: build the message in Shopify
          Flow.
        </Text>
      );
  }
}

export function ActionFields(props: {
  actions: ActionDraft[];
  currencyCode: string;
  errors: Record<string, string>;
  onChange: (next: ActionDraft[]) => void;
}) {
  const { actions, errors } = props;
  const replace = (index: number, next: ActionDraft) => props.onChange(actions.map((a, i) => (i === index ? next : a)));
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Then
        </Text>
        {errors.actions ? (
          <Text as="p" tone="critical">
            {errors.actions}
          </Text>
        ) : null}
        {actions.map((action, index) => (
          <Box key={action.key} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="end" gap="200">
                <Box minWidth="20rem">
                  <Select
                    label={`Action ${index + 1}`}
                    options={ACTION_TYPES.map((type) => ({ value: type, label: ACTION_LABELS[type] }))}
                    value={action.type}
                    onChange={(type) =>
                      replace(index, { ...newActionDraft(type as AutomationAction["type"]), key: action.key })
                    }
                  />
                </Box>
                <Button
                  tone="critical"
                  variant="plain"
                  onClick={() => props.onChange(actions.filter((_, i) => i !== index))}
                >
                  Remove
                </Button>
              </InlineStack>
              <Inputs
                action={action}
                currencyCode={props.currencyCode}
                error={(field) => errors[`actions.${index}.${field}`]}
                set={(patch) => replace(index, { ...action, ...patch } as ActionDraft)}
              />
            </BlockStack>
          </Box>
        ))}
        <InlineStack>
          <Button
            disabled={actions.length >= MAX_ACTIONS}
            onClick={() => props.onChange([...actions, newActionDraft("tag")])}
          >
            Add action
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
