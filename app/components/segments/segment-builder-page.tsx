// The new / edit segment page: name, rule builder, live count, Shopify sync, save. The rule is
// posted as JSON in a hidden input; the server parses it with zod and answers field errors.
import { Form, useActionData, useFetcher, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  InlineStack,
  Layout,
  Page,
  Spinner,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";

import { customerFilterSchema, type CustomerFilter } from "../../crm/customers/customer-filter";
import {
  draftOfFilter,
  errorsByDraftKey,
  filterOfDraft,
  type DraftGroup,
  type RuleOptions,
} from "../../crm/segments/rule-draft";
import { fieldErrorsOf } from "../../crm/segments/segment-form";
import { RuleGroup } from "./rule-builder";

export interface SegmentBuilderData {
  segment: { id: number; name: string; handle: string; syncToShopify: boolean } | null;
  rule: CustomerFilter;
  options: RuleOptions;
  filterRejected: boolean;
}

type CountAnswer =
  | { status: "counted"; count: number }
  | { status: "timeout"; timeoutMs: number }
  | { status: "invalid"; errors: Record<string, string> };

const COUNT_DEBOUNCE_MS = 400;

function LiveCount({ ruleJson, valid }: { ruleJson: string; valid: boolean }) {
  const fetcher = useFetcher<CountAnswer>();
  const { load } = fetcher;
  useEffect(() => {
    if (!valid) return;
    const timer = setTimeout(() => load(`/app/segments/count?rule=${encodeURIComponent(ruleJson)}`), COUNT_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [ruleJson, valid, load]);
  let text: string;
  if (!valid) text = "Finish the conditions to see how many customers match.";
  else if (fetcher.state !== "idle" || !fetcher.data) text = "Counting…";
  else if (fetcher.data.status === "counted")
    text = `${fetcher.data.count.toLocaleString("en-US")} customer${fetcher.data.count === 1 ? "" : "s"} match now`;
  else if (fetcher.data.status === "timeout")
    text = `Counting took longer than ${fetcher.data.timeoutMs / 1000} s; the saved segment is computed in the background.`;
  else text = "Finish the conditions to see how many customers match.";
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm">
          Members
        </Text>
        <InlineStack gap="200" blockAlign="center">
          {valid && fetcher.state !== "idle" ? <Spinner size="small" accessibilityLabel="Counting" /> : null}
          <Text as="p" variant="bodyLg" fontWeight="semibold">
            {text}
          </Text>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export function SegmentBuilderPage({ data }: { data: SegmentBuilderData }) {
  const actionData = useActionData<{ ok: false; errors: Record<string, string> }>();
  const navigation = useNavigation();
  const [name, setName] = useState(data.segment?.name ?? "");
  const [sync, setSync] = useState(data.segment?.syncToShopify ?? false);
  const [draft, setDraft] = useState<DraftGroup>(() => draftOfFilter(data.rule, data.options));
  const [submitted, setSubmitted] = useState(false);

  const filter = useMemo(() => filterOfDraft(draft, data.options), [draft, data.options]);
  const ruleJson = JSON.stringify(filter);
  const clientCheck = useMemo(() => customerFilterSchema.safeParse(filter), [filter]);
  // Server errors after a post; the browser's own check once the merchant tried to save.
  const serverErrors = actionData?.errors ?? {};
  const ruleErrors =
    submitted && !clientCheck.success
      ? fieldErrorsOf(clientCheck.error, "rule")
      : navigation.state === "idle"
        ? serverErrors
        : {};
  const errorsByKey = errorsByDraftKey(draft, ruleErrors, data.options.currencyCode);
  const generalRuleError = ruleErrors.rule ?? ruleErrors["rule.conditions"];

  const title = data.segment ? `Edit ${data.segment.name}` : "New segment";
  return (
    <Page
      title={title}
      backAction={{ content: "Segments", url: data.segment ? `/app/segments/${data.segment.id}` : "/app/segments" }}
    >
      <Form
        method="post"
        onSubmit={(event) => {
          setSubmitted(true);
          if (!clientCheck.success || name.trim() === "") {
            // Still posted when only the name is missing: the server's answer shows every field error.
            if (!clientCheck.success) event.preventDefault();
          }
        }}
      >
        <input type="hidden" name="rule" value={ruleJson} />
        <input type="hidden" name="syncToShopify" value={sync ? "on" : ""} />
        <Layout>
          {data.filterRejected ? (
            <Layout.Section>
              <Banner tone="warning">The filter in the link could not be read; start from an empty rule.</Banner>
            </Layout.Section>
          ) : null}
          {serverErrors.form ? (
            <Layout.Section>
              <Banner tone="critical">{serverErrors.form}</Banner>
            </Layout.Section>
          ) : null}
          <Layout.Section>
            <BlockStack gap="400">
              <Card>
                <BlockStack gap="300">
                  <TextField
                    label="Name"
                    name="name"
                    autoComplete="off"
                    value={name}
                    onChange={setName}
                    maxLength={80}
                    showCharacterCount
                    error={serverErrors.name}
                    helpText={
                      data.segment
                        ? `Tag and metafield value in Shopify: ${data.segment.handle}`
                        : "Its tag in Shopify is made from the name when the segment is created (kinship-…)."
                    }
                  />
                </BlockStack>
              </Card>
              {generalRuleError ? <Banner tone="critical">{generalRuleError}</Banner> : null}
              <RuleGroup group={draft} depth={1} options={data.options} errors={errorsByKey} onChange={setDraft} />
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <LiveCount ruleJson={ruleJson} valid={clientCheck.success} />
              <Card>
                <Checkbox
                  label="Sync to Shopify"
                  helpText="Members get the segment's tag and a kinship.segments metafield, and Flow hears when customers enter or leave."
                  checked={sync}
                  onChange={setSync}
                />
              </Card>
              <InlineStack align="end">
                <Button submit variant="primary" loading={navigation.state === "submitting"}>
                  {data.segment ? "Save segment" : "Create segment"}
                </Button>
              </InlineStack>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
