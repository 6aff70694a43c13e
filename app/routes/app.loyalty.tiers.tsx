import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Spinner,
  Text,
} from "@shopify/polaris";
import { useEffect, useState } from "react";

import { ActionBanner } from "../components/loyalty/action-banner";
import { errorsFor, FormSelect, FormTextField } from "../components/loyalty/form-fields";
import { loadTiersPage } from "../crm/loyalty/loyalty-admin.server";
import { loyaltyAppDeps } from "../crm/loyalty/loyalty-app-deps.server";
import { saveTierEdit } from "../crm/loyalty/loyalty-tiers-admin.server";
import { tierReplacementPending } from "../crm/loyalty/tier-replacement.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const deps = loyaltyAppDeps(session.shop);
  const [page, replacing] = await Promise.all([
    loadTiersPage(deps, session.shop),
    tierReplacementPending(deps, session.shop),
  ]);
  return { ...page, replacing };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const values = Object.fromEntries(await request.formData());
  const outcome = await saveTierEdit(loyaltyAppDeps(session.shop), session.shop, values);
  return { ...outcome, formKey: `${String(values.intent)}:${String(values.tierId ?? "")}` };
};

type TiersData = Awaited<ReturnType<typeof loadTiersPage>>;

// While the job re-places members, the page asks again every two seconds, then shows the counts.
function ReplacingMembersBanner({ replacing }: { replacing: boolean }) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!replacing) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 2_000);
    return () => clearInterval(timer);
  }, [replacing, revalidator]);
  if (!replacing) return null;
  return (
    <Banner tone="info">
      <InlineStack gap="200" blockAlign="center">
        <Spinner size="small" accessibilityLabel="Re-placing members" />
        <Text as="p">Re-placing members… member counts update when it is done.</Text>
      </InlineStack>
    </Banner>
  );
}
type Tier = TiersData["tiers"][number];

function TierFields({ tier, errors, data }: { tier?: Tier; errors: Record<string, string>; data: TiersData }) {
  const spend = data.basis === "spend";
  return (
    <InlineGrid columns={{ xs: 1, md: 4 }} gap="300">
      <FormTextField label="Name" name="name" defaultValue={tier?.name} error={errors.name} />
      <FormTextField
        label={spend ? `Spend to reach (${data.currencyCode})` : "Points to reach"}
        name="threshold"
        defaultValue={tier?.threshold}
        error={errors.threshold}
      />
      <FormTextField
        label="Earn multiplier"
        name="earnMultiplier"
        prefix="×"
        defaultValue={tier?.earnMultiplier ?? "1"}
        error={errors.earnMultiplier}
      />
      <FormTextField
        label="Entry bonus"
        name="entryBonusPoints"
        suffix="points"
        defaultValue={String(tier?.entryBonusPoints ?? 0)}
        error={errors.entryBonusPoints}
      />
    </InlineGrid>
  );
}

function TierRow({ tier, data }: { tier: Tier; data: TiersData }) {
  const actionData = useActionData<typeof action>();
  const errors = errorsFor(actionData, `update-tier:${tier.id}`);
  const [editing, setEditing] = useState(false);
  const open = editing || Object.keys(errors).length > 0;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingMd">
              {tier.name}
            </Text>
            <Badge>{tier.thresholdLabel}</Badge>
            {tier.earnMultiplier !== "1" ? <Badge tone="info">{`×${tier.earnMultiplier} points`}</Badge> : null}
          </InlineStack>
          <InlineStack gap="200">
            <Button onClick={() => setEditing(!open)}>{open ? "Close" : "Edit"}</Button>
            <Form method="post">
              <input type="hidden" name="intent" value="archive-tier" />
              <input type="hidden" name="tierId" value={tier.id} />
              <Button submit tone="critical" variant="plain">
                Archive
              </Button>
            </Form>
          </InlineStack>
        </InlineStack>
        <Text as="p" tone="subdued">
          {tier.members} members · entry bonus {tier.entryBonusPoints} points
          {tier.exclusiveRewards.length > 0 ? ` · exclusive rewards: ${tier.exclusiveRewards.join(", ")}` : ""}
        </Text>
        {open ? (
          <Form method="post">
            <input type="hidden" name="intent" value="update-tier" />
            <input type="hidden" name="tierId" value={tier.id} />
            <BlockStack gap="300">
              <TierFields tier={tier} errors={errors} data={data} />
              <InlineStack>
                <Button submit variant="primary">
                  Save tier
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export default function LoyaltyTiersPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const createErrors = errorsFor(actionData, "create-tier:");
  const qualificationErrors = errorsFor(actionData, "qualification:");
  return (
    <Page title="Tiers" backAction={{ content: "Loyalty", url: "/app/loyalty" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            <ActionBanner actionData={actionData} />
            <ReplacingMembersBanner replacing={data.replacing} />
          </BlockStack>
        </Layout.Section>
        <Layout.AnnotatedSection
          title="Qualification"
          description="Reaching a tier counts at once and holds until the end of the period; only then can a member drop. Edits re-place every member by the same rules; the ledger is never changed."
        >
          <Card>
            <Form method="post">
              <input type="hidden" name="intent" value="qualification" />
              <FormLayout>
                <FormSelect
                  label="Tiers are based on"
                  name="basis"
                  defaultValue={data.basis}
                  options={[
                    { label: "Points earned", value: "points_earned" },
                    { label: "Spend", value: "spend" },
                  ]}
                  error={qualificationErrors.basis}
                />
                <FormSelect
                  label="Within"
                  name="period"
                  defaultValue={data.period}
                  options={[
                    { label: "The last 12 months (rolling)", value: "rolling_12_months" },
                    { label: "The calendar year", value: "calendar_year" },
                  ]}
                  error={qualificationErrors.period}
                />
                <Button submit>Save qualification</Button>
              </FormLayout>
            </Form>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.Section>
          <BlockStack gap="300">
            {data.tiers.length === 0 ? (
              <Card>
                <Text as="p" tone="subdued">
                  No tiers yet.
                </Text>
              </Card>
            ) : (
              data.tiers.map((tier) => <TierRow key={tier.id} tier={tier} data={data} />)
            )}
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <Form method="post">
              <input type="hidden" name="intent" value="create-tier" />
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Add a tier
                </Text>
                <TierFields errors={createErrors} data={data} />
                <InlineStack>
                  <Button submit variant="primary" disabled={!data.hasProgram}>
                    Add tier
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
