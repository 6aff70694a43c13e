// The rule builder: AND/OR groups of conditions, each a field, an operator and typed inputs, all
// Polaris. It edits a DraftGroup (app/crm/segments/rule-draft.ts); the page turns the draft into a
// CustomerFilter that customerFilterSchema checks, in the browser for the live count and on the
// server on save.
import {
  BlockStack,
  Box,
  Button,
  Card,
  ChoiceList,
  InlineGrid,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";

import { MAX_CONDITIONS_PER_GROUP, MAX_FILTER_DEPTH } from "../../crm/customers/customer-filter";
import type { CustomerFilterField } from "../../crm/customers/customer-filter";
import {
  choicesOf,
  type DraftCondition,
  type DraftGroup,
  type DraftNode,
  FIELD_OPTIONS,
  newCondition,
  newGroup,
  RULE_FIELDS,
  type RuleOptions,
} from "../../crm/segments/rule-draft";

type Errors = Record<string, Record<string, string>>;

const COMBINATORS = [
  { value: "and", label: "all of these (AND)" },
  { value: "or", label: "any of these (OR)" },
];

function ConditionInputs({
  condition,
  options,
  errors,
  onChange,
}: {
  condition: DraftCondition;
  options: RuleOptions;
  errors: Record<string, string>;
  onChange: (next: DraftCondition) => void;
}) {
  const { input, label } = RULE_FIELDS[condition.field];
  const set = (patch: Partial<DraftCondition>) => onChange({ ...condition, ...patch });
  const text = (key: "value" | "min" | "max" | "days" | "from" | "to", fieldLabel: string, extra = {}) => (
    <TextField
      label={fieldLabel}
      autoComplete="off"
      value={condition[key]}
      onChange={(value) => set({ [key]: value })}
      error={errors[key]}
      {...extra}
    />
  );
  switch (input) {
    case "text":
      return text("value", "Text");
    case "choices": {
      const choices = choicesOf(condition.field, options);
      if (choices.length === 0)
        return (
          <Text as="p" tone="subdued">
            {condition.field === "cluster" ? "No clusters yet: run the analytics first." : "Nothing to choose yet."}
          </Text>
        );
      return (
        <ChoiceList
          title={label}
          titleHidden
          allowMultiple
          choices={choices}
          selected={condition.values}
          onChange={(values) => set({ values })}
          error={errors.values}
        />
      );
    }
    case "list":
      return text("value", condition.field === "country" ? "Country codes, comma-separated" : "Tags, comma-separated", {
        placeholder: condition.field === "country" ? "FR, DE" : "VIP, wholesale",
        error: errors.values ?? errors.value,
      });
    case "count":
    case "money": {
      const suffix =
        input === "money" ? { suffix: options.currencyCode, inputMode: "decimal" } : { inputMode: "numeric" };
      if (condition.op === "between")
        return (
          <InlineGrid columns={2} gap="200">
            {text("min", "From", suffix)}
            {text("max", "To", suffix)}
          </InlineGrid>
        );
      return text("value", input === "money" ? "Amount" : "Number", suffix);
    }
    case "lastOrder":
      if (condition.op === "never") return null;
      if (condition.op === "between")
        return (
          <InlineGrid columns={2} gap="200">
            {text("from", "From", { type: "date" })}
            {text("to", "To", { type: "date" })}
          </InlineGrid>
        );
      return text("days", "Days", { inputMode: "numeric", suffix: "days" });
  }
}

function ConditionRow(props: {
  condition: DraftCondition;
  options: RuleOptions;
  errors: Errors;
  onChange: (next: DraftNode) => void;
  onRemove: () => void;
}) {
  const { condition, onChange } = props;
  const fieldErrors = props.errors[condition.key] ?? {};
  return (
    <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
      <BlockStack gap="200">
        <InlineGrid columns={{ xs: 1, md: "2fr 2fr auto" }} gap="200" alignItems="end">
          <Select
            label="Field"
            options={FIELD_OPTIONS}
            value={condition.field}
            onChange={(field) => onChange({ ...newCondition(field as CustomerFilterField), key: condition.key })}
          />
          <Select
            label="Operator"
            options={RULE_FIELDS[condition.field].ops}
            value={condition.op}
            onChange={(op) => onChange({ ...condition, op })}
          />
          <Button tone="critical" variant="plain" onClick={props.onRemove} accessibilityLabel="Remove condition">
            Remove
          </Button>
        </InlineGrid>
        <ConditionInputs condition={condition} options={props.options} errors={fieldErrors} onChange={onChange} />
        {fieldErrors.field ? (
          <Text as="p" tone="critical">
            {fieldErrors.field}
          </Text>
        ) : null}
      </BlockStack>
    </Box>
  );
}

export function RuleGroup(props: {
  group: DraftGroup;
  depth: number;
  options: RuleOptions;
  errors: Errors;
  onChange: (next: DraftGroup) => void;
  onRemove?: () => void;
}) {
  const { group, depth, onChange } = props;
  const replace = (index: number, node: DraftNode) =>
    onChange({ ...group, children: group.children.map((child, i) => (i === index ? node : child)) });
  const remove = (index: number) => onChange({ ...group, children: group.children.filter((_, i) => i !== index) });
  const full = group.children.length >= MAX_CONDITIONS_PER_GROUP;
  const body = (
    <BlockStack gap="300">
      <InlineStack align="space-between" blockAlign="end" gap="200">
        <Box minWidth="16rem">
          <Select
            label={depth === 1 ? "Customers who match" : "Group: match"}
            options={COMBINATORS}
            value={group.combinator}
            onChange={(value) => onChange({ ...group, combinator: value as "and" | "or" })}
          />
        </Box>
        {props.onRemove ? (
          <Button tone="critical" variant="plain" onClick={props.onRemove}>
            Remove group
          </Button>
        ) : null}
      </InlineStack>
      {group.children.length === 0 ? (
        <Text as="p" tone="subdued">
          {depth === 1
            ? "No conditions yet: the segment holds every customer. Add a condition to narrow it."
            : "An empty group: add a condition to it."}
        </Text>
      ) : null}
      {group.children.map((child, index) =>
        child.kind === "group" ? (
          <RuleGroup
            key={child.key}
            group={child}
            depth={depth + 1}
            options={props.options}
            errors={props.errors}
            onChange={(next) => replace(index, next)}
            onRemove={() => remove(index)}
          />
        ) : (
          <ConditionRow
            key={child.key}
            condition={child}
            options={props.options}
            errors={props.errors}
            onChange={(next) => replace(index, next)}
            onRemove={() => remove(index)}
          />
        ),
      )}
      <InlineStack gap="200">
        <Button disabled={full} onClick={() => onChange({ ...group, children: [...group.children, newCondition()] })}>
          Add condition
        </Button>
        {depth < MAX_FILTER_DEPTH ? (
          <Button
            disabled={full}
            variant="tertiary"
            onClick={() =>
              onChange({
                ...group,
                children: [...group.children, newGroup(group.combinator === "and" ? "or" : "and", [newCondition()])],
              })
            }
          >
            Add group
          </Button>
        ) : null}
      </InlineStack>
    </BlockStack>
  );
  return depth === 1 ? (
    <Card>{body}</Card>
  ) : (
    <Box padding="300" background="bg-surface-secondary" borderRadius="200">
      {body}
    </Box>
  );
}
