// The automations list: the shop's rules with their run log counts and an on/off switch, and the
// ready-made recipes, each turned on in one click.
import { Form, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  Text,
} from "@shopify/polaris";

import { EMPTY_STATE_IMAGE } from "../analytics/analytics-section";
import type { automationsIndexAction, automationsIndexPage } from "../../crm/automations/automations-page.server";
import { TRIGGER_LABELS } from "../../crm/automations/automation-draft";

type Data = Awaited<ReturnType<typeof automationsIndexPage>>;
type Outcome = Awaited<ReturnType<typeof automationsIndexAction>> | undefined;

const count = (n: number) => n.toLocaleString("en-US");

function SwitchButton({ ruleId, enabled }: { ruleId: number; enabled: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="switch" />
      <input type="hidden" name="ruleId" value={ruleId} />
      <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
      <Button submit size="slim" variant={enabled ? "secondary" : "primary"}>
        {enabled ? "Turn off" : "Turn on"}
      </Button>
    </Form>
  );
}

export function AutomationsIndexPage({ data, outcome }: { data: Data; outcome: Outcome }) {
  const navigation = useNavigation();
  const busyRecipe = navigation.formData?.get("intent") === "recipe" ? navigation.formData.get("recipe") : null;
  const rows = data.rules.map((rule, index) => (
    <IndexTable.Row id={String(rule.id)} key={rule.id} position={index}>
      <IndexTable.Cell>
        <Link url={`/app/automations/${rule.id}`} removeUnderline>
          <Text as="span" fontWeight="semibold">
            {rule.name}
          </Text>
        </Link>
      </IndexTable.Cell>
      <IndexTable.Cell>{TRIGGER_LABELS[rule.trigger]}</IndexTable.Cell>
      <IndexTable.Cell>
        <Badge tone={rule.enabled ? "success" : undefined}>{rule.enabled ? "On" : "Off"}</Badge>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {count(rule.counts.done)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {count(rule.counts.pending + rule.counts.waiting)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric tone={rule.counts.failed > 0 ? "critical" : undefined}>
          {count(rule.counts.failed)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <SwitchButton ruleId={rule.id} enabled={rule.enabled} />
      </IndexTable.Cell>
    </IndexTable.Row>
  ));
  return (
    <Page title="Automations" primaryAction={{ content: "Create automation", url: "/app/automations/new" }}>
      <Layout>
        {outcome ? (
          <Layout.Section>
            {outcome.ok ? (
              <Banner tone="success">{outcome.message}</Banner>
            ) : (
              <Banner tone="critical">{Object.values(outcome.errors).join(" ")}</Banner>
            )}
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            {data.rules.length === 0 ? (
              <EmptyState
                heading="Act at the right moment"
                action={{ content: "Create automation", url: "/app/automations/new" }}
                image={EMPTY_STATE_IMAGE}
              >
                <p>
                  When an event happens (a customer becomes at risk, moves up a tier, places a second order), and the
                  customer matches your conditions, Kinship issues a reward, moves points, tags the customer, writes a
                  metafield or fires a Shopify Flow trigger. Start with a recipe below.
                </p>
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "automation", plural: "automations" }}
                itemCount={data.rules.length}
                selectable={false}
                headings={[
                  { title: "Name" },
                  { title: "When" },
                  { title: "Status" },
                  { title: "Done", alignment: "end" },
                  { title: "In progress", alignment: "end" },
                  { title: "Failed", alignment: "end" },
                  { title: "" },
                ]}
              >
                {rows}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              Recipes
            </Text>
            <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
              {data.recipes.map((recipe) => (
                <Card key={recipe.name}>
                  <BlockStack gap="200">
                    <InlineStack align="space-between" blockAlign="center">
                      <Text as="h3" variant="headingSm">
                        {recipe.title}
                      </Text>
                      {recipe.enabled ? <Badge tone="success">On</Badge> : null}
                    </InlineStack>
                    <Text as="p" tone="subdued">
                      {recipe.description}
                    </Text>
                    {recipe.enabled && recipe.ruleId ? (
                      <Link url={`/app/automations/${recipe.ruleId}`}>Edit</Link>
                    ) : (
                      <Form method="post">
                        <input type="hidden" name="intent" value="recipe" />
                        <input type="hidden" name="recipe" value={recipe.name} />
                        <Button submit loading={busyRecipe === recipe.name}>
                          Turn on
                        </Button>
                      </Form>
                    )}
                  </BlockStack>
                </Card>
              ))}
            </InlineGrid>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
