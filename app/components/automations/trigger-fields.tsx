// The *when* of a rule: the event and its parameters.
import { BlockStack, Card, InlineGrid, Select, Text, TextField } from "@shopify/polaris";

import { TRIGGER_LABELS, triggerFieldsOf, type TriggerDraft } from "../../crm/automations/automation-draft";
import {
  CHURN_THRESHOLD_BANDS,
  SURVEY_KINDS,
  TRIGGER_TYPES,
  type TriggerType,
} from "../../crm/automations/automation-rule";
import { LIFECYCLE_STAGES } from "../../crm/lifecycle/lifecycle-stage";

type Option = { value: string; label: string };
const humanize = (v: string) => v.charAt(0).toUpperCase() + v.slice(1).replace(/_/g, " ");
const options = (values: readonly string[]): Option[] => values.map((value) => ({ value, label: humanize(value) }));

export function TriggerFields(props: {
  trigger: TriggerDraft;
  segments: { id: number; name: string }[];
  tiers: { id: number; name: string }[];
  errors: Record<string, string>;
  onChange: (next: TriggerDraft) => void;
}) {
  const { trigger, errors } = props;
  const set = (patch: Partial<TriggerDraft>) => props.onChange({ ...trigger, ...patch });
  const error = (field: string) => errors[`trigger.${field}`];
  const fields: Record<string, JSX.Element> = {
    segmentId: (
      <Select
        label="Segment"
        options={[
          { value: "", label: "Choose a segment" },
          ...props.segments.map((s) => ({ value: String(s.id), label: s.name })),
        ]}
        value={trigger.segmentId}
        onChange={(segmentId) => set({ segmentId })}
        error={error("segmentId") ? "Choose a segment" : undefined}
      />
    ),
    toStage: (
      <Select
        label="New stage"
        options={options(LIFECYCLE_STAGES)}
        value={trigger.toStage}
        onChange={(toStage) => set({ toStage })}
      />
    ),
    fromStage: (
      <Select
        label="Previous stage"
        options={[{ value: "", label: "Any stage" }, ...options(LIFECYCLE_STAGES)]}
        value={trigger.fromStage}
        onChange={(fromStage) => set({ fromStage })}
      />
    ),
    band: (
      <Select
        label="Churn risk rose to"
        options={options(CHURN_THRESHOLD_BANDS)}
        value={trigger.band}
        onChange={(band) => set({ band })}
      />
    ),
    direction: (
      <Select
        label="Change"
        options={[
          { value: "any", label: "Up or down" },
          { value: "upgrade", label: "Moved up" },
          { value: "downgrade", label: "Moved down" },
        ]}
        value={trigger.direction}
        onChange={(direction) => set({ direction })}
      />
    ),
    tierId: (
      <Select
        label="Into tier"
        options={[
          { value: "", label: "Any tier" },
          ...props.tiers.map((t) => ({ value: String(t.id), label: t.name })),
        ]}
        value={trigger.tierId}
        onChange={(tierId) => set({ tierId })}
      />
    ),
    n: (
      <TextField
        label="Order number"
        type="number"
        autoComplete="off"
        value={trigger.n}
        onChange={(n) => set({ n })}
        error={error("n")}
        helpText="2 for the second order, 3 for the third…"
      />
    ),
    survey: (
      <Select
        label="Survey"
        options={SURVEY_KINDS.map((k) => ({ value: k, label: k.toUpperCase() }))}
        value={trigger.survey}
        onChange={(survey) => set({ survey })}
      />
    ),
    minScore: (
      <TextField
        label="Lowest score"
        type="number"
        autoComplete="off"
        value={trigger.minScore}
        onChange={(minScore) => set({ minScore })}
        error={error("minScore")}
      />
    ),
    maxScore: (
      <TextField
        label="Highest score"
        type="number"
        autoComplete="off"
        value={trigger.maxScore}
        onChange={(maxScore) => set({ maxScore })}
        error={error("maxScore")}
      />
    ),
    days: (
      <TextField
        label="Days without an order"
        type="number"
        autoComplete="off"
        value={trigger.days}
        onChange={(days) => set({ days })}
        error={error("days")}
      />
    ),
  };
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          When
        </Text>
        <Select
          label="Event"
          options={TRIGGER_TYPES.map((type) => ({ value: type, label: TRIGGER_LABELS[type] }))}
          value={trigger.type}
          onChange={(type) => set({ type: type as TriggerType })}
          error={error("type")}
        />
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
          {triggerFieldsOf(trigger.type).map((field) => (
            <div key={field}>{fields[field]}</div>
          ))}
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}
