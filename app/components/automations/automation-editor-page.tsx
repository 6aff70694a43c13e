// Editing one automation: when (event), if (conditions, the segments rule builder), then
// (actions), a frequency cap, the dry-run count, and the run log (counts, last errors).
import { useFetcher, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  InlineStack,
  Layout,
  List,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";

import { draftOfRule, ruleOfDraft, type RuleDraft } from "../../crm/automations/automation-draft";
import type { EditActionOutcome, automationEditPage } from "../../crm/automations/automations-page.server";
import { errorsByDraftKey } from "../../crm/segments/rule-draft";
import { formatShopDateTime } from "../../lib/shop-time";
import { RuleGroup } from "../segments/rule-builder";
import { ActionFields } from "./action-fields";
import { TriggerFields } from "./trigger-fields";

type Data = Awaited<ReturnType<typeof automationEditPage>>;

export function AutomationEditorPage({ data, outcome }: { data: Data; outcome: EditActionOutcome | undefined }) {
  const [draft, setDraft] = useState<RuleDraft>(() => draftOfRule(data.rule?.input ?? null, data.options));
  const submit = useSubmit();
  const dryRun = useFetcher<EditActionOutcome>();
  const errors = outcome && !outcome.ok ? outcome.errors : {};
  const dryErrors = dryRun.data && !dryRun.data.ok ? dryRun.data.errors : {};
  const shown = { ...dryErrors, ...errors };
  const json = () => JSON.stringify(ruleOfDraft(draft, data.options));
  const save = () => submit({ intent: "save", rule: json() }, { method: "post" });
  const reach =
    dryRun.data?.ok && dryRun.data.intent === "dry-run" ? dryRun.data.reachToday : (data.detail?.reachToday ?? null);
  const enabled = data.rule?.enabled ?? false;
  return (
    <Page
      title={data.rule ? draft.name || "Automation" : "New automation"}
      backAction={{ content: "Automations", url: "/app/automations" }}
      titleMetadata={
        data.rule ? <Badge tone={enabled ? "success" : undefined}>{enabled ? "On" : "Off"}</Badge> : undefined
      }
      primaryAction={{ content: "Save", onAction: save }}
      secondaryActions={
        data.rule
          ? [
              {
                content: enabled ? "Turn off" : "Turn on",
                onAction: () => submit({ intent: "switch", enabled: enabled ? "false" : "true" }, { method: "post" }),
              },
            ]
          : []
      }
    >
      <Layout>
        {Object.keys(shown).length > 0 ? (
          <Layout.Section>
            <Banner tone="critical" title="The automation was not saved">
              {shown.form ?? "Check the fields marked below."}
            </Banner>
          </Layout.Section>
        ) : outcome?.ok && outcome.intent === "save" ? (
          <Layout.Section>
            <Banner tone="success">Saved{enabled ? "" : ": turn it on when the dry-run count looks right"}.</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <TextField
                  label="Name"
                  autoComplete="off"
                  value={draft.name}
                  onChange={(name) => setDraft({ ...draft, name })}
                  error={shown.name}
                />
              </BlockStack>
            </Card>
            <TriggerFields
              trigger={draft.trigger}
              segments={data.segments}
              tiers={data.options.tiers}
              errors={shown}
              onChange={(trigger) => setDraft({ ...draft, trigger })}
            />
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  If
                </Text>
                <RuleGroup
                  group={draft.conditions}
                  depth={1}
                  options={data.options}
                  errors={errorsByDraftKey(draft.conditions, shown, data.options.currencyCode, "conditions")}
                  onChange={(conditions) => setDraft({ ...draft, conditions })}
                />
              </BlockStack>
            </Card>
            <ActionFields
              actions={draft.actions}
              currencyCode={data.options.currencyCode}
              errors={shown}
              onChange={(actions) => setDraft({ ...draft, actions })}
            />
            <Card>
              <TextField
                label="Frequency cap (days)"
                type="number"
                autoComplete="off"
                value={draft.capDays}
                onChange={(capDays) => setDraft({ ...draft, capDays })}
                error={shown.capDays}
                helpText="At most one run of this automation per customer within this many days. Empty: no cap."
              />
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Dry-run
                </Text>
                <Text as="p">
                  {reach === null
                    ? "How many customers would this reach today?"
                    : `Would reach ${reach.toLocaleString("en-US")} customer${reach === 1 ? "" : "s"} today.`}
                </Text>
                <InlineStack>
                  <Button
                    loading={dryRun.state !== "idle"}
                    onClick={() => dryRun.submit({ intent: "dry-run", rule: json() }, { method: "post" })}
                  >
                    Count customers
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
            {data.detail ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Run log
                  </Text>
                  <Text as="p">
                    {data.detail.counts.done} done · {data.detail.counts.pending + data.detail.counts.waiting} in
                    progress · {data.detail.counts.stopped} stopped after a wait · {data.detail.counts.failed} failed
                  </Text>
                  {data.detail.lastErrors.length > 0 ? (
                    <List>
                      {data.detail.lastErrors.map((e) => (
                        <List.Item key={e.id}>
                          {formatShopDateTime(e.updatedAt, data.timeZone)}: {e.error}
                        </List.Item>
                      ))}
                    </List>
                  ) : (
                    <Text as="p" tone="subdued">
                      No errors.
                    </Text>
                  )}
                </BlockStack>
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
